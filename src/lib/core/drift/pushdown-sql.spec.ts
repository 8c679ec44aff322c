import { PostgreSQL, SparkSQL } from 'dt-sql-parser';
import nodeSqlParser from 'node-sql-parser';
import { describe, expect, it } from 'vitest';
import type { FittedRecipe } from '../recipe/types';
import type { Table } from '../table/types';
import { pushdownPlan } from './pushdown-plan';
import { checkedCondition, DIALECTS, pushdownSql, tableReference } from './pushdown-sql';

/**
 * The query's text in every dialect: snapshots (a change is seen in review), each parsed by a
 * grammar of its engine — Spark's and Postgres' (dt-sql-parser, built from the engines' own
 * grammars), BigQuery's (node-sql-parser).
 * DuckDB runs the query itself in pushdown.spec.ts.
 */
const ODD = `it's "a" \`b\` \\ c`;
const reference: Table = {
	rowCount: 40,
	columns: [
		{
			storage: 'float',
			name: 'amount',
			type: 'numeric',
			values: Float64Array.from({ length: 40 }, (_, i) => i * 1.5 - 3)
		},
		{
			storage: 'float',
			name: ODD,
			type: 'numeric',
			values: Float64Array.from({ length: 40 }, (_, i) => i % 3)
		},
		{
			storage: 'coded',
			name: 'colour',
			type: 'categorical',
			categories: ['red', "it's", 'back\\slash'],
			codes: Int32Array.from({ length: 40 }, (_, i) => (i % 5 === 0 ? -1 : i % 3))
		},
		{
			storage: 'float',
			name: 'when',
			type: 'datetime',
			values: Float64Array.from({ length: 40 }, (_, i) => Date.UTC(2024, 0, 1) + i * 86_400_000 * 9)
		}
	]
};
const recipe = {
	steps: [
		{
			column: 'when',
			kind: 'datetime',
			parts: (['month', 'weekday', 'dayofyear', 'hour'] as const).map((part) => ({
				part,
				numeric: { fill: 0, indicator: false, scale: null }
			}))
		}
	]
} as unknown as Pick<FittedRecipe, 'steps'>; // only the parts are read
const plan = pushdownPlan(recipe, ['amount', ODD, 'colour', 'when'], reference);

const sqlOf = (dialect: (typeof DIALECTS)[number], table: string, where?: string) =>
	pushdownSql(plan, { dialect, table, where, title: 'Summary of "m"\nDROP TABLE x' });

describe('pushdown SQL', () => {
	it('quotes a column with quotes, backticks and a backslash in every dialect', () => {
		expect(sqlOf('duckdb', 't')).toContain(`TRY_CAST("it's ""a"" \`b\` \\ c" AS DOUBLE)`);
		expect(sqlOf('postgres', 't')).toContain(`CAST("it's ""a"" \`b\` \\ c" AS float8)`);
		expect(sqlOf('spark', 't')).toContain('TRY_CAST(`it\'s "a" ``b`` \\ c` AS DOUBLE)');
		expect(sqlOf('bigquery', 't')).toContain('SAFE_CAST(`it\'s "a" \\`b\\` \\\\ c` AS FLOAT64)');
		// The feature's name as a string: quotes doubled (ANSI) or escaped (Spark, BigQuery).
		expect(sqlOf('duckdb', 't')).toContain(`'it''s "a" \`b\` \\ c'`);
		expect(sqlOf('spark', 't')).toContain(`'it\\'s "a" \`b\` \\\\ c'`);
	});

	it('keeps the title on its comment line', () => {
		for (const dialect of DIALECTS) {
			const lines = sqlOf(dialect, 't').split('\n');
			expect(lines[0]).toMatch(/^-- Summary of "m" DROP TABLE x: 7 features/);
			expect(lines.filter((l) => l.includes('DROP TABLE'))).toHaveLength(1);
		}
	});

	it('reads each calendar part as JavaScript does (weekday from Sunday = 0)', () => {
		expect(sqlOf('duckdb', 't')).toContain('EXTRACT(DOW FROM TRY_CAST("when" AS TIMESTAMP))');
		expect(sqlOf('postgres', 't')).toContain('EXTRACT(DOY FROM CAST("when" AS TIMESTAMP))');
		expect(sqlOf('spark', 't')).toContain('dayofweek(TRY_CAST(`when` AS TIMESTAMP)) - 1');
		expect(sqlOf('bigquery', 't')).toContain(
			'EXTRACT(DAYOFWEEK FROM SAFE_CAST(`when` AS TIMESTAMP)) - 1'
		);
	});

	it('matches its snapshot in every dialect', () => {
		for (const dialect of DIALECTS)
			expect(sqlOf(dialect, 'sales.events', "day = '2026-12-01'")).toMatchSnapshot(dialect);
	});

	it('parses as Spark SQL and as Postgres by their own grammars', () => {
		expect(new SparkSQL().validate(sqlOf('spark', 'sales.events', "day = '2026-12-01'"))).toEqual(
			[]
		);
		expect(
			new PostgreSQL().validate(sqlOf('postgres', 'sales.events', "day = '2026-12-01'"))
		).toEqual([]);
		// And each grammar refuses a broken query: the checks can fail.
		const broken = (sql: string) => sql.replace('END AS bin', 'AS bin');
		expect(new SparkSQL().validate(broken(sqlOf('spark', 't'))).length).toBeGreaterThan(0);
		expect(new PostgreSQL().validate(broken(sqlOf('postgres', 't'))).length).toBeGreaterThan(0);
	});

	it('parses as BigQuery by node-sql-parser', () => {
		const parser = new nodeSqlParser.Parser();
		// Its grammar reads no escape inside a backtick identifier (BigQuery does): the odd column
		// is left out here, its quoting checked above.
		const plain = pushdownPlan(recipe, ['amount', 'colour', 'when'], reference);
		const bigquery = pushdownSql(plain, {
			dialect: 'bigquery',
			table: 'project-1.sales.events',
			where: "day = '2026-12-01'"
		});
		// node-sql-parser's BigQuery grammar lacks two of EXTRACT's documented parts (DAYOFWEEK,
		// DAYOFYEAR): read them as DAY for the parser; everything else is parsed as written.
		const forParser = bigquery
			.replaceAll('DAYOFWEEK FROM', 'DAY FROM')
			.replaceAll('DAYOFYEAR FROM', 'DAY FROM');
		expect(() => parser.astify(forParser, { database: 'bigquery' })).not.toThrow();
		expect(() =>
			parser.astify(forParser.replace('END AS bin', 'AS bin'), { database: 'bigquery' })
		).toThrow();
	});
});

