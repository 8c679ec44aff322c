/**
 * A request inside a transaction whose outcome `tx.done` reports: its own rejection on abort
 * would otherwise surface as an unhandled rejection.
 */
export function settled(request: Promise<unknown>): void {
	request.catch(() => {});
}

/** Rolls a failed transaction back, whatever state it is in; its `done` rejection is expected. */
export function abortQuietly(tx: { abort(): void; done: Promise<void> }): void {
	tx.done.catch(() => {});
	try {
		tx.abort();
	} catch {
		// Already finished or aborted: nothing to undo.
	}
}
