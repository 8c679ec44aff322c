import { foldLanes, type FromLane, type LaneWorker } from '../core/model/fold-lanes';
import type { ExperimentHooks, FoldRunner } from '../core/model/types';

/** At most this many fold workers beside the train worker's own lane. */
const MAX_THREADS = 8;
/** A fold worker that has not answered its first message by then is taken as unable to start. */
const START_MS = 10_000;

function startWorker(): Worker {
	return new Worker(new URL('./fold.ts', import.meta.url), { type: 'module', name: 'fold' });
}

/** Whether the worker started and answers (false: its script did not load, e.g. offline and uncached). */
function answers(worker: Worker): Promise<boolean> {
	return new Promise((resolve) => {
		const timer = setTimeout(() => resolve(false), START_MS);
		worker.onmessage = (event: MessageEvent<{ kind: string }>) => {
			clearTimeout(timer);
			resolve(event.data.kind === 'ready');
		};
		worker.onerror = () => {
			clearTimeout(timer);
			resolve(false);
		};
		worker.postMessage({ kind: 'ping' });
	});
}

function laneOf(worker: Worker): LaneWorker {
	return {
		post: (message) => worker.postMessage(message),
		listen(onMessage, onFailure) {
			worker.onmessage = (event: MessageEvent<FromLane>) => onMessage(event.data);
			worker.onerror = (event) => {
				event.preventDefault();
				onFailure(new Error(event.message || 'the worker failed'));
			};
		},
		busy: () => undefined,
		terminate: () => worker.terminate()
	};
}

/**
 * Runs `work` with a fold runner over every core of the device: this (train) worker and nested
 * fold workers, the same numbers as in turn; `undefined` (in turn here) on one core, where
 * workers cannot start, or when the first fold worker does not answer. The workers stop after.
 * `hooks`: the cancel and yield of this worker's own fits; null for a run on a tfjs backend (it
 * lives in this worker only): in turn here.
 */
export async function withFoldWorkers<T>(
	hooks: Pick<ExperimentHooks, 'isCancelled' | 'yieldToEvents'> | null,
	work: (runFolds: FoldRunner | undefined) => Promise<T>
): Promise<T> {
	if (!hooks) return work(undefined);
	const cores = typeof navigator === 'undefined' ? 1 : navigator.hardwareConcurrency || 1;
	const threads = Math.min(MAX_THREADS, cores);
	if (threads < 2 || typeof Worker === 'undefined') return work(undefined);
	let first: Worker | null = null;
	try {
		first = startWorker();
	} catch {
		return work(undefined);
	}
	if (!(await answers(first))) {
		first.terminate();
		return work(undefined);
	}
	const ready = [first];
	const pool = foldLanes(threads, {
		start: () => laneOf(ready.pop() ?? startWorker()),
		hooks,
		stopped: (reason) =>
			`A fold worker stopped (${reason}); the device may be short of memory. Run again, or close other tabs.`
	});
	try {
		return await work(pool.run);
	} finally {
		await pool.close();
		for (const w of ready) w.terminate();
	}
}
