import { DriftwoodError } from '../core/errors';
import { releaseProxy, wrap, type Remote } from 'comlink';
import { HEARTBEAT_MS, SILENCE_LIMIT_MS } from './heartbeat';

/**
 * A worker wrapped with comlink. `call` rejects (never hangs) when the worker dies, falls silent
 * (no message, not even its heartbeat, for SILENCE_LIMIT_MS) or is disposed;
 * `dispose` terminates it at once, which is also how Cancel stops a long call.
 */
export interface WorkerClient<T> {
	api: Remote<T>;
	call<R>(work: Promise<R>): Promise<R>;
	dispose(reason?: Error): void;
}

/** Wraps `worker` (created by the caller: Vite needs the literal `new Worker(new URL(…))`). */
export function wrapWorker<T>(
	worker: Worker,
	crashed: (detail: string) => string
): WorkerClient<T> {
	const api = wrap<T>(worker);
	let fail: (error: Error) => void = () => {};
	const died = new Promise<never>((_, reject) => (fail = reject));
	died.catch(() => {});
	let disposed = false;
	worker.addEventListener('error', (event) =>
		fail(new DriftwoodError(crashed(event.message || 'it crashed'), 'worker'))
	);
	// Any message is a sign of life: the beat, a progress callback, a reply.
	let lastSign = Date.now();
	worker.addEventListener('message', () => (lastSign = Date.now()));
	let pending = 0;
	let watchdog: ReturnType<typeof setInterval> | null = null;
	const client: WorkerClient<T> = {
		api,
		async call(work) {
			if (pending++ === 0) {
				lastSign = Date.now();
				watchdog = setInterval(() => {
					const silent = Date.now() - lastSign;
					if (silent > SILENCE_LIMIT_MS)
						client.dispose(
							new DriftwoodError(
								crashed(`it stopped answering for ${Math.round(silent / 1000)} s`),
								'worker'
							)
						);
				}, HEARTBEAT_MS);
			}
			try {
				return await Promise.race([work, died]);
			} finally {
				if (--pending === 0 && watchdog) {
					clearInterval(watchdog);
					watchdog = null;
				}
			}
		},
		dispose(reason) {
			if (disposed) return;
			disposed = true;
			if (watchdog) clearInterval(watchdog);
			fail(reason ?? new DriftwoodError('The worker was stopped.', 'cancelled'));
			api[releaseProxy]();
			worker.terminate();
		}
	};
	return client;
}
