import type { DatePart } from '../recipe/types';
import { MISSING_KEY, rangeEdges } from './bins';
import {
	OUTCOME_FEATURE,
	plannedFeatures,
	TRUTH_FEATURE,
	summaryKeys,
	type Outcome,
	type PushdownFeature,
	type PushdownPlan
} from './pushdown-plan';
import { DriftError } from './report';

/** The SQL engines a pushdown query is written for. */
export const DIALECTS = ['duckdb', 'postgres', 'spark', 'bigquery'] as const;
export type Dialect = (typeof DIALECTS)[number];

/** The columns of a summary, in the order the query returns them. */
export const SUMMARY_COLUMNS = [
	'feature',
	'bin',
	'n',
	'min_value',
	'max_value',
	'sum_value',
	'sum_squares',
	'unseen_values'
] as const;

/** The largest finite double: a value outside ±this (NaN, ±∞) counts as missing. */
const MAX_DOUBLE = '1.7976931348623157e308';

interface DialectWords {
	quote(name: string): string;
	text(value: string): string;
	double: string;
	string: string;
	/** A cast that yields NULL where the value cannot be read (Postgres has none: it fails). */
	tryCast(expression: string, type: string): string;
	/** The series 1 … n as a FROM item whose column is `i`. */
	series(n: number): string;
	instantMs(ts: string): string;
	part(ts: string, part: DatePart): string;
	timestamp: string;
}

const ansiText = (value: string) => `'${value.replaceAll("'", "''")}'`;
/** Spark and BigQuery read a backslash in a string as an escape: escape it and the quote. */
const backslashText = (value: string) =>
	`'${value
		.replaceAll('\\', '\\\\')
		.replaceAll("'", "\\'")
		.replaceAll('\n', '\\n')
		.replaceAll('\r', '\\r')}'`;

const WORDS: Record<Dialect, DialectWords> = {
	duckdb: {
		quote: (n) => `"${n.replaceAll('"', '""')}"`,
		text: ansiText,
		double: 'DOUBLE',
		string: 'VARCHAR',
		tryCast: (e, t) => `TRY_CAST(${e} AS ${t})`,
		series: (n) => `range(1, ${n + 1}) AS k(i)`,
		instantMs: (ts) => `epoch_ms(${ts})`,
		part: (ts, part) => `EXTRACT(${ANSI_PARTS[part]} FROM ${ts})`,
		timestamp: 'TIMESTAMP'
	},
	postgres: {
		quote: (n) => `"${n.replaceAll('"', '""')}"`,
		text: ansiText,
		double: 'float8',
		string: 'TEXT',
		tryCast: (e, t) => `CAST(${e} AS ${t})`,
		series: (n) => `generate_series(1, ${n}) AS k(i)`,
		instantMs: (ts) => `EXTRACT(EPOCH FROM ${ts}) * 1000`,
		part: (ts, part) => `EXTRACT(${ANSI_PARTS[part]} FROM ${ts})`,
		timestamp: 'TIMESTAMP'
	},
	spark: {
		quote: (n) => `\`${n.replaceAll('`', '``')}\``,
		text: backslashText,
		double: 'DOUBLE',
		string: 'STRING',
		tryCast: (e, t) => `TRY_CAST(${e} AS ${t})`,
		series: (n) => `(SELECT explode(sequence(1, ${n})) AS i) AS k`,
		instantMs: (ts) => `unix_millis(${ts})`,
		part: (ts, part) =>
			part === 'weekday' ? `dayofweek(${ts}) - 1` : `${SPARK_PARTS[part]}(${ts})`,
		timestamp: 'TIMESTAMP'
	},
	bigquery: {
		quote: (n) => `\`${n.replaceAll('\\', '\\\\').replaceAll('`', '\\`')}\``,
		text: backslashText,
		double: 'FLOAT64',
		string: 'STRING',
		tryCast: (e, t) => `SAFE_CAST(${e} AS ${t})`,
		series: (n) => `UNNEST(GENERATE_ARRAY(1, ${n})) AS i`,
		instantMs: (ts) => `UNIX_MILLIS(${ts})`,
		part: (ts, part) =>
			part === 'weekday'
				? `EXTRACT(DAYOFWEEK FROM ${ts}) - 1`
				: `EXTRACT(${BIGQUERY_PARTS[part]} FROM ${ts})`,
		timestamp: 'TIMESTAMP'
	}
};

