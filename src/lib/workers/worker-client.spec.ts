import { afterEach, describe, expect, it, vi } from 'vitest';
import { HEARTBEAT, SILENCE_LIMIT_MS } from './heartbeat';
import { wrapWorker } from './worker-client';

/** A worker that answers nothing (comlink's messages go nowhere) and can be made to beat. */
class SilentWorker extends EventTarget {
	terminated = false;
	postMessage(): void {}
	terminate(): void {
		this.terminated = true;
	}
	beat(): void {
		this.dispatchEvent(new MessageEvent('message', { data: { [HEARTBEAT]: Date.now() } }));
	}
}

afterEach(() => vi.useRealTimers());

describe('wrapWorker', () => {
	it('fails a call when the worker dies without an error event, and stops it', async () => {
		vi.useFakeTimers();
		const worker = new SilentWorker();
		const client = wrapWorker<{ work(): Promise<number> }>(
			worker as unknown as Worker,
			(detail) => `The training worker stopped (${detail}).`
		);
		const never = new Promise<number>(() => {});
		const call = client.call(never);
		const outcome = call.then(
			() => 'resolved',
			(error: Error & { code?: string }) => `${error.code}: ${error.message}`
		);
		// Beating: alive however long it takes.
		for (let t = 0; t < 3 * SILENCE_LIMIT_MS; t += 2_000) {
			worker.beat();
			await vi.advanceTimersByTimeAsync(2_000);
		}
		expect(worker.terminated).toBe(false);
		// Silent: dead after the limit, with the reason.
		await vi.advanceTimersByTimeAsync(SILENCE_LIMIT_MS + 4_000);
		expect(await outcome).toMatch(
			/^worker: The training worker stopped \(it stopped answering for 6\d s\)\.$/
		);
		expect(worker.terminated).toBe(true);
	});
});
