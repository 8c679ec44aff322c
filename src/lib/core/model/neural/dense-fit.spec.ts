import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { seededRandom } from '../../stats/random';
import { CancelledError, type FitData } from '../family';
import { DEFAULT_MLP, type NeuralSpec } from '../spec';
import type { Task } from '../task';
import { denseLossAndGradients, fitDense, type DenseWeights } from './dense-fit';
import { buildModel } from './build';
import { trainModel } from './train';
import { layersFamily } from './family';
import { activationsOf, affine, mergeNets, netOutputs } from './dense-model';

beforeAll(async () => {
	await tf.setBackend('cpu');
});

/** n rows of d uniform features in (−1, 1), some exact zeros (as one-hot blocks have), labelled. */
function data(
	n: number,
	d: number,
	classes: number,
	label: (row: number[], r: () => number) => number,
	seed = 7
): FitData {
	const random = seededRandom(seed);
	const make = (rows: number) => {
		const x = new Float32Array(rows * d);
		const y = new Float32Array(rows);
		for (let i = 0; i < rows; i++) {
			const row = Array.from({ length: d }, () => (random() < 0.2 ? 0 : random() * 2 - 1));
			row.forEach((v, j) => (x[i * d + j] = v));
			y[i] = label(row, random);
		}
		return { x, y };
	};
	const train = make(n);
	const val = make(Math.round(n / 4));
	return { x: train.x, y: train.y, xVal: val.x, yVal: val.y, inputs: d, classes };
}

function randomLayers(widths: number[], seed: number): DenseWeights[] {
	const random = seededRandom(seed);
	return widths.slice(1).map((units, l) => ({
		kernel: Float64Array.from({ length: widths[l]! * units }, () => random() - 0.5),
		bias: Float64Array.from({ length: units }, () => random() - 0.5)
	}));
}

const ring = (row: number[]) => (row[0]! ** 2 + row[1]! ** 2 < 0.4 ? 1 : 0);

