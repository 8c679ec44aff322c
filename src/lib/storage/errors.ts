/** A storage failure the user can act on. `message` says what happened and what to do. */
export class StorageError extends Error {
	constructor(
		message: string,
		readonly code: 'quota' | 'blocked' | 'versionchange' | 'unavailable' | 'not-found'
	) {
		super(message);
		this.name = 'StorageError';
	}
}

/** Maps a failed transaction's error to a clear message; anything unknown is rethrown as is. */
export function explainStorageError(error: unknown): unknown {
	const name = error instanceof DOMException || error instanceof Error ? error.name : '';
	if (name === 'QuotaExceededError') {
		return new StorageError(
			'The browser has no room left for this site, so nothing was saved (your existing data is intact). ' +
				'Delete datasets or batches you no longer need (export a workspace backup from the home page first to keep a copy), or allow persistent storage there, then try again.',
			'quota'
		);
	}
	return error;
}
