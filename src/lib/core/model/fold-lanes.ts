import { DriftwoodError, errorCode } from '../errors';
import { timedFold } from './cross-validate';
import type { ExperimentHooks, FoldContext, FoldJob, FoldRunner, FoldScore } from './types';

/**
 * Fold fits spread over workers, whatever the platform: the CLI's worker threads (Node) and the
 * studio's nested web workers share this scheduler and this message protocol; each platform
 * gives only how a worker is started and spoken to (`LaneWorker`).
 */

/** What a lane's worker is sent: the shared data of the jobs to come, or one job. */
export type ToLane =
	{ kind: 'context'; context: FoldContext } | { kind: 'job'; id: number; job: FoldJob };

/** What a worker answers for a job. */
export type FromLane =
	| { kind: 'done'; id: number; score: FoldScore }
	| { kind: 'failed'; id: number; error: { name: string; message: string; code?: string } };

/** A worker as the scheduler drives it. */
export interface LaneWorker {
	post(message: ToLane): void;
	/** Its answers, and its failure (it stopped, or could not start). */
	listen(onMessage: (message: FromLane) => void, onFailure: (error: Error) => void): void;
	/** It has a job (Node: the worker keeps the process alive only then). */
	busy(on: boolean): void;
	terminate(): void | Promise<unknown>;
}

/** Fold fits spread over workers, with the calling thread as one more lane. */
export interface FoldPool {
	/** How many fits run at once (the calling thread included). */
	readonly threads: number;
	run: FoldRunner;
	/** Stops the workers (the pool may not run again). */
	close(): Promise<void>;
}

/**
 * A pool of `threads` lanes: the calling thread (its fits through `hooks`: cancel, yield) and
 * `threads − 1` workers from `start`, started on the first batch. Each lane takes the next job
 * when it is free; results come back in the jobs' order, the same numbers as in turn (a fold's
 * fit depends only on its job). The calling thread's fits must yield to the event loop (`hooks`)
 * so that a worker's finished job is answered at once.
 */
export function foldLanes(
	threads: number,
	{
		start,
		hooks,
		stopped,
		copies
	}: {
		start: () => LaneWorker;
		hooks: Pick<ExperimentHooks, 'isCancelled' | 'yieldToEvents'>;
		/** What to tell the user when a worker stops mid-batch (what failed: `reason`). */
		stopped: (reason: string) => string;
		/** The most workers a batch's data may be copied to (each holds its own copy); default: all. */
		copies?: (context: FoldContext) => number;
	}
): FoldPool {
	const workers: LaneWorker[] = [];
	/** The context each worker holds. */
	const held = new Map<LaneWorker, FoldContext>();
	const pending = new Map<
		number,
		{ resolve: (s: FoldScore) => void; reject: (e: Error) => void }
	>();
	let nextId = 0;
	let closed = false;

	const launch = (): LaneWorker => {
		const worker = start();
		worker.listen(
			(message) => {
				const waiting = pending.get(message.id);
				if (!waiting) return;
				pending.delete(message.id);
				if (message.kind === 'done') waiting.resolve(message.score);
				else waiting.reject(errorFrom(message.error));
			},
			(error) => {
				if (closed) return;
				for (const [id, waiting] of pending) {
					pending.delete(id);
					waiting.reject(new DriftwoodError(stopped(error.message), 'worker'));
				}
			}
		);
		return worker;
	};

	const onWorker = (worker: LaneWorker, context: FoldContext, job: FoldJob) =>
		new Promise<FoldScore>((resolve, reject) => {
			if (held.get(worker) !== context) {
				worker.post({ kind: 'context', context });
				held.set(worker, context);
			}
			worker.busy(true);
			const id = nextId++;
			pending.set(id, {
				resolve: (score) => {
					worker.busy(false);
					resolve(score);
				},
				reject: (error) => {
					worker.busy(false);
					reject(error);
				}
			});
			worker.post({ kind: 'job', id, job });
		});

	const run: FoldRunner = async (context, jobs, started, meanwhile) => {
		if (closed) throw new Error('The fold pool is closed.');
		const lanes = Math.max(1, Math.min(threads, jobs.length, 1 + (copies?.(context) ?? threads)));
		while (workers.length < lanes - 1) workers.push(launch());
		const out: FoldScore[] = new Array(jobs.length);
		let next = 0;
		let failed = false;
		const lane = async (worker: LaneWorker | null) => {
			while (next < jobs.length) {
				const i = next++;
				const job = jobs[i]!;
				try {
					started(job, i + 1);
					out[i] = worker
						? await onWorker(worker, context, job)
						: await timedFold(context.table, context.config, context.target, job, hooks);
				} catch (error) {
					// The batch has failed: no lane starts another job of it.
					next = jobs.length;
					failed = true;
					throw error;
				}
			}
			// The calling thread, out of jobs while the workers finish theirs: its own work.
			if (!worker && !failed && lanes > 1) meanwhile?.();
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

/** A worker's failure as an error here: a refusal keeps its code (what the caller offers depends on it). */
function errorFrom(error: { name: string; message: string; code?: string }): Error {
	const code = errorCode(error);
	const out = code ? new DriftwoodError(error.message, code) : new Error(error.message);
	out.name = error.name;
	return out;
}

/**
 * The worker's side: keeps the context it is sent and answers each job with its score (or its
 * failure), through `post` (`transfer`: the buffers to move rather than copy).
 */
export function foldAnswerer(
	post: (message: FromLane, transfer: ArrayBuffer[]) => void
): (message: ToLane) => Promise<void> {
	let context: FoldContext | null = null;
	return async (message) => {
		if (message.kind === 'context') {
			context = message.context;
			return;
		}
		try {
			if (!context) throw new Error('A fold job arrived before its data.');
			const score = await timedFold(context.table, context.config, context.target, message.job);
			post({ kind: 'done', id: message.id, score }, [score.predicted.buffer as ArrayBuffer]);
		} catch (error) {
			const e = error instanceof Error ? error : new Error(String(error));
			post(
				{
					kind: 'failed',
					id: message.id,
					error: {
						name: e.name,
						message: e.message,
						...(error instanceof DriftwoodError ? { code: error.code } : {})
					}
				},
				[]
			);
		}
	};
}
