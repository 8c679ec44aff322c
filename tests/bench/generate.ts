import { createWriteStream, existsSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { seededRandom } from '../../src/lib/core/stats/random';

const CITIES = ['Lyon', 'Oslo', 'Quito', 'Hanoi', 'Perth', 'Accra', 'Lima', 'Turku'];

/**
 * Writes the benchmark CSV: 1 M rows × 12 mixed columns (ids, integers, decimals, a few missing
 * values, categories, booleans, dates, short text), about 100 MB.
 */
export async function generateCsv(path: string, rows = 1_000_000): Promise<void> {
	if (existsSync(path) && statSync(path).size > 0) return;
	const next = seededRandom(42);
	const out = createWriteStream(path);
	out.write('id,age,income,score,ratio,city,segment,active,signup,clicks,balance,comment\n');
	let block = '';
	for (let i = 0; i < rows; i++) {
		const missing = next() < 0.02;
		block +=
			`${i},${18 + Math.floor(next() * 60)},${missing ? '' : (20000 + next() * 90000).toFixed(2)},` +
			`${(next() * 100).toFixed(3)},${next().toFixed(6)},${CITIES[Math.floor(next() * 8)]},` +
			`seg_${Math.floor(next() * 20)},${next() < 0.5},2024-${String(1 + Math.floor(next() * 12)).padStart(2, '0')}-${String(1 + Math.floor(next() * 28)).padStart(2, '0')},` +
			`${Math.floor(next() * 500)},${((next() - 0.5) * 1e4).toFixed(2)},customer note number ${Math.floor(next() * 50)}\n`;
		if (block.length > 1 << 20) {
			if (!out.write(block)) await once(out, 'drain');
			block = '';
		}
	}
	out.write(block);
	out.end();
	await once(out, 'finish');
}
