import * as v from 'valibot';
import type { ExperimentConfig } from '../model/types';
import type { ModelSpec } from '../model/spec';
import type { PeriodUnit } from '../model/recency';

/**
 * How a bundle's model was trained — the recipe as the user set it (before fitting), the split,
 * the spec that was trained (an automatic choice's winner, an ensemble's members and weights) and
 * the refit and recency options — so that `driftwood retrain` can replay them on new rows. Absent
 * from bundles made before it, and from bundles a studio imported without it.
 */
export interface TrainingSettings {
	task: 'binary' | 'multiclass' | 'regression';
	recipe: ExperimentConfig['recipe'];
	split: {
		kind: 'random' | 'stratified' | 'time';
		seed: number;
		validation: number;
		test: number;
		timeColumn: string | null;
	};
	model: ModelSpec;
	refit: boolean;
	finalRefit: boolean;
	halfLife: { periods: number; unit: PeriodUnit } | null;
}

const UNITS: PeriodUnit[] = ['day', 'week', 'month', 'quarter', 'year'];
const finite = v.pipe(v.number(), v.finite());
const share = v.pipe(v.number(), v.minValue(0), v.maxValue(0.9));
const seed = v.pipe(v.number(), v.integer());
const count = (min: number, max: number) =>
	v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));

const numericOptions = v.strictObject({
	impute: v.picklist(['mean', 'median', 'constant']),
	constant: finite,
	indicator: v.boolean(),
	clip: v.nullable(
		v.strictObject({ lower: v.pipe(finite, v.minValue(0)), upper: v.pipe(finite, v.maxValue(1)) })
	),
	scale: v.picklist(['standard', 'minmax', 'robust', 'none'])
});

const step = v.variant('kind', [
	v.strictObject({ column: v.string(), kind: v.literal('numeric'), numeric: numericOptions }),
	v.strictObject({
		column: v.string(),
		kind: v.literal('categorical'),
		categorical: v.strictObject({
			impute: v.picklist(['most_frequent', 'constant']),
			constant: v.string(),
			encode: v.picklist(['onehot', 'ordinal']),
			maxCategories: count(1, 100_000)
		})
	}),
	v.strictObject({
		column: v.string(),
		kind: v.literal('datetime'),
		parts: v.array(v.picklist(['year', 'month', 'weekday', 'dayofyear', 'hour'])),
		numeric: numericOptions
	}),
	v.strictObject({ column: v.string(), kind: v.literal('drop'), reason: v.string() })
]);

const neural = v.strictObject({
	kind: v.picklist(['linear', 'mlp']),
	hidden: v.array(count(1, 4096)),
	activation: v.picklist(['relu', 'tanh', 'elu', 'selu']),
	dropout: v.pipe(v.number(), v.minValue(0), v.maxValue(0.95)),
	l2: v.pipe(finite, v.minValue(0)),
	inputNoise: v.pipe(finite, v.minValue(0)),
	learningRate: v.pipe(finite, v.minValue(0)),
	batchSize: count(1, 1_000_000),
	epochs: count(1, 100_000),
	patience: count(0, 100_000),
	classWeights: v.picklist(['none', 'balanced']),
	seed,
	seeds: v.optional(count(1, 16))
});

const gbdt = v.strictObject({
	kind: v.literal('gbdt'),
	maxIterations: count(1, 100_000),
	learningRate: v.pipe(finite, v.minValue(0)),
	maxLeaves: count(2, 100_000),
	minSamplesLeaf: count(1, 1_000_000_000),
	l2: v.pipe(finite, v.minValue(0)),
	maxBins: count(2, 255),
	patience: count(0, 100_000),
	classWeights: v.picklist(['none', 'balanced']),
	seed
});

const family = v.variant('kind', [neural, gbdt]);

/** `training` in manifest.json: checked field by field like the rest of the manifest. */
export const TrainingSchema = v.strictObject({
	task: v.picklist(['binary', 'multiclass', 'regression']),
	recipe: v.strictObject({ target: v.string(), steps: v.array(step) }),
	split: v.strictObject({
		kind: v.picklist(['random', 'stratified', 'time']),
		seed,
		validation: share,
		test: share,
		timeColumn: v.nullable(v.string())
	}),
	model: v.variant('kind', [
		neural,
		gbdt,
		v.strictObject({
			kind: v.literal('ensemble'),
			members: v.pipe(
				v.array(v.strictObject({ spec: family, weight: v.pipe(finite, v.minValue(0)) })),
				v.minLength(2),
				v.maxLength(20)
			),
			seed
		})
	]),
	refit: v.boolean(),
	finalRefit: v.boolean(),
	halfLife: v.nullable(
		v.strictObject({ periods: v.pipe(finite, v.gtValue(0)), unit: v.picklist(UNITS) })
	)
});

/**
 * The settings a run's bundle records: its config, with the spec the run trained in place of a
 * choice. Null when they would not pass the manifest's own check (a run stored by an older
 * studio, say): the bundle is then made without them, and `retrain` says why it cannot replay it.
 */
export function trainingSettings(
	config: ExperimentConfig,
	result: { task: TrainingSettings['task']; model: ModelSpec }
): TrainingSettings | null {
	const settings: TrainingSettings = {
		task: result.task,
		recipe: config.recipe,
		split: {
			kind: config.split.kind,
			seed: config.split.seed,
			validation: config.split.validation,
			test: config.split.test,
			timeColumn: config.split.timeColumn ?? null
		},
		model: result.model,
		refit: config.refit !== false,
		// A run with a held-out test file kept that file out on purpose, so did its refit; a replay
		// on new files has no such file, and fits its deployed model on every row as a run does.
		finalRefit: config.finalRefit !== false,
		halfLife: config.halfLife ?? null
	};
	const checked = v.safeParse(TrainingSchema, settings);
	return checked.success ? (checked.output as TrainingSettings) : null;
}
