import * as v from 'valibot';
import { FAMILY_NAMES } from '../model/families';
import { COLUMN_TYPES } from '../table/types';
import { TrainingSchema } from './training';
import { MAX_CONFORMAL_SCORES } from '../conformal/conformal';

/** The `format` every Driftwood bundle manifest carries. */
export const BUNDLE_FORMAT = 'driftwood-bundle';
/**
 * 2: the manifest names the model's family and lists its files (`model/…`, as the family saves
 * them). 1: a tfjs layers model in `model/model.json` + `model/weights.bin`; still imported.
 */
export const BUNDLE_FORMAT_VERSION = 2;

/**
 * A path a bundle may hold besides manifest.json: the card, the model as ONNX (with its
 * preprocessing; absent from bundles made before it), or one of the model's files.
 */
export const BUNDLE_PATH =
	/^(README\.md|model\.onnx|model\/(m[0-9]{1,2}\/)?[A-Za-z0-9][A-Za-z0-9._-]{0,99})$/;

/** The bundle's ONNX file: derived from the manifest and the model, checksummed like them. */
export const ONNX_PATH = 'model.onnx';

const finite = v.pipe(v.number(), v.finite());
const metricSet = v.record(v.string(), v.nullable(finite));
const sha256 = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/));

const fittedNumeric = v.strictObject({
	fill: finite,
	indicator: v.boolean(),
	clipLower: v.nullable(finite),
	clipUpper: v.nullable(finite),
	center: finite,
	scale: finite,
	keepMissing: v.optional(v.literal(true))
});

const fittedStep = v.variant('kind', [
	v.strictObject({ column: v.string(), kind: v.literal('numeric'), numeric: fittedNumeric }),
	v.strictObject({
		column: v.string(),
		kind: v.literal('categorical'),
		categories: v.array(v.string()),
		fill: v.nullable(v.string()),
		encode: v.picklist(['onehot', 'ordinal']),
		other: v.boolean(),
		keepMissing: v.optional(v.literal(true))
	}),
	v.strictObject({
		column: v.string(),
		kind: v.literal('datetime'),
		parts: v.array(
			v.strictObject({
				part: v.picklist(['year', 'month', 'weekday', 'dayofyear', 'hour']),
				numeric: fittedNumeric
			})
		)
	})
]);

const share = v.pipe(v.number(), v.minValue(0), v.maxValue(1));
const sortedScores = v.pipe(
	v.array(v.pipe(finite, v.minValue(0))),
	v.minLength(1),
	v.maxLength(MAX_CONFORMAL_SCORES),
	v.check((s) => s.every((x, i) => i === 0 || s[i - 1]! <= x), 'scores must be sorted')
);
const coverage = v.strictObject({
	level: share,
	rows: v.pipe(v.number(), v.integer(), v.minValue(1)),
	coverage: share,
	lower: share,
	upper: share,
	width: v.pipe(finite, v.minValue(0)),
	empty: v.optional(share),
	below: v.boolean()
});
/** Conformal bounds as a bundle carries them (see core/conformal). */
const ConformalSchema = v.strictObject({
	calibration: v.variant('kind', [
		v.strictObject({
			kind: v.literal('interval'),
			rows: v.pipe(v.number(), v.integer(), v.minValue(1)),
			scores: sortedScores,
			spread: v.nullable(
				v.pipe(
					v.strictObject({
						edges: v.array(finite),
						values: v.array(v.pipe(finite, v.minValue(Number.MIN_VALUE)))
					}),
					v.check(
						(s) =>
							s.values.length === s.edges.length + 1 &&
							s.edges.every((x, i) => i === 0 || s.edges[i - 1]! < x),
						'a spread has one more band than edges, its edges ascending'
					)
				)
			)
		}),
		v.strictObject({
			kind: v.literal('set'),
			rows: v.pipe(v.number(), v.integer(), v.minValue(1)),
			scores: sortedScores
		})
	]),
	source: v.optional(v.picklist(['folds', 'validation'])),
	test: v.nullable(coverage),
	exchangeable: v.boolean()
});

const logLoss = v.pipe(v.number(), v.minValue(0));
/** A classifier's probability calibration as a bundle carries it (see core/calibration). */
const ProbabilityCalibrationSchema = v.strictObject({
	map: v.nullable(
		v.strictObject({
			method: v.picklist(['platt', 'temperature']),
			scale: finite,
			bias: v.array(finite)
		})
	),
	method: v.picklist(['platt', 'temperature']),
	rows: v.pipe(v.number(), v.integer(), v.minValue(1)),
	raw: logLoss,
	calibrated: logLoss,
	error: v.pipe(v.number(), v.minValue(0)),
	test: v.strictObject({ raw: v.nullable(logLoss), calibrated: v.nullable(logLoss) })
});