/** EXTRACT's field per part in DuckDB and Postgres: DOW counts from Sunday = 0, as JavaScript. */
const ANSI_PARTS: Record<DatePart, string> = {
	year: 'YEAR',
	month: 'MONTH',
	weekday: 'DOW',
	dayofyear: 'DOY',
	hour: 'HOUR'
};
const SPARK_PARTS: Record<DatePart, string> = {
	year: 'year',
	month: 'month',
	weekday: 'dayofweek',
	dayofyear: 'dayofyear',
	hour: 'hour'
};
const BIGQUERY_PARTS: Record<DatePart, string> = {
	year: 'YEAR',
	month: 'MONTH',
	weekday: 'DAYOFWEEK',
	dayofyear: 'DAYOFYEAR',
	hour: 'HOUR'
};

export interface PushdownOptions {
	dialect: Dialect;
	/** The table as the warehouse names it: `events`, `sales.events`, `"my table"`. */
	table: string;
	/** A condition that selects the batch (`event_date = '2026-12-01'`). */
	where?: string;
	/** A first comment line naming what the query is for. */
	title?: string;
}

/**
 * One SQL query that returns the summary a drift report needs for one batch, in one scan of the
 * table: per feature and reference bin, the rows (`n`), and for numbers the bin's min, max, sum and
 * sum of squares; for categories the number of distinct values never seen in training (`unseen`
 * bin). Missing values (NULL, NaN, ±∞, an empty text) have their own bin. Column names come from
 * the bundle only and are quoted per dialect; the table and condition are the user's, refused when
 * they could end the statement.
 */
export function pushdownSql(plan: PushdownPlan, options: PushdownOptions): string {
	const w = WORDS[options.dialect];
	const table = tableReference(options.table, options.dialect);
	const where = options.where?.trim()
		? checkedCondition(options.where.trim(), options.dialect)
		: null;
	const features = plannedFeatures(plan);
	const n = features.length;
	const typed = features.map((f, k) => `    ${valueOf(f, w)} AS f${k + 1}`);
	const bins = features.map((f, k) => `      WHEN ${k + 1} THEN ${binOf(f, `f${k + 1}`, w)}`);
	const numbers = features.flatMap((f, k) =>
		f.read.kind === 'text' ? [] : [`WHEN ${k + 1} THEN f${k + 1}`]
	);
	const texts = features.flatMap((f, k) =>
		f.read.kind === 'text' ? [`WHEN ${k + 1} THEN f${k + 1}`] : []
	);
	const names = features.map((f, k) => `WHEN ${k + 1} THEN ${w.text(f.name)}`);
	// The score's rows after the features: a confusion pair, or the error and the truth.
	const score = plan.outcome ? outcomeParts(plan.outcome, n, w) : null;
	if (score) {
		typed.push(...score.typed);
		bins.push(...score.bins);
		numbers.push(...score.numbers);
		names.push(...score.names);
	}
	const series = n + (score?.rows ?? 0);
	const caseOf = (arms: string[], type: string) =>
		arms.length ? `CASE i ${arms.join(' ')} END` : `CAST(NULL AS ${type})`;
	return [
		`-- ${commentText(options.title ?? 'Driftwood drift summary')}: ${n} feature${n === 1 ? '' : 's'} counted in the model's reference bins, one scan.`,
		`-- Save the result as CSV or JSON and run: driftwood drift --bundle <model.zip> --summary <result>`,
		'WITH typed AS (',
		'  SELECT',
		typed.join(',\n'),
		`  FROM ${table}`,
		...(where ? [`  WHERE ${where}`] : []),
		'),',
		'cells AS (',
		'  SELECT',
		'    i,',
		'    CASE i',
		bins.join('\n'),
		'    END AS bin,',
		`    ${caseOf(numbers, w.double)} AS v,`,
		`    ${caseOf(texts, w.string)} AS t`,
		`  FROM typed CROSS JOIN ${w.series(series)}`,
		')',
		'SELECT',
		`  CASE i ${names.join(' ')} END AS feature,`,
		'  bin,',
		'  COUNT(*) AS n,',
		'  MIN(v) AS min_value,',
		'  MAX(v) AS max_value,',
		'  SUM(v) AS sum_value,',
		'  SUM(v * v) AS sum_squares,',
		`  COUNT(DISTINCT CASE WHEN bin = 'unseen' THEN t END) AS unseen_values`,
		'FROM cells',
		'GROUP BY i, bin',
		'ORDER BY i, bin'
	].join('\n');
}

