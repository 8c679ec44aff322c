import type { ColumnType } from '../table/types';

/** A numeric column's distribution: equal-width bins, or one bar per value when there are few. */
export type Histogram =
	| { kind: 'bins'; edges: number[]; counts: number[] }
	| { kind: 'values'; values: number[]; counts: number[] };

/** How strongly a feature goes with the target, on a 0–1 scale. */
export interface Association {
	/** |Pearson r| (numeric ~ numeric), correlation ratio η (numeric ~ categorical), Cramér's V. */
	measure: 'pearson' | 'eta' | 'cramers_v';
	value: number;
}

/** The statistics of one column: counts, moments, quartiles, histogram, top categories. */
export interface ColumnProfile {
	name: string;
	type: ColumnType;
	/** Non-missing values. */
	count: number;
	missing: number;
	/** Distinct non-missing values. */
	unique: number;
	mean: number | null;
	/** Sample standard deviation (ddof = 1), like pandas. */
	std: number | null;
	min: number | null;
	p25: number | null;
	p50: number | null;
	p75: number | null;
	max: number | null;
	/** Most frequent values, most frequent first (coded columns). */
	top: { value: string; count: number }[];
	histogram: Histogram | null;
	association: Association | null;
	/** Date/time columns: their calendar shape (absent in profiles stored before it existed). */
	calendar?: DateCalendar | null;
}

/** How a date/time column's instants fall on the calendar (see `calendarOf`). */
export interface DateCalendar {
	/** The median gap between consecutive distinct instants, in days (1 = daily data). */
	stepDays: number;
	/** From the first to the last instant, in days. */
	spanDays: number;
	/** Distinct months (1–12), weekdays (1–7) and hours of the day (1–24) seen. */
	months: number;
	weekdays: number;
	hours: number;
}

/** The quality problems a profile flags. */
export type WarningKind =
	| 'constant'
	| 'all-missing'
	| 'mostly-missing'
	| 'duplicates'
	| 'high-cardinality'
	| 'id-like'
	| 'imbalance'
	| 'leakage';

/** One quality problem, on one column, in words. */
export interface QualityWarning {
	kind: WarningKind;
	column: string | null;
	message: string;
}

/** Pairwise correlations of the numeric columns. */
export interface CorrelationMatrix {
	names: string[];
	/** Pearson r on pairwise-complete rows; null where fewer than 3 rows pair up or a side is constant. */
	values: (number | null)[][];
}

/** A table's profile: every column, correlations, duplicate rows and quality warnings. */
export interface TableProfile {
	rowCount: number;
	target: string | null;
	columns: ColumnProfile[];
	correlation: CorrelationMatrix;
	duplicateRows: number;
	warnings: QualityWarning[];
}
