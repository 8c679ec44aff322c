import type { ColumnProfile, QualityWarning } from './types';

/** A categorical with more levels than this is hard to encode and to read. */
export const HIGH_CARDINALITY_LEVELS = 50;
/** A feature this associated with the target is probably derived from it. */
export const LEAKAGE_ASSOCIATION = 0.95;
/** The smallest class below this share of the largest. */
export const IMBALANCE_RATIO = 0.1;
/** A column missing in more than this share of rows is flagged. */
export const MOSTLY_MISSING_SHARE = 0.5;

/** The quality warnings of a profiled table, most serious first. */
export function findWarnings(
	columns: ColumnProfile[],
	rowCount: number,
	duplicateRows: number,
	target: string | null
): QualityWarning[] {
	const warnings: QualityWarning[] = [];
	for (const c of columns) {
		const isTarget = c.name === target;
		if (c.count === 0) {
			warnings.push({
				kind: 'all-missing',
				column: c.name,
				message: `"${c.name}" has no values at all: every row is missing.`
			});
			continue;
		}
		if (c.unique === 1) {
			warnings.push({
				kind: 'constant',
				column: c.name,
				message: `"${c.name}" has a single value (${describeConstant(c)}): it carries no information.`
			});
		}
		if (c.missing / rowCount > MOSTLY_MISSING_SHARE) {
			warnings.push({
				kind: 'mostly-missing',
				column: c.name,
				message: `"${c.name}" is missing in ${percent(c.missing / rowCount)} of rows.`
			});
		}
		if (c.type === 'id') {
			warnings.push({
				kind: 'id-like',
				column: c.name,
				message: `"${c.name}" looks like an identifier (every value unique): it will not be used as a feature.`
			});
		} else if (c.type === 'categorical' && c.unique > HIGH_CARDINALITY_LEVELS) {
			warnings.push({
				kind: 'high-cardinality',
				column: c.name,
				message: `"${c.name}" has ${c.unique} categories: rare ones will be grouped as "other" when encoded.`
			});
		}
		if (!isTarget && c.association && c.association.value >= LEAKAGE_ASSOCIATION) {
			warnings.push({
				kind: 'leakage',
				column: c.name,
				message: `"${c.name}" predicts the target "${target}" almost perfectly (${c.association.measure === 'cramers_v' ? "Cramér's V" : c.association.measure === 'eta' ? 'η' : '|r|'} = ${c.association.value.toFixed(3)}): is it known before the target, or derived from it?`
			});
		}
		if (isTarget && (c.type === 'categorical' || c.type === 'boolean') && c.top.length >= 2) {
			const largest = c.top[0]!.count;
			const smallest = c.top[c.top.length - 1]!.count;
			if (c.top.length === c.unique && smallest / largest < IMBALANCE_RATIO) {
				warnings.push({
					kind: 'imbalance',
					column: c.name,
					message: `The target's classes are imbalanced: "${c.top[c.top.length - 1]!.value}" has ${smallest} rows, "${c.top[0]!.value}" has ${largest}. Accuracy alone will mislead; look at balanced accuracy and per-class recall.`
				});
			}
		}
	}
	if (duplicateRows > 0) {
		warnings.push({
			kind: 'duplicates',
			column: null,
			message: `${duplicateRows} row${duplicateRows === 1 ? ' repeats' : 's repeat'} an earlier row exactly (${percent(duplicateRows / rowCount)}): duplicates can leak between training and test splits.`
		});
	}
	return warnings;
}

function describeConstant(c: ColumnProfile): string {
	if (c.top[0]) return `"${c.top[0].value}"`;
	return String(c.min);
}

function percent(share: number): string {
	return `${(share * 100).toFixed(share < 0.01 ? 2 : 1)} %`;
}