/**
 * The query's parts for the score, numbered after the `n` features: classes as one row per
 * (label, prediction) pair of the model's label indices; numbers as the error (prediction −
 * truth) and the truth, both counted where both are present.
 */
function outcomeParts(
	outcome: Outcome,
	n: number,
	w: DialectWords
): { rows: number; typed: string[]; bins: string[]; numbers: string[]; names: string[] } {
	const target = w.quote(outcome.target);
	const prediction = w.quote(outcome.prediction);
	if (outcome.kind === 'classes') {
		const index = (v: string) =>
			`CASE ${v} ${outcome.labels.map((l, i) => `WHEN ${w.text(l)} THEN '${i}'`).join(' ')} ELSE 'unknown' END`;
		return {
			rows: 1,
			typed: [
				`    CAST(${target} AS ${w.string}) AS o1`,
				`    CAST(${prediction} AS ${w.string}) AS o2`
			],
			bins: [
				`      WHEN ${n + 1} THEN CASE WHEN o1 IS NULL OR o1 = '' OR o2 IS NULL OR o2 = '' THEN 'missing' ELSE CONCAT('pair ', ${index('o1')}, ' ', ${index('o2')}) END`
			],
			numbers: [],
			names: [`WHEN ${n + 1} THEN ${w.text(OUTCOME_FEATURE)}`]
		};
	}
	const both = `o2 - o1 BETWEEN -${MAX_DOUBLE} AND ${MAX_DOUBLE}`;
	return {
		rows: 2,
		typed: [
			`    ${w.tryCast(target, w.double)} AS o1`,
			`    ${w.tryCast(prediction, w.double)} AS o2`
		],
		bins: [
			`      WHEN ${n + 1} THEN CASE WHEN ${both} THEN 'error' ELSE 'missing' END`,
			`      WHEN ${n + 2} THEN CASE WHEN ${both} THEN 'value' ELSE 'missing' END`
		],
		numbers: [`WHEN ${n + 1} THEN o2 - o1`, `WHEN ${n + 2} THEN o1`],
		names: [
			`WHEN ${n + 1} THEN ${w.text(OUTCOME_FEATURE)}`,
			`WHEN ${n + 2} THEN ${w.text(TRUTH_FEATURE)}`
		]
	};
}

/** Text inside a `--` comment: a line break would end it and let the rest run as SQL. */
function commentText(text: string): string {
	// eslint-disable-next-line no-control-regex -- control characters are what is removed
	return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, ' ');
}

/** A feature's value per row: a double, or the text of a category. */
function valueOf(f: PushdownFeature, w: DialectWords): string {
	const column = w.quote(f.column);
	const instant = () => w.tryCast(column, w.timestamp);
	switch (f.read.kind) {
		case 'text':
			return `CAST(${column} AS ${w.string})`;
		case 'number':
			return w.tryCast(column, w.double);
		case 'instant':
			return `CAST(${w.instantMs(instant())} AS ${w.double})`;
		case 'part':
			return `CAST(${w.part(instant(), f.read.part)} AS ${w.double})`;
	}
}

/** The CASE that names a value's bin (the keys `summaryKeys` and `MISSING_KEY` give). */
function binOf(f: PushdownFeature, v: string, w: DialectWords): string {
	const { spec } = f;
	const keys = summaryKeys(f);
	const key = (i: number) => w.text(keys[i]!);
	const missing = w.text(MISSING_KEY);
	if (spec.kind === 'categories') {
		const arms = spec.categories.map((c, i) => `WHEN ${w.text(c)} THEN ${key(i)}`);
		const inner = arms.length ? `CASE ${v} ${arms.join(' ')} ELSE 'unseen' END` : `'unseen'`;
		return `CASE WHEN ${v} IS NULL OR ${v} = '' THEN ${missing} ELSE ${inner} END`;
	}
	const d = (x: number) => `CAST(${x.toExponential()} AS ${w.double})`;
	let inner: string;
	if (spec.kind === 'values') {
		// The batch's other values: below the reference's least value, above its greatest, between.
		const lo = spec.values[0];
		const hi = spec.values[spec.values.length - 1];
		const arms = spec.values.map((x, i) => `WHEN ${v} = ${d(x)} THEN ${key(i)}`);
		inner =
			lo === undefined
				? `'other'`
				: `CASE ${arms.join(' ')} WHEN ${v} < ${d(lo)} THEN 'below' WHEN ${v} > ${d(hi!)} THEN 'above' ELSE 'other' END`;
	} else {
		// keys: below, one per cut bin [cut c, cut c+1) — the last closed at hi — above.
		const cuts = f.cuts ?? rangeEdges(spec);
		const arms = cuts.map((e, c) => `WHEN ${v} < ${d(e)} THEN ${key(c + 1)}`);
		inner = `CASE WHEN ${v} < ${d(spec.lo)} THEN 'below' ${arms.join(' ')} WHEN ${v} <= ${d(spec.hi)} THEN ${key(cuts.length + 1)} ELSE 'above' END`;
	}
	return `CASE WHEN ${v} BETWEEN -${MAX_DOUBLE} AND ${MAX_DOUBLE} THEN ${inner} ELSE ${missing} END`;
}

