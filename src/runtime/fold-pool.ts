import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DriftwoodError } from '../lib/core/errors';
import { foldLanes, type FoldPool } from '../lib/core/model/fold-lanes';
import type { ExperimentHooks } from '../lib/core/model/types';

export type { FoldPool } from '../lib/core/model/fold-lanes';

/**
 * How many threads the CLI's fold fits use: `DRIFTWOOD_THREADS` when set (1: none but the main
 * thread), else every core the process may use, at most 8.
 */
export function foldThreads(env: Record<string, string | undefined> = process.env): number {
	const set = env.DRIFTWOOD_THREADS;
	if (set !== undefined && set !== '') {
		const n = Number(set);
		if (!Number.isInteger(n) || n < 1 || n > 64)
			throw new DriftwoodError(
				`DRIFTWOOD_THREADS must be a whole number from 1 to 64 (got "${set}").`,
				'worker'
			);
		return n;
	}
	return Math.max(1, Math.min(8, availableParallelism()));
}

/**
 * The worker script: fold-worker.js at the root of the built CLI (dist/cli holds both entries;
 * this module is bundled into a chunk there or in its assets folder), or fold-worker.ts beside
 * this module in the source, started through ts-worker.js (which registers tsx).
 */
function workerOf(): { file: string; data: unknown } {
	const here = fileURLToPath(import.meta.url);
	if (here.endsWith('.ts')) {
		const entry = pathToFileURL(join(dirname(here), 'fold-worker.ts')).href;
		return { file: join(dirname(here), 'ts-worker.js'), data: { entry } };
	}
	const beside = join(dirname(here), 'fold-worker.js');
	return {
		file: existsSync(beside) ? beside : join(dirname(here), '..', 'fold-worker.js'),
		data: null
	};
}

/** A turn of Node's event loop given back (after the I/O and the timers due). */
const yieldToEvents = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The CLI's pool: the calling thread and `threads − 1` worker threads (fold-worker.js). The
 * calling thread's fits yield to the event loop every few milliseconds so that a worker's
 * finished job is answered at once.
 */
export function foldPool(threads: number): FoldPool {
	return foldLanes(threads, {
		start: () => {
			const { file, data } = workerOf();
			const worker = new Worker(file, { workerData: data });
			worker.unref();
			return {
				post: (message) => worker.postMessage(message),
				listen(onMessage, onFailure) {
					worker.on('message', onMessage);
					worker.on('error', onFailure);
					worker.on('exit', (code) => {
						if (code !== 0) onFailure(new Error(`exit code ${code}`));
					});
				},
				// A worker holds the process open only while it has a job.
				busy: (on) => (on ? worker.ref() : worker.unref()),
				terminate: () => worker.terminate()
			};
		},
		hooks: { yieldToEvents },
		stopped: (reason) =>
			`A training thread stopped (${reason}); run again with DRIFTWOOD_THREADS=1 to train on this thread alone.`
	});
}

/**
 * Runs `work` with hooks whose fold fits use every core (`foldThreads()`), the pool closed after;
 * in turn on this thread when there is one core, or when a network trains on TensorFlow.js
 * (`backend` not "loops": its backend lives in this thread only).
 */
export async function withFoldPool<T>(
	backend: string,
	work: (hooks: Pick<ExperimentHooks, 'runFolds'>) => Promise<T>
): Promise<T> {
	const threads = backend === 'loops' ? foldThreads() : 1;
	if (threads < 2) return work({});
	const pool = foldPool(threads);
	try {
		return await work({ runFolds: pool.run });
	} finally {
		await pool.close();
	}
}
