/**
 * One error type for everything Driftwood refuses or fails at. Its `code` survives a worker
 * boundary (see workers/errors.ts), so that a caller decides what to offer from the code and
 * never by matching the English message.
 */
export const ERROR_CODES = [
	// What the user handed in: a file, a bundle, a batch.
	'empty',
	'header-only',
	'encoding',
	'binary',
	'ragged',
	'json',
	'parquet',
	'arrow',
	'too-large',
	'no-columns',
	'bundle',
	'family',
	'schema',
	// The settings of a run and what the data allows.
	'target',
	'split',
	'recipe',
	'experiment',
	'diverged',
	'drift',
	// A backtest the data cannot support (no date column, too few periods).
	'backtest',
	// An audit the data cannot support (one class, too few rows per fold).
	'audit',
	// An explanation that cannot be exact (no covers, a family without contributions), or that
	// does not add up to the prediction.
	'explain',
	// A conformal bound that cannot be given (a level outside (0, 1), too few held-out rows).
	'conformal',
	// A decision that needs evidence or a reason (a promotion without one).
	'promotion',
	// A model gave an output that is not a number.
	'non-finite',
	// The machine: a compute backend, a worker.
	'backend',
	'worker',
	// The user stopped it.
	'cancelled'
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

const KNOWN: ReadonlySet<string> = new Set(ERROR_CODES);

/** A failure the user can act on: `message` says what is wrong and what to do. */
export class DriftwoodError extends Error {
	constructor(
		message: string,
		readonly code: ErrorCode
	) {
		super(message);
		this.name = 'DriftwoodError';
	}
}

/** The code of any error, also one that crossed a worker as a plain object; null if it has none. */
export function errorCode(error: unknown): ErrorCode | null {
	if (error === null || typeof error !== 'object') return null;
	const code = (error as { code?: unknown }).code;
	return typeof code === 'string' && KNOWN.has(code) ? (code as ErrorCode) : null;
}

/** The message of any thrown value. */
export function errorMessage(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/**
 * Whether running the same work on another compute backend could help: only when the backend or
 * its worker failed, or for an error nobody classified. Data and settings errors say what to fix.
 */
export function mayRetryElsewhere(error: unknown): boolean {
	const code = errorCode(error);
	return code === null || code === 'backend' || code === 'worker';
}
