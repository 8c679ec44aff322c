import { DriftwoodError } from '../core/errors';
import { releaseProxy, wrap, type Remote } from 'comlink';

/**
 * A worker wrapped with comlink. `call` rejects (never hangs) when the worker dies or is disposed;
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
	return {
		api,
		call: (work) => Promise.race([work, died]),
		dispose(reason) {
			if (disposed) return;
			disposed = true;
			fail(reason ?? new DriftwoodError('The worker was stopped.', 'cancelled'));
			api[releaseProxy]();
			worker.terminate();
		}
	};
}
