// Models of every family and task on a generated table that exercises every recipe step, for the
// ONNX export's parity tests: numbers with missing cells and outliers, categories with rare and
// missing levels, a yes/no column and an hourly datetime over two years.
import { describeModel, freshModelInput } from '../../src/lib/core/bundle/describe';
import type { Manifest } from '../../src/lib/core/bundle/manifest';
import { runExperiment } from '../../src/lib/core/model/experiment';
import type { SavedModel } from '../../src/lib/core/model/family';
import {
	DEFAULT_GBDT,
	DEFAULT_LINEAR,
	DEFAULT_MLP,
	type EnsembleSpec,
	type FamilySpec
} from '../../src/lib/core/model/spec';
import type { Task } from '../../src/lib/core/model/task';
import { profileTable } from '../../src/lib/core/profile/profile';
import { seededRandom } from '../../src/lib/core/stats/random';
import type { ColumnStep, NumericOptions, RecipeSpec } from '../../src/lib/core/recipe/types';
import { sniffDialect } from '../../src/lib/core/table/dialect';
import { chunksOf, readTable } from '../../src/lib/core/table/read';
import type { Table } from '../../src/lib/core/table/types';

/** Raw rows as a user's file holds them: numbers (NaN = empty cell), text ('' = empty), instants. */
export interface RawRows {
	size: number[];
	ratio: number[];
	count: number[];
	colour: string[];
	grade: string[];
	member: string[];
	when: number[];
	churn: string[];
	tier: string[];
	spend: number[];
}

const COLOURS = ['red', 'green', 'blue', 'amber', 'violet', 'teal'];
const GRADES = ['A', 'B', 'C', 'D'];
const START = Date.UTC(2023, 0, 1);
const HOUR = 3_600_000;

/**
 * `n` rows; `fresh` rows are the kind a model meets later: categories it never saw, instants
 * after its training range, values beyond its clip bounds, and more missing cells.
 */
export function generateRows(n: number, seed: number, fresh = false): RawRows {
	const r = seededRandom(seed);
	const normal = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
	const rows: RawRows = {
		size: [],
		ratio: [],
		count: [],
		colour: [],
		grade: [],
		member: [],
		when: [],
		churn: [],
		tier: [],
		spend: []
	};
	const missing = fresh ? 0.15 : 0.06;
	for (let i = 0; i < n; i++) {
		const size = 50 + 10 * normal() + (r() < 0.02 ? 400 : 0);
		const ratio = r();
		const count = Math.floor(r() * 21);
		const colour = fresh && r() < 0.1 ? 'magenta' : COLOURS[Math.floor(r() ** 2 * COLOURS.length)]!;
		const grade = GRADES[Math.floor(r() * GRADES.length)]!;
		const member = r() < 0.4 ? 'yes' : 'no';
		const when = START + Math.floor(r() * (fresh ? 3 : 2) * 365 * 24) * HOUR;
		const hour = new Date(when).getUTCHours();
		const month = new Date(when).getUTCMonth();
		const score =
			0.08 * (size - 50) +
			2 * (ratio - 0.5) +
			(colour === 'red' ? 1 : colour === 'blue' ? -1 : 0) +
			(member === 'yes' ? 0.8 : 0) +
			0.5 * Math.sin((2 * Math.PI * month) / 12) +
			(hour >= 18 ? 0.7 : 0) +
			0.6 * normal();
		rows.size.push(r() < missing ? NaN : Math.round(size * 100) / 100);
		rows.ratio.push(r() < missing ? NaN : Math.round(ratio * 1e4) / 1e4);
		rows.count.push(count);
		rows.colour.push(r() < missing ? '' : colour);
		rows.grade.push(grade);
		rows.member.push(fresh && r() < missing ? '' : member);
		rows.when.push(r() < missing / 2 ? NaN : when);
		rows.churn.push(score > 0.3 ? 'yes' : 'no');
		rows.tier.push(score < -0.5 ? 'low' : score < 0.8 ? 'mid' : 'high');
		rows.spend.push(Math.round((120 + 35 * score + 0.4 * count) * 100) / 100);
	}
	return rows;
}

const NUMBERS = ['size', 'ratio', 'count', 'spend'] as const;

