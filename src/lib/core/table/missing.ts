import { inferColumnType } from './infer';
import { NOT_NUMBER, parseNumberBytes } from './number';
import type { Column, MissingPolicy, MissingTokenCount } from './types';

export type { MissingPolicy, MissingReason, MissingTokenCount } from './types';

/**
 * Cells that may mean "no value". Whether one does depends on its column: in a column of numbers
 * or dates it can mean nothing else, but in a column of words `None` may be an answer ("no
 * damage", "no airbags") — reading it as missing there silently changes the question.
 */
export const DEFAULT_MISSING_TOKENS: readonly string[] = [
	'NA',
	'N/A',
	'n/a',
	'NaN',
	'nan',
	'NAN',
	'null',
	'NULL',
	'Null',
	'None',
	'none',
	'#N/A',
	'<NA>',
	'-'
];

/**
 * In a column of words, a token on at least this share of the rows is a value, not a hole: a
 * word that common is an answer the data gives (1 % of a column is no typo).
 */
export const FREQUENT_TOKEN_SHARE = 0.01;

/** A column as a reader finished it, each token's cells still told apart from empty ones. */
export interface BuiltColumn {
	/** Numeric: token cells are NaN (their rows in `tokenRows`); coded: tokens are categories. */
	column: Column;
	tokens: { token: string; cells: number }[];
	/** Numeric columns: per row, 1 + the index in `tokens` of the token read there, else 0. */
	tokenRows: Uint8Array | null;
}

/**
 * Decides, for one column, which of its tokens are missing values, applies it, and infers the
 * column's type. `decimal` is the byte of the file's decimal separator.
 */
export function readMissing(
	built: BuiltColumn,
	rowCount: number,
	policy: MissingPolicy = {},
	decimal = 46
): { column: Column; counts: MissingTokenCount[] } {
	const { column, tokens } = built;
	// Own keys only: a column called `__proto__` or `constructor` is a column like any other.
	const columns = policy.columns ?? {};
	const ownChoices = Object.hasOwn(columns, column.name) ? columns[column.name]! : {};
	const chosen = (token: string) =>
		Object.hasOwn(ownChoices, token) ? ownChoices[token] : undefined;
	const listed = new Set(policy.tokens ?? []);
	const counts: MissingTokenCount[] = [];
	const auto: { token: string; cells: number }[] = [];
	for (const { token, cells } of tokens) {
		const choice = chosen(token);
		if (choice !== undefined)
			counts.push({ column: column.name, token, cells, missing: choice, reason: 'chosen' });
		else if (policy.mode === 'keep')
			counts.push({ column: column.name, token, cells, missing: false, reason: 'kept' });
		else if (listed.has(token))
			counts.push({ column: column.name, token, cells, missing: true, reason: 'listed' });
		else auto.push({ token, cells });
	}
	if (auto.length) {
		const reason = autoReason(built, rowCount);
		for (const { token, cells } of auto) {
			const wordReason =
				reason === 'words'
					? cells >= FREQUENT_TOKEN_SHARE * rowCount
						? 'frequent'
						: 'rare'
					: reason;
			counts.push({
				column: column.name,
				token,
				cells,
				missing: wordReason !== 'frequent',
				reason: wordReason
			});
		}
	}
	const missing = new Set(counts.filter((c) => c.missing).map((c) => c.token));
	let out: Column;
	if (column.storage === 'float') {
		const values = new Set(counts.filter((c) => !c.missing).map((c) => c.token));
		out = values.size ? floatToCoded(built, values, decimal) : column;
	} else out = tokensToMissing(column, missing);
	// Tokens named by `--na` that are not among the defaults: plain categories until now.
	if (out.storage === 'coded' && listed.size) {
		const extra = out.categories.filter(
			(c) => listed.has(c) && !DEFAULT_MISSING_TOKENS.includes(c) && chosen(c) !== false
		);
		if (extra.length) {
			for (const token of extra) {
				const code = out.categories.indexOf(token);
				let cells = 0;
				for (const c of out.codes) if (c === code) cells++;
				counts.push({ column: column.name, token, cells, missing: true, reason: 'listed' });
			}
			out = numbersFromCodes(tokensToMissing(out, new Set(extra)), decimal);
		}
	}
	return { column: inferColumnType(out), counts };
}

/** What the rest of a column says a token is, before frequency decides for words. */
function autoReason(built: BuiltColumn, rowCount: number): 'numbers' | 'dates' | 'words' {
	const { column, tokens } = built;
	if (column.storage === 'float') return 'numbers';
	const holes = tokensToMissing(column, new Set(tokens.map((t) => t.token)));
	let present = 0;
	if (holes.storage === 'coded') for (const c of holes.codes) if (c >= 0) present++;
	// A column of nothing but tokens says nothing about them: they are its values.
	if (present === 0 || rowCount === 0) return 'words';
	const type = inferColumnType(holes).type;
	return type === 'datetime' ? 'dates' : type === 'numeric' ? 'numbers' : 'words';
}

