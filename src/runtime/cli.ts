import { DriftwoodError, errorMessage } from '../lib/core/errors';
import { ENCODINGS as READ_ENCODINGS } from '../lib/core/table/decode';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { InputError, type Encoding } from '../lib/core/table/types';
import { profileFile, profileJson, profileText } from './commands/profile';
import { describeFileError, isFileError } from './read-file';
import type { TrainOptions } from './commands/train';
import { parseHalfLife, type HalfLife } from '../lib/core/model/recency';
import { DIALECTS, type Dialect } from '../lib/core/drift/pushdown-sql';
import type { BatchCheckInput } from '../lib/core/drift/json';

interface Output {
	write(text: string): unknown;
}

const USAGE = `Usage: driftwood <command> [options]

Commands:
  profile <file>   Read a CSV, TSV, JSON, JSON Lines, Parquet or Arrow file and print its dialect, schema and profile.
  train <file>     Train a model on a file with the studio's default recipe; print its metrics.
  predict --bundle <zip> <file>
                   Predict every row of a file with a model bundle (the studio's CSV columns).
  explain --bundle <zip> <file>
                   Each row's exact contributions per input column (tree models: TreeSHAP),
                   base + contributions = the model's output, checked on every row.
  onnx <bundle.zip> [--out model.onnx]
                   Write a bundle's model with its preprocessing as one ONNX file (raw columns
                   in; label and probabilities, or prediction, out) for ONNX Runtime, Triton, Spark.
  audit <file>     The data audit: labels the out-of-fold predictions doubt (confident
                   learning), outliers, duplicates (and conflicting ones), columns that give
                   the answer away; with --test, test rows repeated from the file
  policy <file>    Replay retraining policies (never, every k periods, on drift, on a measured
                   or estimated (CBPE) drop; all history, a sliding window, recency weights) over the file's
                   periods; recommend the best mean score, ties to the fewest retrains.
  retrain --bundle <champion.zip> <labelled files…> --out <challenger.zip>
                   Replay a bundle's recipe and model settings on new labelled files (the same
                   split, refits and recency weights; a new reference and calibration): the
                   champion's next version, ready for compare
  compare <champion.zip> <challenger.zip> <holdout>
                   Score both bundles on the same labelled rows; the difference with its 95 %
                   paired-bootstrap interval; exit 0 only when the challenger is better beyond
                   noise (a CI gate before promoting)
  backtest <file>  Rolling-origin evaluation: train on every row up to each period, score the
                   next ones; print the decay curve (score by the model's age in periods).
  drift <reference> <current>   or   drift --bundle <zip> <current>
                   Compare a batch with reference data (or a model's training rows), feature by
                   feature; exit 1 on dataset drift, a schema break or (with --bundle) a
                   performance drop beyond noise (a CI gate).
  sql --bundle <zip> --dialect <d> --table <name> [--where <condition>]
                   Print one SQL query (DuckDB, Postgres, Spark or BigQuery) that summarises a
                   batch where it lives, in one scan: its counts in the model's reference bins
  drift --bundle <zip> --summary <result.csv|json>
                   A batch checked from that query's result, as drift --bundle checks its rows
                   (counts-based statistics exact; KS and Wasserstein bounded)
  report --bundle <zip> [<batch>…] --out report.html
                   One self-contained HTML file to share: each batch checked as drift --bundle
                   checks it (verdict, alerts, features, score with its band and baseline,
                   charts) and the model card; no script, no network, no data rows

Options for every command that reads a file:
  --json               Print JSON instead of a table
  --delimiter <char>   Override the detected delimiter (use "tab" for a tab)
  --encoding <name>    utf-8 (default), windows-1252 or iso-8859-1
  --no-header          The first row is data, not column names
  --na <tokens>        Read these cells as missing in every column (comma-separated, e.g.
                       "None,NA,?"); by default None, NA, null, - … are missing in columns of
                       numbers and dates, and in a column of words only when rare (< 1 % of
                       rows: a common word such as None is an answer there)
  --keep-na            Read no token as missing, only empty cells
  -h, --help           Show this help

Options for profile:
  --target <column>    Also rank every feature's association with this column

Options for train:
  --target <column>    The column to predict (required)
  --task <task>        auto (default), binary, multiclass or regression
  --model <kind>       auto (default: the best of linear, gbdt and mlp by validation score),
                       gbdt (gradient-boosted trees), mlp or linear
  --split <kind>       auto (default: by time when the file has a date column, newest rows =
                       test; else stratified for classes, random for numbers), random,
                       stratified or time
  --seed <n>           Seed of the split, initialisation and shuffling (default 42)
  --no-refit           Keep the model as trained on the training rows (default: refit it on
                       training + validation rows with the epochs / iterations validation chose)
  --no-final-refit     Deploy the model the test rows scored (default: refit it on every row,
                       train + validation + test, once they have; never with --test)
  --epochs <n>         At most this many epochs, or boosting iterations for gbdt (early
                       stopping may end sooner)
  --half-life <time>   Recency weights: a row counts 0.5^(age / half-life), e.g. 6months,
                       90days, 1year (needs the date column; a time split)
  --budget <seconds>   auto on a big table (over 50,000 training rows): the time one candidate
                       may take, estimated from a timed sample before it runs; over it, the
                       candidate trains on a sample that fits, or is skipped (default 600)
  --test <file>        A held-out test file (same columns): the test metrics are measured on
                       it, and the whole training file is used for train / validation and the
                       refit (default: the newest or a random 20 % of the file is kept back)
  --out <file.zip>     Also write the trained model as a bundle (model named after the file)

Options for backtest and policy:
  --target <column>    The column to predict (required)
  --model <kind>       gbdt (default), linear or mlp, with the studio's default recipe
  --period <p>         year, quarter, month, week, day or <N>rows (default: the coarsest
                       calendar unit that gives at least 8 periods of the date column)
  --time <column>      The date column (default: the first one in the file)
  --horizon <n>        Periods scored after each origin (default 3)
  --half-life <time>   Train every origin with recency weights (e.g. 6months)

Options for audit:
  --target <column>    The column to audit the labels of (required)
  --test <file>        A test file: its rows equal to a training row on every feature are named
  --out <file.csv>     Write the flagged rows (row, issue, suggested, score, reason, values)
  --seed <n>           Seed of the folds and the trees (default 42)
  --compare            Also train the file's rows and the rows without the label and duplicate
                       flags, the same spec, scored on the same untouched test rows
  --network <on|off>   on: average a small network's out-of-fold probabilities with the trees'
                       (fewer false flags, slower); off: the trees alone (default: on below
                       20,000 rows with a target; number targets: the trees alone)
  Rows are the file's 1-based data rows (rows left out for a wrong field count still count).

Options for retrain:
  --bundle <zip>       The champion: a bundle made by this Driftwood (it records its settings)
  --out <file.zip>     Where to write the challenger (required)
  --window <w>         Train on the newest rows only: <N>rows, or a span of the date column
                       such as 12months or 2years (default: every row of the files)
  --half-life <time>   Recency weights (e.g. 6months), or none; default: the champion's
  --seed <n>           Another seed for the split and the fit (default: the champion's)

Options for predict:
  --bundle <zip>       The model bundle (*.driftwood.zip) exported from Driftwood
  --out <file.csv>     Write the CSV there instead of printing it
  --interval <level>   Add conformal bounds at this level (e.g. 0.9): level, lower and upper
                       columns for a number, a set column (a JSON list of labels) for classes

Options for explain:
  --bundle <zip>       The model bundle
  --out <file.csv>     Write row, output, value, base and shap_<column> columns there
  --json               Print { outputs, rows: [{ row, output, base, contributions }] }

Options for sql:
  --bundle <zip>       The model bundle
  --dialect <d>        duckdb, postgres, spark or bigquery (required)
  --table <name>       The batch's table as the warehouse names it (schema.table; required)
  --where <condition>  Select the batch's rows (e.g. "event_date = '2026-12-01'")
  --prediction <col>   The column where a scoring job wrote the model's predictions: also
                       counts them, for prediction drift
  --target <col>       The column holding the batch's labels (joined later): also counts them
                       in the target's training bins, for target drift; with --prediction, the
                       measured score (a confusion matrix, or the error's sums)
  Instants are read as UTC (Spark: set spark.sql.session.timeZone to UTC); a category is
  compared by its text, as the training file wrote it; NULL, NaN, ±∞ and '' are missing.

Options for drift:
  --summary <file>     With --bundle: the sql command's result (CSV or JSON) instead of rows

Options for report:
  --bundle <zip>       The model bundle
  --out <file.html>    Where to write the report (required)

Options for onnx:
  --out <file.onnx>    Where to write it (default: beside the bundle, <name>-v<n>.onnx)
`;