/** Where a value could end the statement or comment the rest out. */
class SqlInputError extends DriftError {}

/**
 * A table reference as the user wrote it — dot-separated parts, each a plain identifier (letters,
 * digits, `_`, `$`, and `-` for BigQuery's project ids) or one quoted as the dialect quotes —
 * refused otherwise, so that it can only name a table.
 */
export function tableReference(table: string, dialect: Dialect): string {
	const text = table.trim();
	const quote = dialect === 'duckdb' || dialect === 'postgres' ? '"' : '`';
	const plain = dialect === 'bigquery' ? /^[A-Za-z_][A-Za-z0-9_$-]*/ : /^[A-Za-z_][A-Za-z0-9_$]*/;
	let i = 0;
	for (;;) {
		if (text[i] === quote) {
			let j = i + 1;
			for (;;) {
				if (j >= text.length) throw unreadableTable(table, dialect);
				if (text[j] === quote && text[j + 1] === quote && dialect !== 'bigquery') j += 2;
				else if (text[j] === '\\' && dialect === 'bigquery') j += 2;
				else if (text[j] === quote) break;
				else j++;
			}
			i = j + 1;
		} else {
			const m = plain.exec(text.slice(i));
			if (!m) throw unreadableTable(table, dialect);
			i += m[0].length;
		}
		if (i === text.length) return text;
		if (text[i] !== '.') throw unreadableTable(table, dialect);
		i++;
	}
}

function unreadableTable(table: string, dialect: Dialect): SqlInputError {
	return new SqlInputError(
		`--table ${JSON.stringify(table)} is not a table name: give one as ${dialect} names it (schema.table; quote a part with ${dialect === 'duckdb' || dialect === 'postgres' ? '"…"' : '`…`'} when it holds spaces or other characters). Only a table's name is accepted there, never a statement.`
	);
}

/**
 * A WHERE condition, refused when outside its quoted strings it holds a statement separator, a
 * comment, or a parenthesis that closes more than it opened (any of which could make the query do
 * something else than count one batch). Quotes are read as the dialect reads them: DuckDB and
 * Postgres quote with ' and " (a backslash is an ordinary character); Spark and BigQuery also with
 * `, and a backslash escapes the next character inside ' and ". Where this reading and the
 * engine's could differ (Postgres' E'…' and $$…$$), the engine's string runs at least as far, so
 * nothing the engine runs escapes the check.
 */
export function checkedCondition(condition: string, dialect: Dialect): string {
	const ansi = dialect === 'duckdb' || dialect === 'postgres';
	const quotes = ansi ? `'"` : `'"\``;
	let depth = 0;
	let quote: string | null = null;
	for (let i = 0; i < condition.length; i++) {
		const c = condition[i]!;
		if (quote) {
			if (c === '\\' && !ansi && quote !== '`') i++;
			else if (c === quote) quote = null;
			continue;
		}
		if (quotes.includes(c)) quote = c;
		else if (c === ';') throw unsafeCondition('a statement separator (;)');
		else if (condition.startsWith('--', i) || condition.startsWith('/*', i) || (!ansi && c === '#'))
			throw unsafeCondition('a comment');
		else if (c === '(') depth++;
		else if (c === ')' && --depth < 0)
			throw unsafeCondition('a ")" that closes more than it opens');
	}
	if (quote) throw unsafeCondition('a quote that is never closed');
	if (depth !== 0) throw unsafeCondition('a "(" that is never closed');
	return condition;
}

function unsafeCondition(what: string): SqlInputError {
	return new SqlInputError(
		`--where holds ${what}: give one condition on the batch's rows (e.g. event_date = '2026-12-01'), nothing else.`
	);
}
