import { releaseProxy, wrap, type Remote } from 'comlink';
import type { TrainApi } from './train-api';

/** A train worker for one run; `call` rejects when the worker dies (out of memory, GPU loss). */
export interface TrainWorker {
	api: Remote<TrainApi>;
	call<T>(work: Promise<T>): Promise<T>;
	dispose(): void;
}

export function createTrainWorker(): TrainWorker {
	const worker = new Worker(new URL('./train.ts', import.meta.url), { type: 'module' });
	const api = wrap<TrainApi>(worker);
	let fail: (error: Error) => void = () => {};
	const died = new Promise<never>((_, reject) => (fail = reject));
	died.catch(() => {});
	worker.addEventListener('error', (event) => {
		fail(
			new Error(
				`The training worker stopped (${event.message || 'it crashed'}). Try another backend, or a smaller model or batch.`
			)
		);
	});
	return {
		api,
		call: (work) => Promise.race([work, died]),
		dispose() {
			fail(new Error('The training worker was stopped.'));
			api[releaseProxy]();
			worker.terminate();
		}
	};
}
