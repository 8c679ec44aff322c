import { countDistinctSorted, lowerBound, sortFloat64, upperBound } from '../stats/sort';
import { binLabels, nonEmptyBins, numericCounts, numericSpec, type BinSpec } from './bins';
import { quantileSorted, stdOf } from '../stats/summary';
import { formatDateTime } from '../table/datetime';
import { columnLength } from '../table/access';
import type { Column } from '../table/types';
import { ksTest } from './ks';
import { categoricalPValue } from './permutation';
import {
	chiSquareContingency,
	jensenShannon,
	psi,
	wassersteinSorted,
	zTestProportions
} from './stats';
import { SMALL_REFERENCE_ROWS, type DriftTest, type DriftThresholds } from './thresholds';
import type { FeatureDrift } from './types';

const FEW_VALUES = 5;
const STD_FLOOR = 0.001;
/**
 * One feature of a batch against the reference: the test by type and reference size (Evidently's
 * rule, or the monitor's choice), PSI, missing shares, out-of-range and unseen values, medians and
 * the bins its chart overlays.
 */
export function compareFeature(
	name: string,
	ref: Column,
	cur: Column,
	thresholds: DriftThresholds,
	referenceRows: number
): FeatureDrift {
	const refN = columnLength(ref);
	const curN = columnLength(cur);
	if (ref.storage === 'float' && cur.storage === 'float') {
		// Each side sorted once; every statistic below walks the sorted arrays.
		const a = sortFloat64(presentValues(ref.values));
		const b = sortFloat64(presentValues(cur.values));
		const base = {
			name,
			referenceMissing: refN ? 1 - a.length / refN : 0,
			currentMissing: curN ? 1 - b.length / curN : 0,
			unseen: [] as string[],
			medians:
				a.length && b.length
					? {
							reference: quantileSorted(a, 0.5),
							current: quantileSorted(b, 0.5),
							datetime: ref.type === 'datetime'
						}
					: null
		};
		if (a.length === 0 || b.length === 0) return emptySide(base, a.length === 0);
		const lo = a[0]!;
		const hi = a[a.length - 1]!;
		const outside = lowerBound(b, lo) + (b.length - upperBound(b, hi));
		const unique = countDistinctSorted(a);
		const spec = numericSpec(a, ref.type === 'datetime');
		const bins = nonEmptyBins(binLabels(spec), numericCounts(spec, a), numericCounts(spec, b));
		const psiValue = psi(bins.reference, bins.current);
		let test: DriftTest;
		let statistic: number;
		let pValue: number | null = null;
		let drifted: boolean;
		let pSource: FeatureDrift['pSource'];
		const forced = chosenTest(thresholds, name);
		const wanted = numericTest(forced, unique, referenceRows);
		if (wanted !== 'ks' && wanted !== 'wasserstein') {
			const r = categoricalTest(bins.reference, bins.current, referenceRows, thresholds, forced);
			({ test, statistic, pValue, drifted, pSource } = r);
		} else if (wanted === 'ks') {
			const ks = ksTest(a, b, true);
			test = 'ks';
			statistic = ks.statistic;
			pValue = ks.pValue;
			drifted = ks.pValue < thresholds.pValue;
		} else {
			// Evidently's normed Wasserstein divides by numpy's std (ddof = 0).
			const std = Math.max(stdOf(a, 0), STD_FLOOR);
			test = 'wasserstein';
			statistic = wassersteinSorted(a, b) / std;
			drifted = statistic >= thresholds.distance;
			if (sized(thresholds) && drifted) {
				// On a small batch the distance passes 0.1 by chance alone; KS says whether the
				// batch differs beyond its sampling noise, whatever the sizes (asked only of a
				// distance past its threshold: below it the feature has not drifted either way).
				pValue = ksTest(a, b, true).pValue;
				pSource = 'ks';
				drifted = pValue < thresholds.pValue;
			}
		}
		return {
			...base,
			test,
			statistic,
			pValue,
			psi: psiValue,
			psiBand: band(psiValue),
			drifted,
			...(pSource ? { pSource } : {}),
			score: scoreOf(test, statistic, pValue),
			outOfRange: b.length ? outside / b.length : 0,
			bins
		};
	}
	// Categorical (or a type change, compared as text).
	const refCounts = textCounts(ref);
	const curCounts = textCounts(cur);
	// The reference's categories, and every category it never saw pooled in one bin: the bins
	// are the reference's whatever the batch holds (the same for every batch, and countable by a
	// warehouse without knowing the batch's values first).
	const known = Array.from(refCounts.counts.keys());
	const unseen = Array.from(curCounts.counts.keys()).filter((l) => !refCounts.counts.has(l));
	const unseenRows = unseen.reduce((total, l) => total + curCounts.counts.get(l)!, 0);
	const spec: BinSpec = { kind: 'categories', categories: known };
	const bins = nonEmptyBins(
		binLabels(spec, unseen.length),
		[...known.map((l) => refCounts.counts.get(l)!), 0],
		[...known.map((l) => curCounts.counts.get(l) ?? 0), unseenRows]
	);
	const base = {
		name,
		referenceMissing: refN ? refCounts.missing / refN : 0,
		currentMissing: curN ? curCounts.missing / curN : 0,
		unseen,
		unseenShare: curN ? unseenRows / curN : 0,
		medians: null
	};
	return countedCategories(name, base, bins, thresholds, referenceRows);
}

