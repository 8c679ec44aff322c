// `npm run bench`: parse + infer + profile throughput of the core reader against PapaParse
// (strings mode) on the same 100 MB CSV, each run in its own process, measured in this run.
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCsv } from './generate';

interface Run {
	mode: string;
	rows: number;
	seconds: number;
	peakRss: number;
	bytes: number;
}

const RUNS = 3;
const path = join(tmpdir(), 'driftwood-bench-1m-x12-v2.csv');

function measure(mode: 'driftwood' | 'driftwood-parse' | 'papaparse'): Run {
	const runs: Run[] = [];
	for (let i = 0; i < RUNS; i++) {
		const out = execFileSync(
			process.execPath,
			['--import', 'tsx', 'tests/bench/run-one.ts', mode, path],
			{
				encoding: 'utf8',
				maxBuffer: 1 << 20
			}
		);
		runs.push(JSON.parse(out) as Run);
	}
	runs.sort((a, b) => a.seconds - b.seconds);
	return { ...runs[0]!, peakRss: Math.min(...runs.map((r) => r.peakRss)) };
}

const mb = (n: number) => n / (1024 * 1024);

await generateCsv(path);
const ours = measure('driftwood');
const parseOnly = measure('driftwood-parse');
const papa = measure('papaparse');
const throughput = (r: Run) => mb(r.bytes) / r.seconds;
console.log(
	`file: ${path} (${mb(ours.bytes).toFixed(1)} MB, ${ours.rows} rows × 12 columns); best of ${RUNS}`
);
console.log(
	`driftwood  parse + infer + profile  ${throughput(ours).toFixed(1).padStart(6)} MB/s  peak RSS ${mb(ours.peakRss).toFixed(0)} MB`
);
console.log(
	`driftwood  parse + infer            ${throughput(parseOnly).toFixed(1).padStart(6)} MB/s  peak RSS ${mb(parseOnly.peakRss).toFixed(0)} MB`
);
console.log(
	`papaparse  parse (strings)          ${throughput(papa).toFixed(1).padStart(6)} MB/s  peak RSS ${mb(papa.peakRss).toFixed(0)} MB`
);
console.log(
	`ratio (parse + infer + profile): ${(throughput(ours) / throughput(papa)).toFixed(2)}× PapaParse's throughput, at ${(ours.peakRss / papa.peakRss).toFixed(2)}× its memory`
);
console.log(
	`ratio (parse + infer):           ${(throughput(parseOnly) / throughput(papa)).toFixed(2)}× PapaParse's throughput, at ${(parseOnly.peakRss / papa.peakRss).toFixed(2)}× its memory`
);
if (ours.rows !== papa.rows)
	console.log(`warning: row counts differ (${ours.rows} vs ${papa.rows})`);
