import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../stats/random';
import type { FitData } from '../family';
import { DEFAULT_LINEAR } from '../spec';
import { fitLinearExact } from './linear-fit';
import { minimize } from './lbfgs';

function data(n: number, d: number, label: (row: number[], r: () => number) => number): FitData {
	const random = seededRandom(7);
	const x = new Float32Array(n * d);
	const y = new Float32Array(n);
	for (let i = 0; i < n; i++) {
		const row = Array.from({ length: d }, () => random() * 2 - 1);
		row.forEach((v, j) => (x[i * d + j] = v));
		y[i] = label(row, random);
	}
	return { x, y, xVal: new Float32Array(0), yVal: new Float32Array(0), inputs: d, classes: 1 };
}

/** Solves A·w = b by Gaussian elimination (small, dense, well-conditioned). */
function solve(a: number[][], b: number[]): number[] {
	const n = b.length;
	const m = a.map((row, i) => [...row, b[i]!]);
	for (let c = 0; c < n; c++) {
		for (let r = c + 1; r < n; r++) {
			const f = m[r]![c]! / m[c]![c]!;
			for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
		}
	}
	const w = new Array<number>(n).fill(0);
	for (let r = n - 1; r >= 0; r--) {
		let s = m[r]![n]!;
		for (let k = r + 1; k < n; k++) s -= m[r]![k]! * w[k]!;
		w[r] = s / m[r]![r]!;
	}
	return w;
}

describe('exact linear fit', () => {
	it('L-BFGS finds the minimum of a badly scaled quadratic', async () => {
		const scales = [1, 10, 100, 1000];
		const result = await minimize(
			(w) => ({
				value: w.reduce((s, v, i) => s + scales[i]! * (v - i) ** 2, 0),
				gradient: w.map((v, i) => 2 * scales[i]! * (v - i))
			}),
			new Float64Array(4),
			{ maxIterations: 200 }
		);
		expect(result.converged).toBe(true);
		Array.from(result.w).forEach((v, i) => expect(v).toBeCloseTo(i, 5));
	});

	it('regression reaches the ridge solution of the normal equations', async () => {
		const d = 3;
		const fit = data(400, d, (row, r) => 1.5 * row[0]! - 2 * row[1]! + 0.3 + 0.1 * (r() - 0.5));
		const l2 = 1e-2;
		const result = await fitLinearExact(fit, { ...DEFAULT_LINEAR, l2, epochs: 500 }, 'regression');
		// Minimise mean (Xw + b − y)² + l2‖w‖²: (XᵀX/n + l2·I) w + … with the bias unpenalised.
		const n = fit.y.length;
		const cols = d + 1;
		const a = Array.from({ length: cols }, () => new Array<number>(cols).fill(0));
		const b = new Array<number>(cols).fill(0);
		for (let i = 0; i < n; i++) {
			const row = [...Array.from(fit.x.slice(i * d, i * d + d)), 1];
			for (let p = 0; p < cols; p++) {
				b[p]! += (row[p]! * fit.y[i]!) / n;
				for (let q = 0; q < cols; q++) a[p]![q]! += (row[p]! * row[q]!) / n;
			}
		}
		for (let p = 0; p < d; p++) a[p]![p]! += l2;
		const exact = solve(a, b);
		for (let j = 0; j < d; j++) expect(result.kernel[j]!).toBeCloseTo(exact[j]!, 5);
		expect(result.bias[0]!).toBeCloseTo(exact[d]!, 5);
		expect(result.history.length).toBe(result.iterations);
	});

	it('logistic regression ends at a zero gradient and separates the classes', async () => {
		const fit = data(500, 2, (row, r) => (row[0]! + 0.5 * row[1]! + 0.2 * (r() - 0.5) > 0 ? 1 : 0));
		const result = await fitLinearExact(fit, { ...DEFAULT_LINEAR, epochs: 500 }, 'binary');
		const [w0, w1] = [result.kernel[0]!, result.kernel[1]!];
		expect(w0).toBeGreaterThan(0);
		expect(w1 / w0).toBeCloseTo(0.5, 1);
		let right = 0;
		for (let i = 0; i < 500; i++) {
			const z = w0 * fit.x[i * 2]! + w1 * fit.x[i * 2 + 1]! + result.bias[0]!;
			if ((z > 0 ? 1 : 0) === fit.y[i]) right++;
		}
		expect(right / 500).toBeGreaterThan(0.95);
	});

	it('stops on Cancel', async () => {
		const fit = data(200, 2, (row) => (row[0]! > 0 ? 1 : 0));
		await expect(
			fitLinearExact(fit, { ...DEFAULT_LINEAR, epochs: 500 }, 'binary', { isCancelled: () => true })
		).rejects.toThrow(/cancel/i);
	});
});