const ENCODINGS: readonly Encoding[] = READ_ENCODINGS.map((e) => e.value);
const TASKS = ['auto', 'binary', 'multiclass', 'regression'] as const;
const SPLITS = ['auto', 'random', 'stratified', 'time'] as const;

class UsageError extends Error {}

/** `--half-life 6months` as a half-life; a usage error when it is not one. */
function readHalfLife(text: string | undefined): HalfLife | undefined {
	if (text === undefined) return undefined;
	const halfLife = parseHalfLife(text);
	if (!halfLife)
		throw new UsageError(
			`--half-life takes a number and a unit, such as 6months, 90days or 1year (got "${text}")`
		);
	return halfLife;
}

/** Runs the CLI; returns the exit code (0 ok, 1 bad input, dataset drift or a schema break, 2 bad usage). */
export async function main(argv: string[], out: Output, err: Output): Promise<number> {
	try {
		return await run(argv, out, err);
	} catch (error) {
		if (error instanceof UsageError) {
			err.write(`driftwood: ${error.message}\n\n${USAGE}`);
			return 2;
		}
		if (error instanceof InputError) {
			const hint = error.code === 'encoding' ? ' (pass --encoding windows-1252)' : '';
			err.write(`driftwood: ${error.message}${hint}\n`);
			return 1;
		}
		if (isFileError(error)) {
			// The error names the file it could not open (a bundle, a test file), not the first one given.
			const file = error.path ?? argv.find((a) => !a.startsWith('-') && a !== argv[0]) ?? '';
			err.write(`driftwood: ${describeFileError(error, file)}\n`);
			return 1;
		}
		// Errors of the studio's core (recipe, target, split, spec, bundle) carry the studio's message.
		if (error instanceof DriftwoodError) {
			err.write(`driftwood: ${error.message}\n`);
			return 1;
		}
		// Anything else (a library's own error) still exits 1 with one line, never a stack trace;
		// DRIFTWOOD_DEBUG=1 prints the stack for a bug report.
		const message = error instanceof Error ? error.message : String(error);
		err.write(`driftwood: unexpected error: ${message}\n`);
		if (process.env.DRIFTWOOD_DEBUG && error instanceof Error && error.stack)
			err.write(`${error.stack}\n`);
		return 1;
	}
}

