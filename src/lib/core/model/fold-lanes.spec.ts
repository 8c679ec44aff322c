import { describe, expect, it } from 'vitest';
import { penguinsChoice } from '../../../../tests/unit/penguins-choice';
import { DEFAULT_GBDT } from './spec';
import { foldAnswerer, foldLanes, type FromLane, type LaneWorker, type ToLane } from './fold-lanes';
import { foldsInTurn } from './cross-validate';
import { kFolds } from './split';
import type { FoldJob } from './types';

/** A worker in this thread: the real answering side behind a message channel's asynchrony. */
function inProcess(log: string[]): LaneWorker {
	let listener: ((m: FromLane) => void) | null = null;
	const answer = foldAnswerer((message) => setTimeout(() => listener?.(message), 0));
	return {
		post: (message: ToLane) => {
			log.push(message.kind);
			setTimeout(() => void answer(structuredClone(message)), 0);
		},
		listen: (onMessage) => (listener = onMessage),
		busy: () => undefined,
		terminate: () => undefined
	};
}

describe('fold lanes', () => {
	it('give the jobs’ scores in order, the data sent once per worker, as many workers as the data may be copied to', async () => {
		const { table, config, target, split } = await penguinsChoice(5, 2);
		const context = { table, config, target };
		const spec = { ...DEFAULT_GBDT, maxIterations: 8 };
		const jobs: FoldJob[] = kFolds(split.train, 4, 1).map((fold, f) => ({
			spec,
			fold,
			timeOrdered: false,
			fixedSteps: false,
			label: `fold ${f + 1}`
		}));
		const expected = await foldsInTurn({})(context, jobs, () => undefined);
		for (const [copies, workers] of [
			[undefined, 2],
			[1, 1],
			[0, 0]
		] as const) {
			const log: string[] = [];
			let started = 0;
			const pool = foldLanes(3, {
				start: () => (started++, inProcess(log)),
				hooks: {},
				stopped: (reason) => reason,
				...(copies === undefined ? {} : { copies: () => copies })
			});
			const seen: number[] = [];
			const scores = await pool.run(context, jobs, (_, index) => seen.push(index));
			await pool.close();
			expect(started).toBe(workers);
			expect(log.filter((k) => k === 'context')).toHaveLength(workers);
			expect(seen.sort()).toEqual([1, 2, 3, 4]);
			expect(scores.map((s) => [s.metrics, [...s.predicted], s.bestStep])).toEqual(
				expected.map((s) => [s.metrics, [...s.predicted], s.bestStep])
			);
		}
	});

	it('gives the calling thread its own work once it is out of jobs while a worker still fits, never after a failure', async () => {
		const { table, config, target, split } = await penguinsChoice(5, 2);
		const context = { table, config, target };
		const jobs: FoldJob[] = kFolds(split.train, 2, 1).map((fold, f) => ({
			spec: { ...DEFAULT_GBDT, maxIterations: 4 },
			fold,
			timeOrdered: false,
			fixedSteps: false,
			label: `fold ${f + 1}`
		}));
		// A worker that answers late: the calling thread finishes its job first.
		let answered = false;
		const slow = (): LaneWorker => {
			const inner = inProcess([]);
			return {
				...inner,
				listen: (onMessage, onFailure) =>
					inner.listen(
						(m) =>
							setTimeout(() => {
								answered = true;
								onMessage(m);
							}, 50),
						onFailure
					)
			};
		};
		const events: string[] = [];
		const pool = foldLanes(2, { start: slow, hooks: {}, stopped: (r) => r });
		await pool.run(
			context,
			jobs,
			(_, index) => events.push(`job ${index}`),
			() => events.push(answered ? 'after' : 'during')
		);
		// Both jobs taken before it: the calling thread had none left.
		expect(events).toEqual(['job 1', 'job 2', 'during']);
		await pool.close();
		// A batch whose worker fails while the calling thread still fits (it yields between
		// steps, and takes the first job) leaves the work to the caller.
		const failing = foldLanes(2, {
			start: () => inProcess([]),
			hooks: { yieldToEvents: () => new Promise((resolve) => setTimeout(resolve, 0)) },
			stopped: (r) => r
		});
		const broken = { ...jobs[1]!, fold: { ...jobs[1]!.fold, train: new Int32Array(0) } };
		const slower = {
			...jobs[0]!,
			spec: { ...DEFAULT_GBDT, maxIterations: 1500, learningRate: 0.01, patience: 0 }
		};
		events.length = 0;
		await expect(
			failing.run(
				context,
				[slower, broken],
				() => undefined,
				() => events.push('ran')
			)
		).rejects.toThrow();
		// Let the calling thread's fit run out.
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(events).toEqual([]);
		await failing.close();
		// One lane: nothing runs beside the jobs, so the caller's work is its own to do.
		const alone = foldLanes(1, { start: slow, hooks: {}, stopped: (r) => r });
		await alone.run(
			context,
			jobs,
			() => undefined,
			() => events.push('alone')
		);
		expect(events).toEqual([]);
		await alone.close();
	});
});
