import type { DatePart, FittedNumeric, FittedRecipe } from '../recipe/types';
import type { ColumnType } from '../table/types';
import { DataType } from './types';
import { GraphBuilder, int, ints, ML_DOMAIN, OnnxExportError, texts } from './graph';

/** An input column as the graph needs it: its name and type (a bundle schema's column fits). */
export interface InputColumn {
	name: string;
	type: ColumnType;
}

/** The batch dimension of every input and output. */
export const BATCH = 'N';

/**
 * How a column of a type enters the graph, the one rule of the I/O contract: numbers and
 * datetimes (epoch milliseconds, UTC) as `double` with NaN for missing, everything else as the
 * category's text with "" for missing.
 */
export function onnxInput(type: ColumnType): { type: 'double' | 'string'; meaning: string } {
	if (type === 'numeric') return { type: 'double', meaning: 'NaN when missing' };
	if (type === 'datetime')
		return { type: 'double', meaning: 'epoch milliseconds (UTC), NaN when missing' };
	return { type: 'string', meaning: '"" when missing' };
}

/**
 * The fitted recipe as ONNX operators, from one input per schema column (named exactly as the
 * column, `[N, 1]`: `double` for numeric and datetime with NaN for missing, `string` otherwise
 * with "" for missing) to the model's input matrix (`float [N, features]`). Mirrors
 * `transformTable` step by step, in double precision, then rounds to float32 as it does.
 */
export function recipeGraph(
	g: GraphBuilder,
	schema: readonly InputColumn[],
	recipe: FittedRecipe
): string {
	const inputs = new Map<string, string>();
	for (const column of schema) {
		const input = onnxInput(column.type);
		inputs.set(
			column.name,
			g.input(
				column.name,
				input.type === 'double' ? DataType.DOUBLE : DataType.STRING,
				[BATCH, 1],
				input.meaning
			)
		);
	}
	const pieces: string[] = [];
	let width = 0;
	for (const step of recipe.steps) {
		const x = inputs.get(step.column);
		const column = schema.find((c) => c.name === step.column);
		if (!x || !column)
			throw new OnnxExportError(`The recipe reads "${step.column}", which the schema lacks.`);
		const numeric = onnxInput(column.type).type === 'double';
		if (step.kind === 'numeric' || step.kind === 'datetime') {
			if (!numeric)
				throw new OnnxExportError(
					`The recipe scales "${step.column}" as a number, but the schema types it ${column.type}.`
				);
			if (step.kind === 'numeric') {
				width += numericPieces(g, x, step.numeric, pieces);
			} else {
				const ms = validInstant(g, x);
				for (const part of step.parts)
					width += numericPieces(g, datePartOf(g, ms, part.part), part.numeric, pieces);
			}
		} else {
			if (numeric)
				throw new OnnxExportError(
					`The recipe encodes "${step.column}" as categories, but the schema types it ${column.type}: the ONNX input would be a number.`
				);
			if (step.categories.includes(''))
				throw new OnnxExportError(
					`"${step.column}" keeps an empty category, which ONNX inputs reserve for missing values.`
				);
			const k = step.categories.length;
			const fillIndex = step.fill === null ? -1 : step.categories.indexOf(step.fill);
			// Missing ("") takes the fill's index — or, where the recipe keeps it missing, k + 1, a
			// slot past the block (no 1; NaN for ordinal); unseen categories (and a fill that was
			// not kept) take "other", index k — exactly transformTable's rule.
			const missingIndex = step.keepMissing ? k + 1 : fillIndex >= 0 ? fillIndex : k;
			const keys = [...step.categories, ''];
			const values = [...step.categories.map((_, i) => i), missingIndex];
			const index = g.op(
				'LabelEncoder',
				[x],
				{ keys_strings: texts(keys), values_int64s: ints(values), default_int64: int(k) },
				ML_DOMAIN
			);
			if (step.encode === 'ordinal') {
				const code = g.op('Cast', [index], { to: int(DataType.FLOAT) });
				pieces.push(
					step.keepMissing
						? g.op('Where', [
								g.op('Equal', [index, g.int64s([k + 1], [])]),
								g.floats([NaN], []),
								code
							])
						: code
				);
				width += 1;
			} else {
				const slots = g.int64s(
					Array.from({ length: k + 1 }, (_, i) => i),
					[1, k + 1]
				);
				const hot = g.op('Equal', [index, slots]);
				pieces.push(g.op('Cast', [hot], { to: int(DataType.FLOAT) }));
				width += k + 1;
			}
		}
	}
	if (width !== recipe.features.length)
		throw new OnnxExportError(
			`The recipe graph makes ${width} features but the recipe lists ${recipe.features.length}.`
		);
	return pieces.length === 1 ? pieces[0]! : g.op('Concat', pieces, { axis: int(1) });
}

