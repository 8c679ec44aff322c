import { proxy } from 'comlink';
import { errorCode, errorMessage } from '../core/errors';
import { createTrainWorker, type TrainWorker } from '../workers/train-client';

/** How long Cancel waits for the worker to stop between steps before it is terminated. */
const CANCEL_GRACE_MS = 2_000;

/** Reports a long job's steps: done of total, and what it is doing. */
export type OnProgress = (done: number, total: number, what: string) => void;

/**
 * A long job in a fresh train worker as a page follows it: running, progress, Cancel (asked
 * politely between steps, then the worker is ended), the error in words, or that it was
 * cancelled. The backtester and the auditor are such jobs.
 */
export class WorkerJob {
	running = $state(false);
	progress = $state.raw<{ done: number; total: number; what: string } | null>(null);
	error = $state<string | null>(null);
	cancelled = $state(false);
	private worker: TrainWorker | null = null;

	/** Runs `call` in a fresh worker (one at a time); its result, or null when it failed or stopped. */
	protected async work<T>(
		call: (worker: TrainWorker, onProgress: OnProgress) => Promise<T>
	): Promise<T | null> {
		if (this.running) return null;
		this.running = true;
		this.error = null;
		this.cancelled = false;
		this.progress = { done: 0, total: 0, what: 'reading the table' };
		const worker = (this.worker = createTrainWorker());
		try {
			return await call(
				worker,
				proxy((done: number, total: number, what: string) => {
					this.progress = { done, total, what };
				})
			);
		} catch (error) {
			if (errorCode(error) === 'cancelled') this.cancelled = true;
			else this.error = errorMessage(error);
			return null;
		} finally {
			worker.dispose();
			this.worker = null;
			this.running = false;
			this.progress = null;
		}
	}

	/** Stops the job: asked politely between steps, then the worker is ended. */
	cancel(): void {
		const worker = this.worker;
		if (!worker) return;
		void worker.api.cancel();
		setTimeout(() => {
			if (this.worker === worker) worker.dispose();
		}, CANCEL_GRACE_MS);
	}
}