describe('the network trained in loops', () => {
	it.each([
		['binary', 1, 'relu'],
		['multiclass', 3, 'tanh'],
		['regression', 1, 'elu'],
		['multiclass', 4, 'selu']
	] as [Task, number, NeuralSpec['activation']][])(
		'computes the exact gradient (%s, %s)',
		(task, units, activation) => {
			const spec: NeuralSpec = { ...DEFAULT_MLP, hidden: [5, 4], activation, dropout: 0 };
			const classes = task === 'multiclass' ? units : 2;
			const layers = randomLayers([3, 5, 4, units], 11);
			const random = seededRandom(3);
			const x = Float64Array.from({ length: 6 * 3 }, () => random() * 2 - 1);
			const y = Array.from({ length: 6 }, (_, i) =>
				task === 'regression' ? random() * 2 : i % (task === 'binary' ? 2 : classes)
			);
			const weights = [1, 2, 0.5, 1, 3, 1];
			const { gradients } = denseLossAndGradients(layers, spec, task, classes, x, y, weights);
			const h = 1e-6;
			for (let l = 0; l < layers.length; l++) {
				for (const part of ['kernel', 'bias'] as const) {
					for (let i = 0; i < layers[l]![part].length; i++) {
						const at = layers[l]![part][i]!;
						layers[l]![part][i] = at + h;
						const up = denseLossAndGradients(layers, spec, task, classes, x, y, weights).loss;
						layers[l]![part][i] = at - h;
						const down = denseLossAndGradients(layers, spec, task, classes, x, y, weights).loss;
						layers[l]![part][i] = at;
						expect(gradients[l]![part][i]).toBeCloseTo((up - down) / (2 * h), 6);
					}
				}
			}
		}
	);

	it('sums a layer unit by unit in input order, to the bit, whatever its width', () => {
		const random = seededRandom(5);
		for (const [inW, outW] of [
			[3, 1],
			[7, 3],
			[5, 4],
			[30, 13],
			[2, 9]
		] as const) {
			const rows = 6;
			const input = Float64Array.from({ length: rows * inW }, () =>
				random() < 0.3 ? 0 : random() * 4 - 2
			);
			const kernel = Float64Array.from({ length: inW * outW }, () => random() * 2 - 1);
			const bias = Float64Array.from({ length: outW }, () => random() - 0.5);
			const out = new Float64Array(rows * outW);
			affine(input, inW, kernel, bias, out, outW, rows);
			for (let b = 0; b < rows; b++)
				for (let j = 0; j < outW; j++) {
					let sum = bias[j]!;
					for (let i = 0; i < inW; i++)
						if (input[b * inW + i] !== 0) sum += input[b * inW + i]! * kernel[i * outW + j]!;
					expect(out[b * outW + j]).toBe(sum);
				}
		}
	});

	it('learns a non-linear boundary, and the same seed gives the same weights', async () => {
		const set = data(600, 4, 2, ring);
		const spec: NeuralSpec = { ...DEFAULT_MLP, epochs: 60, patience: 0 };
		const a = await fitDense(set, spec, 'binary');
		const b = await fitDense(set, spec, 'binary');
		expect(a.layers.map((w) => [...w.kernel])).toEqual(b.layers.map((w) => [...w.kernel]));
		const p = netOutputs(
			{ layers: a.layers, activations: activationsOf(spec, 'binary', 2) },
			Float64Array.from(set.xVal)
		);
		const right = [...set.yVal].filter((y, i) => (p[i]! > 0.5 ? 1 : 0) === y).length;
		expect(right / set.yVal.length).toBeGreaterThan(0.9);
		const c = await fitDense(set, { ...spec, seed: 43 }, 'binary');
		expect([...c.layers[0]!.kernel]).not.toEqual([...a.layers[0]!.kernel]);
	});

	it('reaches the validation loss tfjs’s model.fit reaches on the same network', async () => {
		const set = data(500, 5, 3, (row) => (row[0]! + row[1]! > 0.3 ? 2 : row[2]! > 0 ? 1 : 0));
		const spec: NeuralSpec = { ...DEFAULT_MLP, epochs: 40, patience: 0, seeds: 1 };
		const loops = await fitDense(set, spec, 'multiclass');
		const model = buildModel(spec, 5, 'multiclass', 3);
		try {
			const stock = await trainModel(model, set, spec, 'multiclass');
			const best = (h: { valLoss: number | null }[]) => Math.min(...h.map((e) => e.valLoss!));
			expect(Math.abs(best(loops.history) - best(stock.history))).toBeLessThan(0.05);
			expect(best(loops.history)).toBeLessThan(0.45);
		} finally {
			model.optimizer?.dispose();
			model.dispose();
		}
	});

	it('stops early on the validation loss and keeps the best epoch’s weights', async () => {
		const set = data(200, 3, 2, (_, r) => (r() < 0.5 ? 1 : 0));
		const spec: NeuralSpec = { ...DEFAULT_MLP, epochs: 150, patience: 5, seeds: 1 };
		const fit = await fitDense(set, spec, 'binary');
		expect(fit.stoppedEarly).toBe(true);
		expect(fit.history.length).toBe(fit.bestEpoch + 5);
		const p = netOutputs(
			{ layers: fit.layers, activations: activationsOf(spec, 'binary', 2) },
			Float64Array.from(set.xVal)
		);
		let loss = 0;
		set.yVal.forEach((y, i) => (loss -= Math.log(y === 1 ? p[i]! : 1 - p[i]!)));
		let penalty = 0;
		for (const w of fit.layers) for (const v of w.kernel) penalty += spec.l2 * v * v;
		expect(loss / set.yVal.length + penalty).toBeCloseTo(
			fit.history[fit.bestEpoch - 1]!.valLoss!,
			6
		);
	});

	it('averages seeds into one network that predicts the mean of the members’ logits', async () => {
		const set = data(300, 4, 3, (row) => (ring(row) ? 2 : row[2]! > 0 ? 1 : 0));
		const one: NeuralSpec = { ...DEFAULT_MLP, hidden: [6, 5], epochs: 3, patience: 0, seeds: 1 };
		const members = [42, 42 + 1_000_003, 42 + 2_000_006].map((seed) =>
			fitDense(set, { ...one, seed }, 'multiclass')
		);
		const nets = (await Promise.all(members)).map((m) => m.layers);
		const merged = mergeNets(nets);
		expect(merged.map((w) => w.bias.length)).toEqual([18, 15, 3]);
		const x = Float64Array.from(set.xVal);
		const logits = (layers: DenseWeights[]) =>
			netOutputs({ layers, activations: ['relu', 'relu', 'linear'] }, x);
		const mean = logits(nets[0]!).map(
			(v, i) => (v + logits(nets[1]!)[i]! + logits(nets[2]!)[i]!) / 3
		);
		logits(merged).forEach((v, i) => expect(v).toBeCloseTo(mean[i]!, 10));
		// Trained in lockstep, the members are these same three networks.
		const together = await fitDense(set, { ...one, seeds: 3 }, 'multiclass');
		logits(together.layers).forEach((v, i) => expect(v).toBeCloseTo(mean[i]!, 10));
	});

	it('honours Cancel, and a diverging loss fails with the reason', async () => {
		const set = data(100, 3, 2, ring);
		await expect(
			fitDense(set, DEFAULT_MLP, 'binary', { isCancelled: () => true })
		).rejects.toBeInstanceOf(CancelledError);
		const wild = { ...set, y: set.y.map((v) => v * 1e200) };
		await expect(fitDense(wild, { ...DEFAULT_MLP, learningRate: 1 }, 'regression')).rejects.toThrow(
			/loss became/
		);
	});

	it('saves stock TF.js files: tf.loadLayersModel predicts what the model predicts', async () => {
		for (const [task, classes, spec] of [
			['binary', 2, { ...DEFAULT_MLP, hidden: [8, 6], epochs: 20 }],
			['multiclass', 3, { ...DEFAULT_MLP, activation: 'selu', epochs: 5 }],
			[
				'regression',
				1,
				{ ...DEFAULT_MLP, kind: 'linear', hidden: [], dropout: 0, inputNoise: 0.1, epochs: 5 }
			]
		] as [Task, number, NeuralSpec][]) {
			const set = data(300, 4, classes, (row) =>
				task === 'regression'
					? row[0]! * 3
					: ring(row) + (task === 'multiclass' && row[2]! > 0.5 ? 1 : 0)
			);
			const fitted = await layersFamily('mlp').fit(set, spec, task, {});
			const saved = await fitted.model.save();
			const json = JSON.parse(new TextDecoder().decode(saved.files['model.json']));
			const bytes = saved.files['weights.bin']!;
			const stock = await tf.loadLayersModel(
				tf.io.fromMemory({
					modelTopology: json.modelTopology,
					weightSpecs: json.weightsManifest[0].weights,
					weightData: new Uint8Array(bytes).buffer
				})
			);
			const ours = await fitted.model.predict(set.xVal);
			const loaded = await layersFamily('mlp').load(saved, task, classes);
			expect([...(await loaded.predict(set.xVal))]).toEqual([...ours]);
			const theirs = (
				stock.predict(tf.tensor2d(set.xVal, [set.yVal.length, 4])) as tf.Tensor
			).dataSync();
			const width = task === 'multiclass' ? classes : 1;
			for (let i = 0; i < set.yVal.length; i++)
				for (let c = 0; c < width; c++)
					expect(
						ours[i * (task === 'binary' ? 2 : width) + (task === 'binary' ? 1 : c)]!
					).toBeCloseTo(theirs[i * width + c]!, 5);
			stock.dispose();
		}
	});
});