/** A coded column with the categories in `tokens` read as missing (codes −1), others renumbered. */
export function tokensToMissing(column: Column, tokens: ReadonlySet<string>): Column {
	if (column.storage !== 'coded' || tokens.size === 0) return column;
	if (!column.categories.some((c) => tokens.has(c))) return column;
	const map = new Int32Array(column.categories.length);
	const categories: string[] = [];
	column.categories.forEach((c, i) => {
		if (tokens.has(c)) map[i] = -1;
		else {
			map[i] = categories.length;
			categories.push(c);
		}
	});
	const codes = column.codes.map((c) => (c < 0 ? -1 : map[c]!));
	return { ...column, codes, categories };
}

/** A numeric column whose tokens in `values` are answers: text, numbers written as read. */
function floatToCoded(built: BuiltColumn, values: ReadonlySet<string>, decimal: number): Column {
	const { column, tokens, tokenRows } = built;
	if (column.storage !== 'float') return column;
	const categories: string[] = [];
	const index = new Map<string, number>();
	const codeOf = (text: string) => {
		let code = index.get(text);
		if (code === undefined) {
			code = categories.length;
			index.set(text, code);
			categories.push(text);
		}
		return code;
	};
	const codes = new Int32Array(column.values.length);
	column.values.forEach((v, i) => {
		const t = tokenRows ? tokenRows[i]! : 0;
		if (t > 0) {
			const token = tokens[t - 1]!.token;
			codes[i] = values.has(token) ? codeOf(token) : -1;
		} else if (Number.isNaN(v)) codes[i] = -1;
		else codes[i] = codeOf(decimal === 44 ? String(v).replace('.', ',') : String(v));
	});
	return { storage: 'coded', name: column.name, type: 'categorical', codes, categories };
}

/** A coded column whose every category is a plain number becomes numeric again. */
function numbersFromCodes(column: Column, decimal: number): Column {
	if (column.storage !== 'coded') return column;
	const encoder = new TextEncoder();
	const numbers: number[] = [];
	for (const c of column.categories) {
		const bytes = encoder.encode(c.trim());
		const v = parseNumberBytes(bytes, 0, bytes.length, decimal);
		if (v === NOT_NUMBER) return column;
		numbers.push(v);
	}
	const values = Float64Array.from(column.codes, (c) => (c < 0 ? NaN : numbers[c]!));
	return { storage: 'float', name: column.name, type: 'numeric', values } satisfies Column;
}

/** The missing-token policy a model's schema implies: its categories are values, not holes. */
export function missingPolicyOf(
	schema: readonly { name: string; categories?: readonly string[] }[]
): MissingPolicy {
	const columns: Record<string, Record<string, boolean>> = {};
	for (const column of schema) {
		if (!column.categories) continue;
		const choices: Record<string, boolean> = {};
		for (const token of DEFAULT_MISSING_TOKENS) choices[token] = !column.categories.includes(token);
		columns[column.name] = choices;
	}
	return { columns };
}

/** A target that loses more than this share of its rows to missing tokens stops the review. */
export const TARGET_LOSS_SHARE = 0.05;

/** The rows a target loses to tokens read as missing, when that is more than TARGET_LOSS_SHARE. */
export function targetTokenLoss(
	counts: readonly MissingTokenCount[],
	target: string | null,
	rowCount: number
): { cells: number; share: number; tokens: MissingTokenCount[] } | null {
	if (target === null || rowCount === 0) return null;
	const tokens = counts.filter((c) => c.column === target && c.missing);
	const cells = tokens.reduce((sum, c) => sum + c.cells, 0);
	const share = cells / rowCount;
	return share > TARGET_LOSS_SHARE ? { cells, share, tokens } : null;
}

/** Why a token was read as it was, in words (the import review and the CLI). */
export const REASON_TEXT: Record<MissingTokenCount['reason'], string> = {
	numbers: 'in a column of numbers',
	dates: 'in a column of dates',
	rare: 'rare in a column of words',
	frequent: 'a common answer in a column of words',
	chosen: 'as you chose',
	listed: 'named by --na',
	kept: '--keep-na'
};

/**
 * One line per column saying which tokens were read as missing and which kept as values, with
 * their cells and why (the CLI's profile and train print it).
 */
export function missingTokenLines(
	counts: readonly MissingTokenCount[],
	rowCount: number
): string[] {
	const byColumn = new Map<string, MissingTokenCount[]>();
	for (const c of counts) byColumn.set(c.column, [...(byColumn.get(c.column) ?? []), c]);
	const share = (cells: number) =>
		rowCount ? ` (${((100 * cells) / rowCount).toFixed(cells * 1000 < rowCount ? 2 : 1)} %)` : '';
	const lines: string[] = [];
	for (const [column, list] of byColumn) {
		const part = (missing: boolean) =>
			list
				.filter((c) => c.missing === missing)
				.map((c) => `"${c.token}" × ${c.cells}${share(c.cells)}, ${REASON_TEXT[c.reason]}`)
				.join('; ');
		const missing = part(true);
		const kept = part(false);
		if (missing) lines.push(`${column}: read as missing: ${missing}`);
		if (kept) lines.push(`${column}: kept as a value: ${kept}`);
	}
	return lines;
}
