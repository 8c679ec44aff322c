import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DriftwoodError, errorCode } from '../lib/core/errors';
import { timedFold } from '../lib/core/model/cross-validate';
import type { ExperimentHooks, FoldContext, FoldRunner, FoldScore } from '../lib/core/model/types';
import type { FromWorker, ToWorker } from './fold-worker';

/** Fold fits spread over worker threads, with the calling thread as one more lane. */
export interface FoldPool {
	/** How many fits run at once (the calling thread included). */
	readonly threads: number;
	run: FoldRunner;
	/** Stops the worker threads (the pool may not run again). */
	close(): Promise<void>;
}

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

/**
 * A pool of `threads` lanes: the calling thread and `threads − 1` workers, started on the first
 * batch. Each lane takes the next job when it is free; results come back in the jobs' order, the
 * same numbers as in turn (a fold's fit depends only on its job). The calling thread's fits yield
 * to the event loop every few milliseconds so that a worker's finished job is answered at once.
 */
export function foldPool(threads: number): FoldPool {
	const workers: Worker[] = [];
	/** The context each worker holds. */
	const held = new Map<Worker, FoldContext>();
	const pending = new Map<
		number,
		{ resolve: (s: FoldScore) => void; reject: (e: Error) => void }
	>();
	let nextId = 0;
	let closed = false;

	const start = (): Worker => {
		const { file, data } = workerOf();
		const worker = new Worker(file, { workerData: data });
		worker.unref();
		worker.on('message', (message: FromWorker) => {
			const waiting = pending.get(message.id);
			if (!waiting) return;
			pending.delete(message.id);
			if (message.kind === 'done') waiting.resolve(message.score);
			else {
				const { name, message: text } = message.error;
				// A refusal keeps its code (what the caller offers depends on it), as from this thread.
				const code = errorCode(message.error);
				const error = code ? new DriftwoodError(text, code) : new Error(text);
				error.name = name;
				waiting.reject(error);
			}
		});
		const fail = (error: Error) => {
			for (const [id, waiting] of pending) {
				pending.delete(id);
				waiting.reject(
					new DriftwoodError(
						`A training thread stopped (${error.message}); run again with DRIFTWOOD_THREADS=1 to train on this thread alone.`,
						'worker'
					)
				);
			}
		};
		worker.on('error', fail);
		worker.on('exit', (code) => {
			if (!closed && code !== 0) fail(new Error(`exit code ${code}`));
		});
		return worker;
	};

	const onWorker = (worker: Worker, context: FoldContext, job: ToWorker & { kind: 'job' }) =>
		new Promise<FoldScore>((resolve, reject) => {
			if (held.get(worker) !== context) {
				worker.postMessage({ kind: 'context', context } satisfies ToWorker);
				held.set(worker, context);
			}
			// A worker holds the process open only while it has a job.
			worker.ref();
			pending.set(job.id, {
				resolve: (score) => {
					worker.unref();
					resolve(score);
				},
				reject: (error) => {
					worker.unref();
					reject(error);
				}
			});
			worker.postMessage(job);
		});

	const yieldNow = () => new Promise<void>((resolve) => setImmediate(resolve));

	const run: FoldRunner = async (context, jobs, started) => {
		if (closed) throw new Error('The fold pool is closed.');
		const lanes = Math.min(threads, jobs.length);
		while (workers.length < lanes - 1) workers.push(start());
		const out: FoldScore[] = new Array(jobs.length);
		let next = 0;
		const lane = async (worker: Worker | null) => {
			while (next < jobs.length) {
				const i = next++;
				const job = jobs[i]!;
				started(job, i + 1);
				try {
					out[i] = worker
						? await onWorker(worker, context, { kind: 'job', id: nextId++, job })
						: await timedFold(context.table, context.config, context.target, job, {
								yieldToEvents: yieldNow
							});
				} catch (error) {
					// The batch has failed: no lane starts another job of it.
					next = jobs.length;
					throw error;
				}
			}
		};
		await Promise.all([lane(null), ...workers.slice(0, lanes - 1).map((w) => lane(w))]);
		return out;
	};

	return {
		threads,
		run,
		async close() {
			closed = true;
			await Promise.all(workers.map((w) => w.terminate()));
			workers.length = 0;
		}
	};
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
