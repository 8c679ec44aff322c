import { foldsInTurn } from '../core/model/cross-validate';
import { foldLanes, type FoldPool, type FromLane, type LaneWorker } from '../core/model/fold-lanes';
import type { ExperimentHooks, FoldRunner } from '../core/model/types';
import type { Table } from '../core/table/types';

/** At most this many lanes at once: the train worker's own and its fold workers. */
const MAX_THREADS = 8;
/**
 * Bytes of a run's table all fold workers together may hold copies of: each worker gets its own
 * copy of the table, and a tab that runs out of memory is killed with its run.
 */
const COPY_BUDGET = 512 * 2 ** 20;

/** About how many bytes a table's columns hold (a category's text counted at 2 bytes a character). */
function tableBytes(table: Table): number {
	let bytes = 0;
	for (const column of table.columns)
		bytes +=
			column.storage === 'float'
				? column.values.byteLength
				: column.codes.byteLength + column.categories.reduce((s, c) => s + 2 * c.length + 16, 0);
	return bytes;
}

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
 * fold workers, the same numbers as in turn. The workers start with the first batch of two jobs
 * or more (a run that never splits in folds starts none); on one core, where workers cannot
 * start, or when the first fold worker does not answer, the folds run in turn here. The workers
 * stop after. `hooks`: the cancel and yield of this worker's own fits; null for a run on a tfjs
 * backend (it lives in this worker only): in turn here.
 */
export async function withFoldWorkers<T>(
	hooks: Pick<ExperimentHooks, 'isCancelled' | 'yieldToEvents'> | null,
	work: (runFolds: FoldRunner | undefined) => Promise<T>
): Promise<T> {
	if (!hooks) return work(undefined);
	const cores = typeof navigator === 'undefined' ? 1 : navigator.hardwareConcurrency || 1;
	const threads = Math.min(MAX_THREADS, cores);
	if (threads < 2 || typeof Worker === 'undefined') return work(undefined);
	const inTurn = foldsInTurn(hooks);
	/** Started by the first batch that asks (batches may ask together); null: workers cannot start. */
	let starting: Promise<FoldPool | null> | undefined;
	const runFolds: FoldRunner = async (context, jobs, started) => {
		if (jobs.length < 2) return inTurn(context, jobs, started);
		const pool = await (starting ??= startPool(threads, hooks));
		return (pool ? pool.run : inTurn)(context, jobs, started);
	};
	try {
		return await work(runFolds);
	} finally {
		await (await starting)?.close();
	}
}

/** A pool whose first worker answered, or null. */
async function startPool(
	threads: number,
	hooks: Pick<ExperimentHooks, 'isCancelled' | 'yieldToEvents'>
): Promise<FoldPool | null> {
	let first: Worker;
	try {
		first = startWorker();
	} catch {
		return null;
	}
	if (!(await answers(first))) {
		first.terminate();
		return null;
	}
	const ready = [first];
	return foldLanes(threads, {
		start: () => laneOf(ready.pop() ?? startWorker()),
		hooks,
		stopped: (reason) =>
			`A fold worker stopped (${reason}); the device may be short of memory. Run again, or close other tabs.`,
		copies: ({ table }) => Math.floor(COPY_BUDGET / Math.max(1, tableBytes(table)))
	});
}
