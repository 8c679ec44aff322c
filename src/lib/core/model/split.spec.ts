import { describe, expect, it } from 'vitest';
import { kFolds, splitRows } from './split';
import { DEFAULT_MLP, validateSpec } from './spec';
import { inferTask, prepareTarget } from './task';

const rows = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

describe('splitRows', () => {
	it('partitions the rows, the same way for the same seed', () => {
		const spec = { kind: 'random' as const, seed: 7, validation: 0.2, test: 0.2 };
		const a = splitRows(rows(100), spec);
		expect([a.train.length, a.validation.length, a.test.length]).toEqual([60, 20, 20]);
		expect(new Set([...a.train, ...a.validation, ...a.test]).size).toBe(100);
		expect(splitRows(rows(100), spec)).toEqual(a);
		expect(splitRows(rows(100), { ...spec, seed: 8 }).test).not.toEqual(a.test);
	});

	it('keeps class shares when stratified', () => {
		const labels = Int32Array.from({ length: 200 }, (_, i) => (i < 40 ? 1 : 0));
		const s = splitRows(
			rows(200),
			{ kind: 'stratified', seed: 1, validation: 0.25, test: 0.25 },
			labels
		);
		const positives = (part: Int32Array) => part.filter((r) => labels[r] === 1).length;
		expect([positives(s.train), positives(s.validation), positives(s.test)]).toEqual([20, 10, 10]);
	});

	it('puts the newest rows in the test part of a time split', () => {
		const times = Float64Array.from({ length: 50 }, (_, i) => (50 - i) * 1000);
		const s = splitRows(
			rows(50),
			{ kind: 'time', seed: 1, validation: 0.2, test: 0.2 },
			undefined,
			times
		);
		const newestTrain = Math.max(...Array.from(s.train, (r) => times[r]!));
		const oldestTest = Math.min(...Array.from(s.test, (r) => times[r]!));
		expect(newestTrain).toBeLessThan(oldestTest);
	});

	it('refuses absurd shares and too few rows', () => {
		expect(() =>
			splitRows(rows(100), { kind: 'random', seed: 1, validation: 0.5, test: 0.5 })
		).toThrow(/below 90 %/);
		expect(() =>
			splitRows(rows(5), { kind: 'random', seed: 1, validation: 0.2, test: 0.2 })
		).toThrow(/Only 5 rows/);
	});
});

describe('kFolds', () => {
	it('makes k disjoint validation folds covering every row, stratified', () => {
		const labels = Int32Array.from({ length: 50 }, (_, i) => (i % 5 === 0 ? 1 : 0));
		const folds = kFolds(rows(50), 5, 3, labels);
		expect(folds.flatMap((f) => Array.from(f.validation)).sort((a, b) => a - b)).toEqual(
			Array.from(rows(50))
		);
		for (const f of folds) {
			expect(f.validation.filter((r) => labels[r] === 1).length).toBe(2);
			expect(f.train.length + f.validation.length).toBe(50);
		}
	});

	it('says when there are fewer rows than folds', () => {
		expect(() => kFolds(rows(3), 5, 1)).toThrow('3 rows cannot be split into 5 folds');
	});
});

describe('target', () => {
	const coded = (values: (string | null)[]) => {
		const categories = Array.from(new Set(values.filter((v): v is string => v !== null)));
		return {
			storage: 'coded' as const,
			name: 't',
			type: 'categorical' as const,
			categories,
			codes: Int32Array.from(values, (v) => (v === null ? -1 : categories.indexOf(v)))
		};
	};

	it('infers the task and encodes classes in sorted order, dropping missing targets', () => {
		const column = coded(['b', 'a', null, 'c', 'a']);
		expect(inferTask(column)).toBe('multiclass');
		const t = prepareTarget(column, 'multiclass');
		expect(t.labels).toEqual(['a', 'b', 'c']);
		expect(Array.from(t.rows)).toEqual([0, 1, 3, 4]);
		expect(t.dropped).toBe(1);
		expect(Array.from(t.classes!)).toEqual([1, 0, -1, 2, 0]);
		expect(
			inferTask({
				storage: 'float',
				name: 'y',
				type: 'numeric',
				values: Float64Array.from([0, 1, 1])
			})
		).toBe('binary');
	});

	it('refuses a single class and a text target for regression', () => {
		expect(() => prepareTarget(coded(['x', 'x', null]), 'binary')).toThrow(/single class \("x"\)/);
		expect(() => prepareTarget(coded(['x', 'y']), 'regression')).toThrow(
			/holds text, so it cannot be a regression target/
		);
	});
});

describe('validateSpec', () => {
	it('accepts the defaults and rejects absurd settings before training', () => {
		expect(validateSpec(DEFAULT_MLP)).toEqual([]);
		const problems = validateSpec({
			...DEFAULT_MLP,
			hidden: [0],
			learningRate: -0.1,
			dropout: 1,
			batchSize: 0
		});
		expect(problems).toHaveLength(4);
		expect(problems.join(' ')).toMatch(/Hidden layer 1 needs between 1 and 4096 units \(got 0\)/);
		expect(problems.join(' ')).toMatch(/learning rate must be above 0/);
	});
});

describe('a held-out test file', () => {
	it('tests on the appended rows and splits the training file into train / validation', () => {
		const rows = Int32Array.from({ length: 120 }, (_, i) => i);
		const split = splitRows(rows, {
			kind: 'random',
			seed: 1,
			validation: 0.25,
			test: 0.2,
			heldOutFrom: 100
		});
		expect(Array.from(split.test)).toEqual(Array.from({ length: 20 }, (_, i) => 100 + i));
		expect(split.validation.length).toBe(25);
		expect(split.train.length).toBe(75);
		expect([...split.train, ...split.validation].every((r) => r < 100)).toBe(true);
		expect(() =>
			splitRows(
				Int32Array.from({ length: 50 }, (_, i) => i),
				{
					kind: 'random',
					seed: 1,
					validation: 0.2,
					test: 0.2,
					heldOutFrom: 50
				}
			)
		).toThrow(/test file has no rows/);
	});
});