/** The rows as a CSV file (ISO instants, empty cells for missing). */
export function rowsCsv(rows: RawRows): string {
	const names = Object.keys(rows) as (keyof RawRows)[];
	const lines = [names.join(',')];
	for (let i = 0; i < rows.size.length; i++) {
		lines.push(
			names
				.map((name) => {
					const v = rows[name][i]!;
					if (name === 'when') return Number.isNaN(v) ? '' : new Date(v as number).toISOString();
					if ((NUMBERS as readonly string[]).includes(name))
						return Number.isNaN(v) ? '' : String(v);
					return String(v);
				})
				.join(',')
		);
	}
	return lines.join('\n') + '\n';
}

export async function tableOf(csv: string): Promise<Table> {
	const bytes = new TextEncoder().encode(csv);
	const { table } = await readTable(chunksOf(bytes), {
		dialect: sniffDialect(bytes, 'rows.csv'),
		totalBytes: bytes.length
	});
	return table;
}

const numeric = (options: Partial<NumericOptions> = {}): NumericOptions => ({
	impute: 'median',
	constant: 0,
	indicator: false,
	clip: null,
	scale: 'standard',
	...options
});

/** A recipe that uses every step and option the export writes. */
export function fullRecipe(target: string): RecipeSpec {
	const others = ['churn', 'tier', 'spend'].filter((t) => t !== target);
	const steps: ColumnStep[] = [
		{
			column: 'size',
			kind: 'numeric',
			numeric: numeric({ indicator: true, clip: { lower: 0.01, upper: 0.99 } })
		},
		{ column: 'ratio', kind: 'numeric', numeric: numeric({ impute: 'mean', scale: 'minmax' }) },
		{
			column: 'count',
			kind: 'numeric',
			numeric: numeric({ impute: 'constant', constant: -1, scale: 'robust' })
		},
		{
			column: 'colour',
			kind: 'categorical',
			categorical: { impute: 'most_frequent', constant: '', encode: 'onehot', maxCategories: 4 }
		},
		{
			column: 'grade',
			kind: 'categorical',
			categorical: { impute: 'most_frequent', constant: '', encode: 'ordinal', maxCategories: 20 }
		},
		{
			column: 'member',
			kind: 'categorical',
			categorical: { impute: 'constant', constant: 'unknown', encode: 'onehot', maxCategories: 20 }
		},
		{
			column: 'when',
			kind: 'datetime',
			parts: ['year', 'month', 'weekday', 'dayofyear', 'hour'],
			numeric: numeric({ indicator: true })
		},
		...others.map((column) => ({ column, kind: 'drop' as const, reason: 'another target' }))
	];
	return { target, steps };
}

export interface ExportCase {
	name: string;
	task: Task;
	manifest: Omit<Manifest, 'files'>;
	saved: SavedModel;
}

const TARGETS: Record<Task, string> = { binary: 'churn', multiclass: 'tier', regression: 'spend' };

/** Trains `spec` for `task` on the training rows and describes it as a bundle would. */
export async function trainCase(
	table: Table,
	task: Task,
	spec: FamilySpec | EnsembleSpec
): Promise<ExportCase> {
	const target = TARGETS[task];
	const result = await runExperiment(table, {
		target,
		task,
		recipe: fullRecipe(target),
		split: { kind: 'random', seed: 3, validation: 0.15, test: 0.15 },
		model: spec,
		robustness: false,
		importance: false
	});
	const manifest = describeModel({
		name: `${spec.kind}-${task}`,
		version: 1,
		result,
		...freshModelInput(result),
		profile: profileTable(table, target),
		producer: 'Driftwood test',
		createdAt: '2026-12-02T00:00:00Z',
		lineage: {
			datasetId: 'd',
			datasetName: 'generated',
			datasetVersion: 1,
			tableId: 'x'.repeat(64),
			runId: 'r',
			trainedAt: '2026-12-02T00:00:00Z'
		}
	});
	return { name: `${spec.kind} ${task}`, task, manifest, saved: result.artifacts.model };
}

/** The three families, small enough to train in a second or two each. */
export const EXPORT_SPECS: FamilySpec[] = [
	DEFAULT_LINEAR,
	{ ...DEFAULT_MLP, hidden: [16, 8], activation: 'tanh', epochs: 8 },
	{ ...DEFAULT_GBDT, maxIterations: 25 }
];