/**
 * One numeric feature (and its missing flag) as transformTable writes it: non-finite → fill
 * (or NaN where the recipe keeps missing values), clip, (x − center) / scale in double, then
 * float32. Appends the float pieces; returns their width.
 */
function numericPieces(
	g: GraphBuilder,
	x: string,
	fitted: FittedNumeric,
	pieces: string[]
): number {
	const missing = g.op('Or', [g.op('IsNaN', [x]), g.op('IsInf', [x])]);
	let v = g.op('Where', [missing, g.doubles([fitted.fill], []), x]);
	if (fitted.clipLower !== null) v = g.op('Max', [v, g.doubles([fitted.clipLower], [])]);
	if (fitted.clipUpper !== null) v = g.op('Min', [v, g.doubles([fitted.clipUpper], [])]);
	const scaled = g.op('Div', [
		g.op('Sub', [v, g.doubles([fitted.center], [])]),
		g.doubles([fitted.scale], [])
	]);
	// A recipe that keeps missing values (for the trees) hands them on as NaN.
	const value = fitted.keepMissing
		? g.op('Where', [missing, g.doubles([NaN], []), scaled])
		: scaled;
	pieces.push(g.op('Cast', [value], { to: int(DataType.FLOAT) }));
	if (fitted.indicator) pieces.push(g.op('Cast', [missing], { to: int(DataType.FLOAT) }));
	return fitted.indicator ? 2 : 1;
}

/** JavaScript dates hold ±8.64e15 ms; beyond that an instant is invalid, hence missing (NaN). */
const MAX_INSTANT = 8.64e15;

function validInstant(g: GraphBuilder, ms: string): string {
	const beyond = g.op('Greater', [g.op('Abs', [ms]), g.doubles([MAX_INSTANT], [])]);
	return g.op('Where', [beyond, g.doubles([NaN], []), ms]);
}

/**
 * A UTC calendar part of epoch milliseconds, in double arithmetic (exact on whole numbers):
 * days since 1970 → proleptic Gregorian date by the era/day-of-era method, as `datePart` computes
 * with Date's UTC getters. NaN stays NaN.
 */
function datePartOf(g: GraphBuilder, ms: string, part: DatePart): string {
	const c = (v: number) => g.doubles([v], []);
	const add = (a: string, b: string) => g.op('Add', [a, b]);
	const sub = (a: string, b: string) => g.op('Sub', [a, b]);
	const mul = (a: string, b: string) => g.op('Mul', [a, b]);
	const floorDiv = (a: string, b: number) => g.op('Floor', [g.op('Div', [a, c(b)])]);
	const days = floorDiv(ms, 86_400_000);
	if (part === 'hour') return floorDiv(sub(ms, mul(days, c(86_400_000))), 3_600_000);
	if (part === 'weekday') {
		// 1970-01-01 was a Thursday (4); Sunday is 0.
		const shifted = add(days, c(4));
		return sub(shifted, mul(floorDiv(shifted, 7), c(7)));
	}
	const z = add(days, c(719_468));
	const era = floorDiv(z, 146_097);
	const doe = sub(z, mul(era, c(146_097)));
	const yoe = floorDiv(
		sub(add(sub(doe, floorDiv(doe, 1460)), floorDiv(doe, 36_524)), floorDiv(doe, 146_096)),
		365
	);
	const doy = sub(doe, sub(add(mul(yoe, c(365)), floorDiv(yoe, 4)), floorDiv(yoe, 100)));
	const mp = floorDiv(add(mul(doy, c(5)), c(2)), 153);
	const month = g.op('Where', [g.op('Less', [mp, c(10)]), add(mp, c(3)), sub(mp, c(9))]);
	if (part === 'month') return month;
	const january = g.op('Cast', [g.op('Less', [month, c(3)])], { to: int(DataType.DOUBLE) });
	const year = add(add(yoe, mul(era, c(400))), january);
	if (part === 'year') return year;
	// Day of year: days since 1 January of that year, plus one.
	const before = sub(year, c(1));
	const era1 = floorDiv(before, 400);
	const yoe1 = sub(before, mul(era1, c(400)));
	const doe1 = add(sub(add(mul(yoe1, c(365)), floorDiv(yoe1, 4)), floorDiv(yoe1, 100)), c(306));
	const newYear = sub(add(mul(era1, c(146_097)), doe1), c(719_468));
	return add(sub(days, newYear), c(1));
}
