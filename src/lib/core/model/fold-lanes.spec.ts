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
});
