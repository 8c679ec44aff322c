// One measured run in a fresh process, so peak memory (maxRSS) belongs to that run alone.
import { createReadStream, readFileSync, statSync } from 'node:fs';
import Papa from 'papaparse';
import { profileTable } from '../../src/lib/core/profile/profile';
import { SNIFF_BYTES, sniffDialect } from '../../src/lib/core/table/dialect';
import { readTable } from '../../src/lib/core/table/read';

const [mode, path] = process.argv.slice(2) as ['driftwood' | 'papaparse', string];
const bytes = statSync(path).size;
const start = performance.now();
let rows = 0;
if (mode === 'driftwood') {
	const head = new Uint8Array(readFileSync(path).subarray(0, SNIFF_BYTES));
	const dialect = sniffDialect(head, path);
	const { table } = await readTable(createReadStream(path, { highWaterMark: 1 << 20 }), { dialect, totalBytes: bytes });
	const profile = profileTable(table, 'active');
	rows = profile.rowCount;
} else {
	// PapaParse in its fastest mode (strings, no typing), keeping the table as we do.
	const result = Papa.parse<string[]>(readFileSync(path, 'utf8'), { skipEmptyLines: true });
	rows = result.data.length - 1;
}
const seconds = (performance.now() - start) / 1000;
const peakRss = process.resourceUsage().maxRSS * 1024;
process.stdout.write(JSON.stringify({ mode, rows, seconds, peakRss, bytes }));
