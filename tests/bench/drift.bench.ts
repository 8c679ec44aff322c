// `npm run bench` (drift): a drift report on 1,000,000 rows × 20 features against a 10,000-row
// reference, with scipy.stats.ks_2samp + wasserstein_distance on the same data timed in the same
// run when Debian's Python with SciPy is present.
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { driftReport } from '../../src/lib/core/drift/report';
import { DEFAULT_THRESHOLDS } from '../../src/lib/core/drift/thresholds';
import { alarmRate, BATCH_SIZES, FEATURES as NULL_FEATURES, featureName } from '../unit/drift-null';
import { gaussian, seededRandom } from '../../src/lib/core/stats/random';
import type { Table } from '../../src/lib/core/table/types';

const FEATURES = 20;
const REFERENCE_ROWS = 10_000;
const CURRENT_ROWS = 1_000_000;

function columns(rows: number, seed: number, shiftEvery: number): Float64Array[] {
	const random = seededRandom(seed);
	return Array.from({ length: FEATURES }, (_, f) => {
		const shift = shiftEvery && f % shiftEvery === 0 ? 0.3 : 0;
		return Float64Array.from({ length: rows }, () => shift + (f + 1) * gaussian(random));
	});
}

function table(cols: Float64Array[]): Table {
	return {
		rowCount: cols[0]!.length,
		columns: cols.map((values, f) => ({ storage: 'float', name: `f${f}`, type: 'numeric', values }))
	};
}

const reference = columns(REFERENCE_ROWS, 1, 0);
const current = columns(CURRENT_ROWS, 2, 4);
const names = reference.map((_, f) => `f${f}`);

driftReport(
	table(reference.map((c) => c.subarray(0, 2000))),
	table(current.map((c) => c.subarray(0, 2000))),
	names
); // warm-up
const started = performance.now();
const report = driftReport(table(reference), table(current), names);
const ours = (performance.now() - started) / 1000;
console.log(
	`drift: ${CURRENT_ROWS.toLocaleString('en')} rows × ${FEATURES} features vs ${REFERENCE_ROWS.toLocaleString('en')} reference rows`
);
console.log(
	`driftwood  report (Wasserstein + PSI per feature, schema, dataset drift)  ${ours.toFixed(2)} s  (${report.features.filter((f) => f.drifted).length} features drifted)`
);

const python = '/usr/bin/python3';
if (existsSync(python)) {
	const dir = tmpdir();
	const write = (cols: Float64Array[], name: string) => {
		const all = new Float64Array(cols.length * cols[0]!.length);
		cols.forEach((c, i) => all.set(c, i * c.length));
		writeFileSync(join(dir, name), all);
	};
	write(reference, 'drift-ref.f64');
	write(current, 'drift-cur.f64');
	const script = `
import time, numpy as np
from scipy import stats
ref = np.fromfile('${join(dir, 'drift-ref.f64')}').reshape(${FEATURES}, ${REFERENCE_ROWS})
cur = np.fromfile('${join(dir, 'drift-cur.f64')}').reshape(${FEATURES}, ${CURRENT_ROWS})
t = time.perf_counter()
for f in range(${FEATURES}):
    stats.ks_2samp(ref[f], cur[f]); stats.wasserstein_distance(ref[f], cur[f])
print(time.perf_counter() - t)`;
	try {
		const scipy = Number(execFileSync(python, ['-c', script], { encoding: 'utf8' }).trim());
		console.log(
			`scipy      ks_2samp + wasserstein_distance per feature                      ${scipy.toFixed(2)} s`
		);
		console.log(`ratio: driftwood is ${(scipy / ours).toFixed(2)}× SciPy's speed`);
	} catch {
		console.log('scipy: not measured (python3-scipy is not installed)');
	}
}

// The per-feature alarm's false-alarm rate on batches drawn from the reference's own distribution
// (no drift), under the sized rule (default) and Evidently's fixed rule, and its power on shifted
// batches (numbers moved by 0.3 std; 20 % of categorical rows moved to mirrored ranks).
{
	const trials = 200;
	const evidently = { ...DEFAULT_THRESHOLDS, rule: 'evidently' as const };
	console.log(
		`\nfalse alarms on ${trials} batches drawn from the reference's distribution, and power (shifted):`
	);
	console.log(
		`${'feature'.padEnd(12)}${'rows'.padStart(7)}  ${'sized'.padStart(6)}  ${'evidently'.padStart(9)}  ${'power'.padStart(6)}`
	);
	for (const feature of NULL_FEATURES)
		for (const m of BATCH_SIZES) {
			const sized = alarmRate(feature, m, trials);
			const fixed = alarmRate(feature, m, trials, 0, evidently);
			const power = alarmRate(feature, m, 50, feature.kind === 'numeric' ? 0.3 : 0.2);
			console.log(
				`${featureName(feature).padEnd(12)}${String(m).padStart(7)}  ${sized.toFixed(3).padStart(6)}  ${fixed.toFixed(3).padStart(9)}  ${power.toFixed(2).padStart(6)}`
			);
		}
}
