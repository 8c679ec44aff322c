// `npm run bench` (training): samples/s of Driftwood's training loop against stock `model.fit`
// on the same backend, model and data, measured in the same run. MLP 32→256→256→1, 200k rows.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { buildModel } from '../../src/lib/core/model/neural/build';
import { seededRandom } from '../../src/lib/core/stats/random';
import { DEFAULT_MLP, type ModelSpec, type NeuralSpec } from '../../src/lib/core/model/spec';
import { fitDense } from '../../src/lib/core/model/neural/dense-fit';
import { LOOPS_MAX_UNITS } from '../../src/lib/core/model/neural/engine';
import { trainModel } from '../../src/lib/core/model/neural/train';

const FEATURES = 32;

function synthetic(rows: number): { x: Float32Array; y: Float32Array } {
	const random = seededRandom(9);
	const x = new Float32Array(rows * FEATURES);
	const y = new Float32Array(rows);
	for (let i = 0; i < rows; i++) {
		let s = 0;
		for (let j = 0; j < FEATURES; j++) {
			const v = random() * 2 - 1;
			x[i * FEATURES + j] = v;
			s += v * ((j % 5) - 2);
		}
		y[i] = s > 0 ? 1 : 0;
	}
	return { x, y };
}

async function measure(
	backend: string,
	rows: number,
	batch: number
): Promise<{ ours: number; stock: number }> {
	await tf.setBackend(backend);
	await tf.ready();
	const { x, y } = synthetic(rows);
	const spec: ModelSpec = {
		...DEFAULT_MLP,
		hidden: [256, 256],
		dropout: 0,
		l2: 0,
		batchSize: batch,
		epochs: 1,
		patience: 0,
		learningRate: 0.001
	};
	// Warm-up: kernels compile on first use.
	const warm = buildModel(spec, FEATURES, 'binary', 2);
	await warm.fit(
		tf.tensor2d(x.subarray(0, batch * FEATURES), [batch, FEATURES]),
		tf.tensor2d(y.subarray(0, batch), [batch, 1]),
		{ batchSize: batch, epochs: 1, verbose: 0 }
	);
	warm.dispose();

	const ours = buildModel(spec, FEATURES, 'binary', 2);
	let t = performance.now();
	await trainModel(
		ours,
		{ x, y, xVal: new Float32Array(0), yVal: new Float32Array(0), inputs: FEATURES, classes: 2 },
		spec,
		'binary'
	);
	const oursRate = rows / ((performance.now() - t) / 1000);
	ours.optimizer?.dispose();
	ours.dispose();

	const stock = buildModel(spec, FEATURES, 'binary', 2);
	const xs = tf.tensor2d(x, [rows, FEATURES]);
	const ys = tf.tensor2d(y, [rows, 1]);
	t = performance.now();
	await stock.fit(xs, ys, { batchSize: batch, epochs: 1, shuffle: true, verbose: 0 });
	const stockRate = rows / ((performance.now() - t) / 1000);
	xs.dispose();
	ys.dispose();
	stock.optimizer?.dispose();
	stock.dispose();
	return { ours: oursRate, stock: stockRate };
}

tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
console.log(
	'training: MLP 32→256→256→1, one epoch, samples/s (Node; WebGPU is measured in the browser only)'
);
// The pure-JS CPU backend is ~30× slower than WASM: it gets fewer rows to keep the bench short.
for (const [backend, rows] of [
	['wasm', 200_000],
	['cpu', 20_000]
] as const) {
	for (const batch of [1024, 8192]) {
		const { ours, stock } = await measure(backend, rows, batch);
		console.log(
			`${backend.padEnd(5)} batch ${String(batch).padStart(5)}  ${rows} rows  driftwood ${Math.round(ours).toString().padStart(7)}  stock model.fit ${Math.round(stock).toString().padStart(7)}  ratio ${(ours / stock).toFixed(2)}×`
		);
	}
}

// Where networks train (src/lib/core/model/neural/engine.ts): the plain loops against tfjs's
// WASM backend on the same small-network epochs, batch 32 (the default). The loops are kept up to
// LOOPS_MAX_UNITS units per layer; this prints the ratio at the default width and at the limit.
await tf.setBackend('wasm');
await tf.ready();
console.log(
	'\nnetworks, batch 32, 20,000 rows × 20 features, one epoch: loops vs tfjs model.fit (WASM)'
);
for (const hidden of [[32], [LOOPS_MAX_UNITS]]) {
	const rows = 20_000;
	const d = 20;
	const random = seededRandom(4);
	const x = Float32Array.from({ length: rows * d }, () => random() * 2 - 1);
	const y = Float32Array.from({ length: rows }, (_, i) => (x[i * d]! + x[i * d + 1]! > 0 ? 1 : 0));
	const data = {
		x,
		y,
		xVal: new Float32Array(0),
		yVal: new Float32Array(0),
		inputs: d,
		classes: 2
	};
	const spec: NeuralSpec = { ...DEFAULT_MLP, hidden, epochs: 1, patience: 0, seeds: 1 };
	let t = performance.now();
	await fitDense(data, spec, 'binary');
	const loops = (performance.now() - t) / 1000;
	const model = buildModel(spec, d, 'binary', 2);
	t = performance.now();
	await trainModel(model, data, spec, 'binary');
	const stock = (performance.now() - t) / 1000;
	model.optimizer?.dispose();
	model.dispose();
	console.log(
		`hidden ${String(hidden[0]).padStart(3)}  loops ${loops.toFixed(2)} s  tfjs wasm ${stock.toFixed(2)} s  loops are ${(stock / loops).toFixed(1)}× faster`
	);
}