/**
 * A categorical feature judged on its counts per reference category (the raw rows' and a
 * warehouse summary's alike).
 */
export function countedCategories(
	name: string,
	base: FeatureBase,
	bins: FeatureDrift['bins'],
	thresholds: DriftThresholds,
	referenceRows: number
): FeatureDrift {
	const refTotal = sum(bins.reference);
	const curTotal = sum(bins.current);
	if (refTotal === 0 || curTotal === 0) return emptySide(base, refTotal === 0);
	const psiValue = psi(bins.reference, bins.current);
	const forced = chosenTest(thresholds, name);
	const r = categoricalTest(
		bins.reference,
		bins.current,
		referenceRows,
		thresholds,
		forced === 'ks' || forced === 'wasserstein' ? undefined : forced
	);
	return {
		...base,
		...r,
		psi: psiValue,
		psiBand: band(psiValue),
		score: scoreOf(r.test, r.statistic, r.pValue),
		outOfRange: null,
		bins
	};
}

/**
 * A numeric feature's test: the user's, else chi-square on a few distinct reference values, KS on
 * a small reference, the normed Wasserstein distance on a large one (Evidently's rule).
 */
export function numericTest(
	forced: DriftTest | undefined,
	unique: number,
	referenceRows: number
): DriftTest {
	return (
		forced ??
		(unique <= FEW_VALUES
			? 'chi_square'
			: referenceRows <= SMALL_REFERENCE_ROWS
				? 'ks'
				: 'wasserstein')
	);
}

/** What every feature's report holds besides its test: missing shares, unseen values, medians. */
export type FeatureBase = Omit<
	FeatureDrift,
	'test' | 'statistic' | 'pValue' | 'psi' | 'psiBand' | 'drifted' | 'score' | 'outOfRange' | 'bins'
>;

/** The user's test for a feature, if one was chosen. */
export function chosenTest(thresholds: DriftThresholds, name: string): DriftTest | undefined {
	return thresholds.tests?.find((t) => t.feature === name)?.test;
}

/** The rule that sizes each test to the batch (the default), or Evidently's fixed thresholds. */
export function sized(thresholds: DriftThresholds): boolean {
	return (thresholds.rule ?? 'sized') === 'sized';
}

/** 0 = no drift … larger = more: 1 − p for the tests, the distance for the distances. */
export function scoreOf(test: DriftTest, statistic: number, pValue: number | null): number {
	return test === 'wasserstein' || test === 'jensen_shannon' || pValue === null
		? statistic
		: 1 - pValue;
}

