// `npm run bench` (trees): Driftwood's gradient-boosted trees against scikit-learn's
// HistGradientBoostingClassifier on the same 100,000 × 20 table, timed in the same run.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom, gaussian } from '../../src/lib/core/stats/random';
import { DEFAULT_GBDT } from '../../src/lib/core/model/spec';
import { fitEnsemble, rawScores } from '../../src/lib/core/model/trees/boost';
import { treeContributions } from '../../src/lib/core/model/trees/shap';

const ROWS = 100_000;
const FEATURES = 20;

function synthetic(): { x: Float32Array; y: Float32Array } {
	const random = seededRandom(5);
	const x = new Float32Array(ROWS * FEATURES);
	const y = new Float32Array(ROWS);
	for (let i = 0; i < ROWS; i++) {
		for (let j = 0; j < FEATURES; j++) x[i * FEATURES + j] = gaussian(random);
		const z =
			x[i * FEATURES]! -
			0.5 * x[i * FEATURES + 1]! +
			(x[i * FEATURES + 2]! > 0.3 ? 1 : -1) +
			x[i * FEATURES + 3]! * x[i * FEATURES + 4]!;
		y[i] = random() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
	}
	return { x, y };
}

const { x, y } = synthetic();
const empty = new Float32Array(0);
// Both sides are timed as the best of REPEATS fits in one process (timeit's rule: the least
// disturbed run); the first of ours is printed too, as it includes compiling the hot loops.
const REPEATS = 3;
const times: number[] = [];
let ensemble!: Awaited<ReturnType<typeof fitEnsemble>>['ensemble'];
for (let r = 0; r < REPEATS; r++) {
	const started = performance.now();
	({ ensemble } = await fitEnsemble(
		{ x, y, xVal: empty, yVal: empty, inputs: FEATURES, classes: 2 },
		{ ...DEFAULT_GBDT, maxIterations: 100, maxLeaves: 31, patience: 0 },
		'binary'
	));
	times.push((performance.now() - started) / 1000);
}
const fitSeconds = Math.min(...times);
// Prediction too: the best of REPEATS (the first call compiles the walk; sklearn's is best of 3).
let predictSeconds = Infinity;
for (let r = 0; r < REPEATS; r++) {
	const t0 = performance.now();
	rawScores(ensemble, x);
	predictSeconds = Math.min(predictSeconds, (performance.now() - t0) / 1000);
}

// The walk, node by node, as batches under 2,048 rows are scored (the compiled trees' reference).
let walkSeconds = Infinity;
const WALK_BATCH = 2000;
for (let r = 0; r < REPEATS; r++) {
	const t0 = performance.now();
	for (let from = 0; from < ROWS; from += WALK_BATCH)
		rawScores(ensemble, x.subarray(from * FEATURES, Math.min(ROWS, from + WALK_BATCH) * FEATURES));
	walkSeconds = Math.min(walkSeconds, (performance.now() - t0) / 1000);
}

/** sklearn's best fit and predict times, with OpenMP on one thread or on its default (every core). */
function sklearnTimes(threads: 'one' | 'all'): { fit: number; predict: number } | null {
	if (!existsSync('/usr/bin/python3')) return null;
	const dir = mkdtempSync(join(tmpdir(), 'driftwood-bench-'));
	writeFileSync(join(dir, 'x.bin'), x);
	writeFileSync(join(dir, 'y.bin'), y);
	const script = `
import time, numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
x = np.fromfile('${dir}/x.bin', dtype=np.float32).reshape(${ROWS}, ${FEATURES})
y = np.fromfile('${dir}/y.bin', dtype=np.float32)
m = HistGradientBoostingClassifier(max_iter=100, max_leaf_nodes=31, early_stopping=False)
fit = predict = float('inf')
for _ in range(${REPEATS}):
    t = time.perf_counter(); m.fit(x, y); fit = min(fit, time.perf_counter() - t)
for _ in range(${REPEATS}):
    t = time.perf_counter(); m.decision_function(x); predict = min(predict, time.perf_counter() - t)
print(fit, predict)`;
	try {
		const env = threads === 'one' ? { ...process.env, OMP_NUM_THREADS: '1' } : process.env;
		const [fit, predict] = execFileSync('/usr/bin/python3', ['-c', script], {
			encoding: 'utf8',
			env
		})
			.trim()
			.split(' ')
			.map(Number);
		return { fit: fit!, predict: predict! };
	} catch {
		return null;
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

// Ours runs on one core; sklearn is timed on one thread (the like-for-like ratio) and on its
// default of every core (what a user of sklearn gets on this machine).
const one = sklearnTimes('one');
const all = sklearnTimes('all');
const rate = (seconds: number) => `${Math.round(ROWS / seconds).toLocaleString('en-US')} rows/s`;
console.log(
	`trees: fit ${ROWS.toLocaleString('en-US')} × ${FEATURES}, 100 iterations × 31 leaves in ${fitSeconds.toFixed(2)} s (best of ${REPEATS}; the first, compiling, ${times[0]!.toFixed(2)} s)` +
		(one && all
			? ` · sklearn ${one.fit.toFixed(2)} s on one thread (ratio ${(fitSeconds / one.fit).toFixed(2)}×), ${all.fit.toFixed(2)} s on every core (ratio ${(fitSeconds / all.fit).toFixed(2)}×)`
			: ' · sklearn not installed')
);
console.log(
	`trees: predict ${rate(predictSeconds)} on one core (best of ${REPEATS}; the walk, in batches of ${WALK_BATCH.toLocaleString('en-US')}: ${rate(walkSeconds)})` +
		(one && all
			? ` · sklearn ${rate(one.predict)} on one thread, ${rate(all.predict)} on every core`
			: '') +
		` · peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (the whole process, data included)`
);

// Exact contributions (TreeSHAP) of 10,000 rows under the same 100 trees of 31 leaves.
const explained = x.subarray(0, 10_000 * FEATURES);
const t1 = performance.now();
treeContributions(ensemble, explained);
console.log(
	`trees: explain (exact TreeSHAP) 10,000 rows × 100 trees in ${((performance.now() - t1) / 1000).toFixed(2)} s on one core`
);
