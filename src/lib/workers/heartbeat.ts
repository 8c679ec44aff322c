/**
 * A worker's sign of life. A worker can die without an `error` event (killed for memory, a
 * crashed renderer process): its calls would then wait forever, and a run would sit at
 * "Epoch 69" with Cancel doing nothing. Every worker posts this beat; the page side
 * (`wrapWorker`) fails a call once the worker has been silent for SILENCE_LIMIT_MS.
 */
export const HEARTBEAT = 'driftwoodHeartbeat';
/** How often a worker beats. */
export const HEARTBEAT_MS = 2_000;
/**
 * Silence after which a worker counts as dead: long, because a worker's event loop is blocked
 * while it computes synchronously (the long loops yield, but a big profile may take seconds).
 */
export const SILENCE_LIMIT_MS = 60_000;

/** Starts the beat inside a worker. */
export function startHeartbeat(post: (message: unknown) => void): void {
	setInterval(() => post({ [HEARTBEAT]: Date.now() }), HEARTBEAT_MS);
}
