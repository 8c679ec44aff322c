// A worker thread of the CLI's fold pool (fold-pool.ts): it keeps the experiment's shared data
// (table, config, target) and runs the fold fits it is sent, each as the main thread would.
import { parentPort } from 'node:worker_threads';
import { timedFold } from '../lib/core/model/cross-validate';
import type { FoldContext, FoldJob } from '../lib/core/model/types';
import { DriftwoodError } from '../lib/core/errors';

/** What the pool sends: the shared data of the jobs to come, or one job. */
export type ToWorker =
	{ kind: 'context'; context: FoldContext } | { kind: 'job'; id: number; job: FoldJob };

/** What a worker answers for a job. */
export type FromWorker =
	| {
			kind: 'done';
			id: number;
			score: Awaited<ReturnType<typeof timedFold>>;
	  }
	| { kind: 'failed'; id: number; error: { name: string; message: string; code?: string } };

const port = parentPort;
if (!port) throw new Error('fold-worker.ts runs as a worker thread of the fold pool.');
let context: FoldContext | null = null;
port.on('message', (message: ToWorker) => void answer(message));

/** Keeps a context, or runs a job and posts its score (or its failure). */
async function answer(message: ToWorker): Promise<void> {
	if (message.kind === 'context') {
		context = message.context;
		return;
	}
	try {
		if (!context) throw new Error('A fold job arrived before its data.');
		const score = await timedFold(context.table, context.config, context.target, message.job);
		const done: FromWorker = { kind: 'done', id: message.id, score };
		port!.postMessage(done, [score.predicted.buffer as ArrayBuffer]);
	} catch (error) {
		const e = error instanceof Error ? error : new Error(String(error));
		const failed: FromWorker = {
			kind: 'failed',
			id: message.id,
			error: {
				name: e.name,
				message: e.message,
				...(error instanceof DriftwoodError ? { code: error.code } : {})
			}
		};
		port!.postMessage(failed);
	}
}
