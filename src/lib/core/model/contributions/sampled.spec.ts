import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../stats/random';
import { sampledContributions } from './sampled';

/** f(x) = x0·x1 + 2·x2 − x3 (x3 and x4 one group, x4 unused): not additive, so order matters. */
const f = async (m: Float32Array) =>
	Float64Array.from(
		{ length: m.length / 5 },
		(_, i) => m[i * 5]! * m[i * 5 + 1]! + 2 * m[i * 5 + 2]! - m[i * 5 + 3]!
	);
const groups = [[0], [1], [2], [3, 4]];

/** Interventional Shapley values by every coalition: v(S) = mean over z of f(x on S, z elsewhere). */
async function exact(x: Float32Array, background: Float32Array): Promise<number[]> {
	const m = background.length / 5;
	const v = async (mask: number) => {
		const rows = new Float32Array(background);
		for (let r = 0; r < m; r++)
			groups.forEach((g, i) => {
				if (mask & (1 << i)) for (const j of g) rows[r * 5 + j] = x[j]!;
			});
		return (await f(rows)).reduce((a, b) => a + b, 0) / m;
	};
	const fact = (k: number): number => (k <= 1 ? 1 : k * fact(k - 1));
	const out = [0, 0, 0, 0];
	for (let i = 0; i < 4; i++)
		for (let s = 0; s < 16; s++) {
			if (s & (1 << i)) continue;
			const size = [0, 1, 2, 3].filter((b) => s & (1 << b)).length;
			out[i]! +=
				((fact(size) * fact(3 - size)) / fact(4)) * ((await v(s | (1 << i))) - (await v(s)));
		}
	return out;
}

describe('sampled contributions', () => {
	const random = seededRandom(3);
	const background = Float32Array.from({ length: 40 * 5 }, () => random() * 2 - 1);
	const x = Float32Array.from([0.9, -0.7, 0.4, 0.2, 0.5]);

	it('add up to f(x) − base exactly, and estimate the Shapley values within their standard errors', async () => {
		const got = await sampledContributions(f, 1, x, 5, groups, background, {
			samples: 4000,
			seed: 1,
			exact: false
		});
		const fx = (await f(x))[0]!;
		expect(got.base[0]! + got.phi.reduce((a, b) => a + b, 0)).toBeCloseTo(fx, 9);
		const truth = await exact(x, background);
		truth.forEach((t, i) => {
			expect(got.error[i]!).toBeGreaterThan(0);
			expect(Math.abs(got.phi[i]! - t)).toBeLessThan(4 * got.error[i]! + 1e-9);
		});
	});

	it('is exact for a model linear in its inputs, one pass per background row', async () => {
		const linear = async (m: Float32Array) =>
			Float64Array.from(
				{ length: m.length / 5 },
				(_, i) => 3 * m[i * 5]! - m[i * 5 + 3]! + 0.5 * m[i * 5 + 4]!
			);
		const got = await sampledContributions(linear, 1, x, 5, groups, background, {
			samples: 0,
			seed: 1,
			exact: true
		});
		const mean = (j: number) =>
			background.filter((_, i) => i % 5 === j).reduce((a, b) => a + b, 0) / 40;
		expect(got.phi[0]).toBeCloseTo(3 * (x[0]! - mean(0)), 6);
		expect(got.phi[1]).toBeCloseTo(0, 12);
		expect(got.phi[3]).toBeCloseTo(-(x[3]! - mean(3)) + 0.5 * (x[4]! - mean(4)), 6);
		expect([...got.error]).toEqual([0, 0, 0, 0]);
	});
});
