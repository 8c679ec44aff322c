import { seededRandom, shuffleInPlace } from '../../stats/random';

/** Contributions per column group, with their standard errors (0 where exact). */
export interface GroupContributions {
	outputs: number;
	/** The mean output over the background rows used, per output. */
	base: Float64Array;
	/** n × outputs × groups. */
	phi: Float64Array;
	/** n × outputs × groups: the standard error of each estimate. */
	error: Float64Array;
}

/**
 * Shapley values of column groups by sampling (Štrumbelj & Kononenko 2014), against background
 * rows: each sample takes a background row z and a random order of the groups, and walks from z to
 * the explained row x one group at a time; a group's contribution is the change of the output when
 * its values switch from z's to x's. Every sample's changes add up to f(x) − f(z) exactly, so
 * `base + Σ phi = f(x)` holds to rounding whatever the number of samples (base: the mean of f over
 * the samples' background rows, the same for every row). The same samples serve every row.
 *
 * `exact`: for a model linear in its inputs a group's change does not depend on the order, and
 * one pass per background row gives the exact interventional values (error 0).
 */
export async function sampledContributions(
	f: (x: Float32Array) => Promise<Float64Array>,
	outputs: number,
	x: Float32Array,
	inputs: number,
	groups: number[][],
	background: Float32Array,
	options: { samples: number; seed: number; exact: boolean }
): Promise<GroupContributions> {
	const n = x.length / inputs;
	const m = background.length / inputs;
	const g = groups.length;
	const samples = options.exact ? m : options.samples;
	const random = seededRandom(options.seed);
	const zs = Int32Array.from({ length: samples }, (_, s) =>
		options.exact ? s : Math.floor(random() * m)
	);
	const orders = Array.from({ length: samples }, () =>
		options.exact
			? Int32Array.from({ length: g }, (_, i) => i)
			: shuffleInPlace(
					Int32Array.from({ length: g }, (_, i) => i),
					random
				)
	);
	const fz = await f(background);
	const base = new Float64Array(outputs);
	for (const z of zs) for (let k = 0; k < outputs; k++) base[k]! += fz[z * outputs + k]! / samples;
	const phi = new Float64Array(n * outputs * g);
	const squares = new Float64Array(n * outputs * g);
	// Rows per block: at most ~4 million cells of hybrid rows in memory at once.
	const perRow = samples * g * inputs;
	const block = Math.max(1, Math.floor(4_000_000 / Math.max(1, perRow)));
	for (let from = 0; from < n; from += block) {
		const rows = Math.min(block, n - from);
		const hybrid = new Float32Array(rows * samples * g * inputs);
		let at = 0;
		for (let r = 0; r < rows; r++) {
			const xr = (from + r) * inputs;
			for (let s = 0; s < samples; s++) {
				const current = background.slice(zs[s]! * inputs, (zs[s]! + 1) * inputs);
				for (const group of orders[s]!) {
					for (const j of groups[group]!) current[j] = x[xr + j]!;
					hybrid.set(current, at);
					at += inputs;
				}
			}
		}
		const out = await f(hybrid);
		for (let r = 0; r < rows; r++)
			for (let s = 0; s < samples; s++) {
				const order = orders[s]!;
				for (let step = 0; step < g; step++) {
					const here = ((r * samples + s) * g + step) * outputs;
					const before = step === 0 ? zs[s]! * outputs : here - outputs;
					const from0 = step === 0 ? fz : out;
					for (let k = 0; k < outputs; k++) {
						const d = out[here + k]! - from0[before + k]!;
						const cell = ((from + r) * outputs + k) * g + order[step]!;
						phi[cell]! += d / samples;
						squares[cell]! += (d * d) / samples;
					}
				}
			}
	}
	const error = new Float64Array(phi.length);
	if (!options.exact && samples > 1)
		for (let i = 0; i < phi.length; i++)
			error[i] = Math.sqrt(Math.max(0, squares[i]! - phi[i]! ** 2) / (samples - 1));
	return { outputs, base, phi, error };
}
