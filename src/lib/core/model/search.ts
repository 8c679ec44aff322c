import { seededRandom } from '../stats/random';
import type { FamilySpec, GbdtSpec, ModelChoice, NeuralSpec } from './spec';

/** The ranges a random search samples from; the user edits them. */
export interface SearchSpace {
	/** Log-uniform. */
	learningRate: [number, number];
	/** Uniform. */
	dropout: [number, number];
	/** Log-uniform; a lower bound of 0 means "0 or the range", half the time each. */
	l2: [number, number];
	/** Hidden layer layouts to pick from (MLP only). */
	hidden: number[][];
	batchSize: number[];
	/** The ranges of a tree search (gradient-boosted trees). */
	trees: TreeSpace;
}

/** What a random search over gradient-boosted trees draws. */
export interface TreeSpace {
	/** Log-uniform. */
	learningRate: [number, number];
	/** Leaves per tree to pick from. */
	maxLeaves: number[];
	/** Rows per leaf to pick from. */
	minSamplesLeaf: number[];
	/** Log-uniform; a lower bound of 0 means "0 or the range", half the time each. */
	l2: [number, number];
}

/** The ranges a random search draws from unless the user narrows them. */
export const DEFAULT_SPACE: SearchSpace = {
	learningRate: [0.0005, 0.02],
	dropout: [0, 0.4],
	l2: [0, 0.01],
	hidden: [[16], [32], [64], [64, 32]],
	batchSize: [16, 32, 64],
	trees: {
		learningRate: [0.02, 0.3],
		maxLeaves: [7, 15, 31, 63],
		minSamplesLeaf: [5, 10, 20, 50],
		l2: [0, 1]
	}
};

/** Every problem with a search space for `family`, in words; empty when it can be searched. */
export function validateSpace(
	space: SearchSpace,
	trials: number,
	family: ModelChoice['kind'] = 'mlp'
): string[] {
	if (family === 'auto')
		return [
			'A search explores one family: pick trees, the MLP or the linear model to search around.'
		];
	if (family === 'gbdt') return validateTreeSpace(space.trees, trials);
	const problems: string[] = [];
	const [lrLo, lrHi] = space.learningRate;
	if (!(lrLo > 0 && lrHi >= lrLo && lrHi <= 1))
		problems.push('The learning-rate range must lie in (0, 1], low ≤ high.');
	const [dLo, dHi] = space.dropout;
	if (!(dLo >= 0 && dHi >= dLo && dHi < 1))
		problems.push('The dropout range must lie in [0, 1), low ≤ high.');
	const [l2Lo, l2Hi] = space.l2;
	if (!(l2Lo >= 0 && l2Hi >= l2Lo && l2Hi <= 1))
		problems.push('The L2 range must lie in [0, 1], low ≤ high.');
	if (
		space.hidden.length === 0 ||
		space.hidden.some(
			(h) => h.length === 0 || h.some((u) => !Number.isInteger(u) || u < 1 || u > 4096)
		)
	) {
		problems.push('Each hidden layout needs 1 to 4096 units per layer, e.g. "32" or "64, 32".');
	}
	if (space.batchSize.length === 0 || space.batchSize.some((b) => !Number.isInteger(b) || b < 1))
		problems.push('Batch sizes must be whole numbers above 0.');
	if (!(Number.isInteger(trials) && trials >= 2 && trials <= 100))
		problems.push('A search runs 2 to 100 trials.');
	return problems;
}

function validateTreeSpace(space: TreeSpace, trials: number): string[] {
	const problems: string[] = [];
	const [lrLo, lrHi] = space.learningRate;
	if (!(lrLo > 0 && lrHi >= lrLo && lrHi <= 1))
		problems.push('The learning-rate range must lie in (0, 1], low ≤ high.');
	const [l2Lo, l2Hi] = space.l2;
	if (!(l2Lo >= 0 && l2Hi >= l2Lo && l2Hi <= 1e6))
		problems.push('The L2 range must be 0 or more, low ≤ high.');
	if (
		!space.maxLeaves.length ||
		space.maxLeaves.some((v) => !Number.isInteger(v) || v < 2 || v > 4096)
	)
		problems.push('Leaves per tree must be whole numbers from 2 to 4096, e.g. "15, 31, 63".');
	if (
		!space.minSamplesLeaf.length ||
		space.minSamplesLeaf.some((v) => !Number.isInteger(v) || v < 1)
	)
		problems.push('Rows per leaf must be whole numbers above 0, e.g. "5, 20, 50".');
	if (!(Number.isInteger(trials) && trials >= 2 && trials <= 100))
		problems.push('A search runs 2 to 100 trials.');
	return problems;
}

/** `trials` specs drawn from the space around `base` (seeded: the same search draws the same trials). */
export function sampleSpecs(
	base: FamilySpec,
	space: SearchSpace,
	trials: number,
	seed: number
): FamilySpec[] {
	if (base.kind === 'gbdt') return sampleTreeSpecs(base, space.trees, trials, seed);
	return sampleNeuralSpecs(base, space, trials, seed);
}

const logUniformOf =
	(random: () => number) =>
	([lo, hi]: [number, number]) =>
		Math.exp(Math.log(lo) + random() * (Math.log(hi) - Math.log(lo)));

function sampleTreeSpecs(
	base: GbdtSpec,
	space: TreeSpace,
	trials: number,
	seed: number
): GbdtSpec[] {
	const random = seededRandom(seed ^ 0x7ee5);
	const logUniform = logUniformOf(random);
	const pick = <T>(options: T[]): T => options[Math.floor(random() * options.length)]!;
	return Array.from({ length: trials }, (_, i) => ({
		...base,
		learningRate: round(logUniform(space.learningRate)),
		maxLeaves: pick(space.maxLeaves),
		minSamplesLeaf: pick(space.minSamplesLeaf),
		l2:
			space.l2[0] === 0
				? random() < 0.5
					? 0
					: round(logUniform([Math.max(1e-6, space.l2[1] / 1000), space.l2[1]]))
				: round(logUniform(space.l2)),
		seed: base.seed + i
	}));
}

function sampleNeuralSpecs(
	base: NeuralSpec,
	space: SearchSpace,
	trials: number,
	seed: number
): NeuralSpec[] {
	const random = seededRandom(seed ^ 0x5ea7c4);
	const logUniform = ([lo, hi]: [number, number]) =>
		Math.exp(Math.log(lo) + random() * (Math.log(hi) - Math.log(lo)));
	const pick = <T>(options: T[]): T => options[Math.floor(random() * options.length)]!;
	return Array.from({ length: trials }, (_, i) => {
		const l2 =
			space.l2[0] === 0
				? random() < 0.5
					? 0
					: logUniform([Math.max(1e-6, space.l2[1] / 1000), space.l2[1]])
				: logUniform(space.l2);
		return {
			...base,
			learningRate: round(logUniform(space.learningRate)),
			dropout:
				base.kind === 'mlp'
					? round(space.dropout[0] + random() * (space.dropout[1] - space.dropout[0]))
					: 0,
			l2: round(l2),
			hidden: base.kind === 'mlp' ? [...pick(space.hidden)] : [],
			batchSize: pick(space.batchSize),
			seed: base.seed + i
		};
	});
}

function round(v: number): number {
	return Number(v.toPrecision(3));
}