export function categoricalTest(
	reference: number[],
	current: number[],
	referenceRows: number,
	thresholds: DriftThresholds,
	forced?: DriftTest
): {
	test: DriftTest;
	statistic: number;
	pValue: number | null;
	drifted: boolean;
	pSource?: FeatureDrift['pSource'];
} {
	if (forced === 'jensen_shannon' || (!forced && referenceRows > SMALL_REFERENCE_ROWS)) {
		const statistic = jensenShannon(reference, current);
		if (!sized(thresholds) || statistic < thresholds.distance)
			return {
				test: 'jensen_shannon',
				statistic,
				pValue: null,
				drifted: statistic >= thresholds.distance
			};
		// With 100+ levels and a few hundred rows the distance is large by chance alone: past its
		// threshold, drifted only when the counts also differ beyond sampling noise (chi-square,
		// or permutations where the cells are too sparse for it).
		const evidence = categoricalPValue(reference, current);
		return {
			test: 'jensen_shannon',
			statistic,
			pValue: evidence.pValue,
			pSource: evidence.method,
			drifted: evidence.pValue < thresholds.pValue
		};
	}
	const present = reference.map((r, i) => r + current[i]!).filter((t) => t > 0).length;
	if (present <= 2 && forced !== 'chi_square') {
		const i = reference.findIndex((r, k) => r + current[k]! > 0);
		const z = zTestProportions(reference[i]!, sum(reference), current[i]!, sum(current));
		return {
			test: 'z_test' as DriftTest,
			statistic: z.statistic,
			pValue: z.pValue,
			drifted: z.pValue < thresholds.pValue
		};
	}
	if (sized(thresholds)) {
		const chi = categoricalPValue(reference, current);
		return {
			test: 'chi_square',
			statistic: chi.statistic,
			pValue: chi.pValue,
			pSource: chi.method,
			drifted: chi.pValue < thresholds.pValue
		};
	}
	const chi = chiSquareContingency([reference, current]);
	return {
		test: 'chi_square',
		statistic: chi.statistic,
		pValue: chi.pValue,
		drifted: chi.pValue < thresholds.pValue
	};
}

/** A side with no values at all cannot be tested: drifted when the batch lost every value. */
export function emptySide(base: FeatureBase, referenceEmpty: boolean): FeatureDrift {
	return {
		...base,
		test: 'ks',
		statistic: referenceEmpty ? 0 : 1,
		pValue: null,
		psi: 0,
		psiBand: 'stable',
		drifted: !referenceEmpty,
		score: referenceEmpty ? 0 : 1,
		outOfRange: null,
		bins: { labels: [], reference: [], current: [] }
	};
}

export function textCounts(column: Column): { counts: Map<string, number>; missing: number } {
	const counts = new Map<string, number>();
	let missing = 0;
	if (column.storage === 'coded') {
		const byCode = new Float64Array(column.categories.length);
		for (const code of column.codes) {
			if (code < 0) missing++;
			else byCode[code]!++;
		}
		column.categories.forEach(
			(c, i) => byCode[i]! > 0 && counts.set(c, (counts.get(c) ?? 0) + byCode[i]!)
		);
	} else {
		const format = column.type === 'datetime' ? formatDateTime : String;
		for (const v of column.values) {
			if (Number.isNaN(v)) missing++;
			else counts.set(format(v), (counts.get(format(v)) ?? 0) + 1);
		}
	}
	return { counts, missing };
}

/** The finite values, copied (two plain loops: TypedArray#filter is many times slower). */
export function presentValues(values: Float64Array): Float64Array {
	let count = 0;
	for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) count++;
	const out = new Float64Array(count);
	let k = 0;
	for (let i = 0; i < values.length; i++) {
		const v = values[i]!;
		if (Number.isFinite(v)) out[k++] = v;
	}
	return out;
}

function sum(values: number[]): number {
	return values.reduce((a, b) => a + b, 0);
}

export function band(value: number): FeatureDrift['psiBand'] {
	return value < 0.1 ? 'stable' : value <= 0.25 ? 'moderate' : 'significant';
}