describe('the score’s rows in the query', () => {
	const colour = reference.columns.find((c) => c.name === 'colour')!;
	const amount = reference.columns.find((c) => c.name === 'amount')!;
	const classes = pushdownPlan(
		recipe,
		['amount', 'colour'],
		reference,
		[],
		{ column: 'predicted colour', reference: colour },
		{ column: 'true colour', reference: colour },
		['red', "it's"]
	);
	const values = pushdownPlan(
		recipe,
		['amount', 'colour'],
		reference,
		[],
		{ column: 'predicted', reference: amount },
		{ column: 'amount', reference: amount },
		null
	);

	it('counts (label, prediction) pairs by label index, or the error and the truth', () => {
		const sql = pushdownSql(classes, { dialect: 'duckdb', table: 't' });
		expect(sql).toContain(
			`CONCAT('pair ', CASE o1 WHEN 'red' THEN '0' WHEN 'it''s' THEN '1' ELSE 'unknown' END, ' ', CASE o2`
		);
		expect(sql).toContain('range(1, 6) AS k(i)');
		const numbers = pushdownSql(values, { dialect: 'postgres', table: 't' });
		expect(numbers).toContain('WHEN 5 THEN o2 - o1 WHEN 6 THEN o1');
		expect(numbers).toContain("WHEN 5 THEN '(outcome)' WHEN 6 THEN '(truth)'");
	});

	it('parses in every dialect', () => {
		for (const plan of [classes, values]) {
			expect(new SparkSQL().validate(pushdownSql(plan, { dialect: 'spark', table: 't' }))).toEqual(
				[]
			);
			expect(
				new PostgreSQL().validate(pushdownSql(plan, { dialect: 'postgres', table: 't' }))
			).toEqual([]);
			expect(() =>
				new nodeSqlParser.Parser().astify(pushdownSql(plan, { dialect: 'bigquery', table: 't' }), {
					database: 'bigquery'
				})
			).not.toThrow();
		}
	});
});

describe('what the user gives the query', () => {
	it('takes a table name as the warehouse writes it', () => {
		expect(tableReference('events', 'duckdb')).toBe('events');
		expect(tableReference('sales."my events"', 'postgres')).toBe('sales."my events"');
		expect(tableReference('`my-project.sales.events`', 'bigquery')).toBe(
			'`my-project.sales.events`'
		);
		expect(tableReference('my-project.sales.events', 'bigquery')).toBe('my-project.sales.events');
		expect(tableReference('db.`we``ird`', 'spark')).toBe('db.`we``ird`');
	});

	it('refuses a table that is not a name', () => {
		for (const bad of [
			'events; DROP TABLE x',
			'events --',
			'(SELECT 1)',
			'events WHERE 1=1',
			'"unclosed',
			'a..b',
			''
		])
			expect(() => tableReference(bad, 'postgres'), bad).toThrow(/not a table name/);
		expect(() => tableReference('my-project.events', 'postgres')).toThrow(/not a table name/);
	});

	it('takes a condition with quotes, parentheses and semicolons inside strings', () => {
		const where = "(region = 'north;south' OR note = 'it''s -- fine') AND day >= '2026-12-01'";
		expect(checkedCondition(where, 'postgres')).toBe(where);
		expect(sqlOf('duckdb', 't', where)).toContain(`  WHERE ${where}\n`);
	});

	it('reads quotes as each dialect does', () => {
		// Postgres: a backslash is a character, so the string ends at C:\ and the rest would run.
		const slash = "path = 'C:\\' ; DROP TABLE t; --'";
		expect(() => checkedCondition(slash, 'postgres')).toThrow(/statement separator/);
		expect(() => checkedCondition(slash, 'duckdb')).toThrow(/statement separator/);
		// Spark and BigQuery: the backslash escapes the quote, the string runs to the end.
		expect(checkedCondition(slash, 'spark')).toBe(slash);
		expect(checkedCondition(slash, 'bigquery')).toBe(slash);
		// Postgres does not quote with backticks: a ; inside them ends the statement.
		expect(() => checkedCondition('x = `;` ', 'postgres')).toThrow(/statement separator/);
		expect(checkedCondition('`x;` = 1', 'spark')).toBe('`x;` = 1');
		expect(() => checkedCondition('x = 1 # rest', 'bigquery')).toThrow(/comment/);
	});

	it('refuses a condition that could end the statement or change the query', () => {
		const cases: [string, RegExp][] = [
			['1=1; DROP TABLE t', /statement separator/],
			['1=1 -- the rest', /comment/],
			['1=1 /* x */', /comment/],
			['1=1) UNION ALL (SELECT 1', /closes more than it opens/],
			['(1=1', /never closed/],
			["name = 'open", /never closed/]
		];
		for (const [where, message] of cases)
			expect(() => pushdownSql(plan, { dialect: 'spark', table: 't', where }), where).toThrow(
				message
			);
	});
});