/** A checked batch printed (text or JSON) and its exit code as a CI gate. */
async function gateOf(
	check: BatchCheckInput,
	json: boolean,
	out: Output,
	err: Output
): Promise<number> {
	const { driftText } = await import('./commands/drift');
	const { batchJson } = await import('../lib/core/drift/json');
	const { batchVerdict } = await import('../lib/core/drift/verdict');
	out.write(json ? `${JSON.stringify(batchJson(check), null, 2)}\n` : driftText(check));
	const verdict = batchVerdict(check);
	// A batch the model cannot read fails the gate as loudly as drift does, on stderr too.
	if (check.report.schema.missingColumns.length || check.report.schema.unreadableColumns?.length)
		err.write(`driftwood: ${verdict.headline}.\n`);
	return verdict.failsGate ? 1 : 0;
}

async function run(argv: string[], out: Output, err: Output): Promise<number> {
	let parsed;
	try {
		parsed = parseArgs({
			args: argv,
			allowPositionals: true,
			options: {
				json: { type: 'boolean', default: false },
				target: { type: 'string' },
				delimiter: { type: 'string' },
				encoding: { type: 'string' },
				'no-header': { type: 'boolean', default: false },
				na: { type: 'string' },
				'keep-na': { type: 'boolean', default: false },
				task: { type: 'string', default: 'auto' },
				model: { type: 'string', default: 'auto' },
				split: { type: 'string', default: 'auto' },
				seed: { type: 'string', default: '42' },
				epochs: { type: 'string' },
				budget: { type: 'string' },
				period: { type: 'string' },
				time: { type: 'string' },
				horizon: { type: 'string' },
				window: { type: 'string' },
				compare: { type: 'boolean', default: false },
				network: { type: 'string' },
				'half-life': { type: 'string' },
				refit: { type: 'boolean', default: true },
				'no-refit': { type: 'boolean', default: false },
				'final-refit': { type: 'boolean', default: true },
				'no-final-refit': { type: 'boolean', default: false },
				bundle: { type: 'string' },
				test: { type: 'string' },
				out: { type: 'string' },
				interval: { type: 'string' },
				dialect: { type: 'string' },
				table: { type: 'string' },
				where: { type: 'string' },
				prediction: { type: 'string' },
				summary: { type: 'string' },
				help: { type: 'boolean', short: 'h', default: false }
			}
		});
	} catch (error) {
		throw new UsageError((error as Error).message);
	}
	const { values, positionals } = parsed;
	const [command, file, ...rest] = positionals;
	if (values.help) {
		out.write(USAGE);
		return 0;
	}
	if (!command) throw new UsageError('name a command');
	if (
		![
			'profile',
			'train',
			'predict',
			'explain',
			'onnx',
			'drift',
			'backtest',
			'policy',
			'compare',
			'retrain',
			'audit',
			'report',
			'sql'
		].includes(command)
	)
		throw new UsageError(`unknown command "${command}"`);
	if (values.test !== undefined && command !== 'train' && command !== 'audit')
		throw new UsageError('--test <file> is an option of train and audit');
	if (values.interval !== undefined && command !== 'predict')
		throw new UsageError('--interval is an option of predict');
	const level = values.interval === undefined ? undefined : Number(values.interval);
	if (level !== undefined && !(level > 0 && level < 1))
		throw new UsageError(
			`--interval takes a coverage level between 0 and 1, such as 0.9 (got "${values.interval}")`
		);
	if (values.window !== undefined && command !== 'retrain')
		throw new UsageError('--window is an option of retrain');
	if (values.encoding !== undefined && !ENCODINGS.includes(values.encoding as Encoding)) {
		throw new UsageError(`unknown encoding "${values.encoding}" (use ${ENCODINGS.join(', ')})`);
	}
	if (values.na !== undefined && values['keep-na'])
		throw new UsageError('--na and --keep-na say opposite things: pass one of them');
	const naTokens = values.na?.split(',').map((t) => t.trim());
	if (naTokens && naTokens.some((t) => t === ''))
		throw new UsageError(`--na takes tokens separated by commas (got "${values.na}")`);
	const read = {
		delimiter: values.delimiter,
		encoding: values.encoding as Encoding | undefined,
		header: !values['no-header'],
		missing: values['keep-na']
			? ({ mode: 'keep' } as const)
			: naTokens
				? { tokens: naTokens }
				: undefined
	};
	if (command === 'report') {
		const { bundle, out: target } = values;
		if (!bundle) throw new UsageError('report needs --bundle <file.driftwood.zip>');
		if (!target) throw new UsageError('report needs --out <report.html>');
		const { reportFile, writeReport } = await import('./commands/report');
		const { html, batches } = await reportFile(bundle, file ? [file, ...rest] : [], read);
		await writeReport(html, target);
		out.write(
			`Report of ${batches.length} batch${batches.length === 1 ? '' : 'es'} and the model card → ${target} (${(html.length / 1024).toFixed(0)} KB)\n`
		);
		return 0;
	}
	for (const option of ['dialect', 'table', 'where', 'prediction'] as const)
		if (values[option] !== undefined && command !== 'sql')
			throw new UsageError(`--${option} is an option of sql`);
	if (values.summary !== undefined && command !== 'drift')
		throw new UsageError('--summary is an option of drift (with --bundle)');
	if (command === 'sql') {
		const { bundle, dialect, table } = values;
		if (!bundle) throw new UsageError('sql needs --bundle <file.driftwood.zip>');
		if (!dialect || !(DIALECTS as readonly string[]).includes(dialect))
			throw new UsageError(`sql needs --dialect ${DIALECTS.join(', ')}`);
		if (!table) throw new UsageError('sql needs --table <name>: the table that holds the batch');
		if (file) throw new UsageError('sql takes no file: the batch stays in the warehouse');
		const { sqlForBundle } = await import('./commands/sql');
		out.write(
			await sqlForBundle(bundle, {
				dialect: dialect as Dialect,
				table,
				where: values.where,
				prediction: values.prediction,
				target: values.target
			})
		);
		return 0;
	}
	if (command === 'drift' && values.summary !== undefined) {
		if (!values.bundle) throw new UsageError('drift --summary needs --bundle <file.driftwood.zip>');
		if (file) throw new UsageError('drift --summary takes no other file');
		const { driftSummary } = await import('./commands/sql');
		return gateOf(await driftSummary(values.bundle, values.summary, read), values.json, out, err);
	}
	const files = command === 'compare' ? 3 : command === 'drift' && !values.bundle ? 2 : 1;
	if (command === 'retrain') {
		if (!file) throw new UsageError('retrain takes one or more labelled files');
	} else if (!file || rest.length !== files - 1)
		throw new UsageError(
			`${command} takes exactly ${files === 3 ? 'three files (champion, challenger, holdout)' : files === 2 ? 'two files' : 'one file'}`
		);
	if (command === 'profile') {
		const result = await profileFile(file, values.target ?? null, read);
		out.write(
			values.json ? `${JSON.stringify(profileJson(result), null, 2)}\n` : profileText(result)
		);
		return 0;
	}
	if (command === 'audit') {
		if (!values.target) throw new UsageError('audit needs --target <column>');
		const seed = Number(values.seed);
		if (!Number.isInteger(seed))
			throw new UsageError(`--seed takes a whole number (got "${values.seed}")`);
		if (values.network !== undefined && !['on', 'off'].includes(values.network))
			throw new UsageError(`--network takes on or off (got "${values.network}")`);
		const { auditFile, auditJson, auditText, writeFlagged } = await import('./commands/audit');
		const output = await auditFile(file, {
			...read,
			target: values.target,
			seed,
			compare: values.compare,
			...(values.network ? { network: values.network === 'on' } : {}),
			...(values.test ? { testFile: values.test } : {})
		});
		const written = values.out ? await writeFlagged(output, values.out) : null;
		out.write(values.json ? `${JSON.stringify(auditJson(output), null, 2)}\n` : auditText(output));
		if (written !== null && !values.json)
			out.write(`${written} flagged rows written to ${values.out}\n`);
		return 0;
	}
	if (command === 'retrain') {
		if (!values.bundle) throw new UsageError('retrain needs --bundle <champion.zip>');
		if (!values.out) throw new UsageError('retrain needs --out <challenger.zip>');
		const { parseWindow } = await import('../lib/core/bundle/replay');
		const window = values.window === undefined ? undefined : parseWindow(values.window);
		if (window === null)
			throw new UsageError(
				`--window takes a number of rows or a span of time, such as 5000rows, 12months or 2years (got "${values.window}")`
			);
		// The champion's seed unless one is given (parseArgs fills in the default otherwise).
		const seeded = argv.some((a) => a === '--seed' || a.startsWith('--seed='));
		const seed = Number(values.seed);
		if (seeded && !Number.isInteger(seed))
			throw new UsageError(`--seed takes a whole number (got "${values.seed}")`);
		const halfLife =
			values['half-life']?.trim().toLowerCase() === 'none'
				? null
				: readHalfLife(values['half-life']);
		const { retrainFiles, retrainJson, retrainText } = await import('./commands/retrain');
		const output = await retrainFiles(values.bundle, [file, ...rest], {
			...read,
			window,
			halfLife,
			...(seeded ? { seed } : {})
		});
		const { writeFile } = await import('node:fs/promises');
		await writeFile(values.out, output.bundle);
		out.write(
			values.json
				? `${JSON.stringify(retrainJson(output), null, 2)}\n`
				: `${retrainText(output)}Challenger written to ${values.out}\n`
		);
		return 0;
	}
	if (command === 'compare') {
		const { compareBundles, compareJson, compareText } = await import('./commands/compare');
		const output = await compareBundles(file, rest[0]!, rest[1]!, read);
		out.write(
			values.json ? `${JSON.stringify(compareJson(output), null, 2)}\n` : compareText(output)
		);
		return output.comparison.verdict === 'better' ? 0 : 1;
	}
	if (command === 'drift') {
		const { driftBundle, driftFiles } = await import('./commands/drift');
		const check = values.bundle
			? await driftBundle(values.bundle, file, read)
			: { report: await driftFiles(file, rest[0]!, read) };
		return gateOf(check, values.json, out, err);
	}
	if (command === 'onnx') {
		const { onnxFile, onnxText } = await import('./commands/onnx');
		const output = await onnxFile(file, values.out);
		out.write(values.json ? `${JSON.stringify(output, null, 2)}\n` : onnxText(output));
		return 0;
	}
	if (command === 'predict') {
		if (!values.bundle) throw new UsageError('predict needs --bundle <file.driftwood.zip>');
		const { predictFile, writeOutput } = await import('./commands/predict');
		const output = await predictFile(values.bundle, file, read, level);
		if (values.out) {
			await writeOutput(output.csv, values.out);
			const problems = output.problemCount
				? ` (${output.problemCount} unreadable cells treated as missing; first: row ${output.problems[0]!.row}, ${output.problems[0]!.column}: ${output.problems[0]!.message})`
				: '';
			out.write(
				`${output.rows.toLocaleString('en-US')} rows predicted → ${values.out}${problems}${output.bounds ? `\n${output.bounds}` : ''}\n`
			);
		} else out.write(output.csv);
		return 0;
	}
	if (command === 'explain') {
		if (!values.bundle) throw new UsageError('explain needs --bundle <file.driftwood.zip>');
		const { explainFile, explanationsCsv, explanationsText, writeExplanations } =
			await import('./commands/explain');
		const explained = await explainFile(values.bundle, file, read);
		if (values.out) {
			await writeExplanations(explanationsCsv(explained), values.out);
			out.write(
				`${explained.rows.length.toLocaleString('en-US')} rows explained → ${values.out}\n`
			);
		} else if (values.json) out.write(`${JSON.stringify(explained, null, 2)}\n`);
		else out.write(explanationsText(explained));
		return 0;
	}
	if (command === 'backtest' || command === 'policy') {
		if (!values.target) throw new UsageError(`${command} needs --target <column>`);
		const model = values.model === 'auto' ? 'gbdt' : values.model;
		if (!['gbdt', 'mlp', 'linear'].includes(model))
			throw new UsageError(
				`unknown model "${values.model}" for backtest (use gbdt, mlp or linear)`
			);
		const horizon = values.horizon === undefined ? 3 : Number(values.horizon);
		if (!(Number.isInteger(horizon) && horizon >= 1 && horizon <= 100))
			throw new UsageError(
				`--horizon takes a whole number of periods from 1 to 100 (got "${values.horizon}")`
			);
		const seed = Number(values.seed);
		if (!Number.isInteger(seed))
			throw new UsageError(`--seed takes a whole number (got "${values.seed}")`);
		const commands = await import('./commands/backtest');
		// A period the CLI cannot read is bad usage (exit 2), like every other option.
		if (values.period !== undefined)
			try {
				commands.parsePeriod(values.period);
			} catch (error) {
				throw new UsageError(errorMessage(error));
			}
		const options = {
			...read,
			halfLife: readHalfLife(values['half-life']),
			target: values.target,
			model: model as 'gbdt' | 'mlp' | 'linear',
			period: values.period,
			time: values.time,
			horizon,
			seed
		};
		if (command === 'policy') {
			const output = await commands.policyFile(file, options);
			out.write(
				values.json
					? `${JSON.stringify(commands.policyJson(output), null, 2)}\n`
					: commands.policyText(output)
			);
			return 0;
		}
		const output = await commands.backtestFile(file, options);
		out.write(
			values.json
				? `${JSON.stringify(commands.backtestJson(output), null, 2)}\n`
				: commands.backtestText(output)
		);
		return 0;
	}
	if (!values.target) throw new UsageError('train needs --target <column>');
	if (!TASKS.includes(values.task as (typeof TASKS)[number]))
		throw new UsageError(`unknown task "${values.task}" (use ${TASKS.join(', ')})`);
	if (!['auto', 'gbdt', 'mlp', 'linear'].includes(values.model))
		throw new UsageError(`unknown model "${values.model}" (use auto, gbdt, mlp or linear)`);
	if (!SPLITS.includes(values.split as (typeof SPLITS)[number]))
		throw new UsageError(`unknown split "${values.split}" (use ${SPLITS.join(', ')})`);
	const seed = Number(values.seed);
	if (!Number.isInteger(seed))
		throw new UsageError(`--seed takes a whole number (got "${values.seed}")`);
	const epochs = values.epochs === undefined ? undefined : Number(values.epochs);
	if (epochs !== undefined && !(Number.isInteger(epochs) && epochs > 0))
		throw new UsageError(`--epochs takes a whole number above 0 (got "${values.epochs}")`);
	const halfLife = readHalfLife(values['half-life']);
	const budget = values.budget === undefined ? undefined : Number(values.budget);
	if (budget !== undefined && !(Number.isFinite(budget) && budget > 0))
		throw new UsageError(`--budget takes a number of seconds above 0 (got "${values.budget}")`);
	if (budget !== undefined && values.model !== 'auto')
		throw new UsageError(
			'--budget is the automatic choice’s time per candidate: use it with --model auto'
		);
	// Loaded only for train: TensorFlow.js takes a moment to import.
	const { trainFile, trainJson, trainText } = await import('./commands/train');
	const output = await trainFile(file, {
		...read,
		target: values.target,
		task: values.task as (typeof TASKS)[number],
		model: values.model as TrainOptions['model'],
		refit: values.refit && !values['no-refit'],
		finalRefit: values['final-refit'] && !values['no-final-refit'],
		split: values.split as TrainOptions['split'],
		testFile: values.test,
		seed,
		epochs,
		budget,
		halfLife,
		bundleName: values.out
			? basename(values.out).replace(/(-v\d+)?\.driftwood\.zip$|\.zip$/i, '') || 'model'
			: undefined
	});
	if (values.out && output.bundle) {
		const { writeFile } = await import('node:fs/promises');
		await writeFile(values.out, output.bundle);
	}
	out.write(values.json ? `${JSON.stringify(trainJson(output), null, 2)}\n` : trainText(output));
	if (values.out && !values.json) out.write(`Bundle written to ${values.out}\n`);
	return 0;
}