/** One input column as the model expects it (MLflow-style signature). */
export const SchemaColumn = v.strictObject({
	name: v.string(),
	type: v.picklist(COLUMN_TYPES),
	required: v.boolean(),
	categories: v.optional(v.array(v.string())),
	range: v.optional(v.tuple([finite, finite]))
});

const modelFields = {
	name: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
	version: v.pipe(v.number(), v.integer(), v.minValue(1)),
	task: v.picklist(['binary', 'multiclass', 'regression']),
	labels: v.array(v.string()),
	target: v.string()
};

/** The fields every format shares. */
const manifestFields = {
	format: v.literal(BUNDLE_FORMAT),
	createdAt: v.string(),
	producer: v.string(),
	schema: v.pipe(v.array(SchemaColumn), v.minLength(1)),
	recipe: v.strictObject({
		version: v.literal(1),
		target: v.string(),
		steps: v.array(fittedStep),
		features: v.array(v.string())
	}),
	targetScale: v.nullable(v.strictObject({ center: finite, scale: finite })),
	metrics: v.strictObject({ test: metricSet, baseline: metricSet, validation: metricSet }),
	reference: v.strictObject({
		/** Rows the reference describes: the training split (the whole dataset in older bundles). */
		rows: v.pipe(v.number(), v.integer(), v.minValue(0)),
		/** Classifiers: P(right | confidence) fitted on the validation rows, for estimating accuracy (CBPE). */
		calibration: v.optional(v.nullable(v.strictObject({ x: v.array(finite), y: v.array(finite) }))),
		/** Raw values of up to 10,000 training rows: what monitoring compares batches with. */
		sample: v.optional(
			v.strictObject({
				rows: v.pipe(v.number(), v.integer(), v.minValue(0)),
				columns: v.array(
					v.strictObject({
						name: v.string(),
						numeric: v.boolean(),
						values: v.pipe(v.array(v.nullable(v.union([finite, v.string()]))), v.maxLength(10_000))
					})
				)
			})
		),
		columns: v.array(
			v.strictObject({
				name: v.string(),
				type: v.picklist(COLUMN_TYPES),
				count: finite,
				missing: finite,
				mean: v.nullable(finite),
				std: v.nullable(finite),
				min: v.nullable(finite),
				max: v.nullable(finite),
				/** Numeric: quartiles (pandas' linear rule); absent in bundles made before them. */
				quantiles: v.optional(
					v.nullable(v.strictObject({ p25: finite, p50: finite, p75: finite }))
				),
				histogram: v.nullable(v.strictObject({ edges: v.array(finite), counts: v.array(finite) })),
				categories: v.nullable(v.array(v.strictObject({ value: v.string(), count: finite })))
			})
		)
	}),
	/**
	 * Split-conformal bounds (absent in older bundles, null without held-out rows): the sorted
	 * scores of the validation rows, a regression's spread by prediction, and the coverage the
	 * test rows measured at 90 %.
	 */
	conformal: v.optional(v.nullable(ConformalSchema)),
	/**
	 * Classifiers: the probability map (Platt / temperature) the model's outputs pass through, with
	 * its evidence; `map` null when calibration did not lower the held-out log loss beyond chance.
	 * Absent in older bundles and for regression.
	 */
	probabilityCalibration: v.optional(v.nullable(ProbabilityCalibrationSchema)),
	/** How the model was trained, for `driftwood retrain` (absent in older bundles). */
	training: v.optional(TrainingSchema),
	lineage: v.strictObject({
		datasetId: v.string(),
		datasetName: v.string(),
		datasetVersion: v.pipe(v.number(), v.integer()),
		tableId: v.string(),
		runId: v.string(),
		trainedAt: v.string()
	})
};

/** manifest.json (format 2), validated field by field before anything else is read. */
export const ManifestSchema = v.strictObject({
	...manifestFields,
	formatVersion: v.literal(BUNDLE_FORMAT_VERSION),
	model: v.strictObject({ ...modelFields, family: v.picklist(FAMILY_NAMES) }),
	/** SHA-256 of every other file: README.md, model.onnx and each `model/…` file. */
	files: v.record(v.pipe(v.string(), v.regex(BUNDLE_PATH)), sha256)
});

/** A format-1 manifest: no family, the two files of a tfjs layers model. */
export const ManifestV1Schema = v.strictObject({
	...manifestFields,
	formatVersion: v.literal(1),
	model: v.strictObject(modelFields),
	files: v.strictObject({
		'model/model.json': sha256,
		'model/weights.bin': sha256,
		'README.md': sha256
	})
});

/** A validated manifest (format 2; a format-1 one is upgraded on import). */
export type Manifest = v.InferOutput<typeof ManifestSchema>;
/** One input column of the manifest's schema. */
export type SchemaColumnSpec = v.InferOutput<typeof SchemaColumn>;
