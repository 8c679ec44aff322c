/** How missing numbers are filled: with a statistic of the training rows, or a constant. */
export type NumericImpute = 'mean' | 'median' | 'constant';
/** How a numeric column is scaled. */
export type Scale = 'standard' | 'minmax' | 'robust' | 'none';
/** How a missing category is filled. */
export type CategoricalImpute = 'most_frequent' | 'constant';
/** How categories become numbers. */
export type Encode = 'onehot' | 'ordinal';
/** The calendar parts a date/time column can give the model. */
export type DatePart = 'year' | 'month' | 'weekday' | 'dayofyear' | 'hour';

/** The options of a numeric step, as the user sets them. */
export interface NumericOptions {
	impute: NumericImpute;
	/** The fill value when `impute` is 'constant'. */
	constant: number;
	/** Adds a 0/1 feature "<name> is missing". */
	indicator: boolean;
	/** Clips to these training quantiles before scaling (outliers); null = no clipping. */
	clip: { lower: number; upper: number } | null;
	scale: Scale;
}

/** The options of a categorical step, as the user sets them. */
export interface CategoricalOptions {
	impute: CategoricalImpute;
	/** The fill category when `impute` is 'constant'. */
	constant: string;
	encode: Encode;
	/** One-hot keeps at most this many most frequent categories; the rest become "other". */
	maxCategories: number;
}

/** One step per input column; the kind decides which options apply. */
export type ColumnStep =
	| { column: string; kind: 'numeric'; numeric: NumericOptions }
	| { column: string; kind: 'categorical'; categorical: CategoricalOptions }
	| { column: string; kind: 'datetime'; parts: DatePart[]; numeric: NumericOptions }
	| { column: string; kind: 'drop'; reason: string };

/** The recipe as the user edits it: plain JSON. */
export interface RecipeSpec {
	target: string;
	steps: ColumnStep[];
}

/** What `fit` learned from the training rows for one numeric feature: plain JSON. */
export interface FittedNumeric {
	fill: number;
	indicator: boolean;
	clipLower: number | null;
	clipUpper: number | null;
	/** x → (x − center) / scale, after fill and clip. */
	center: number;
	scale: number;
	/**
	 * A missing value reaches the model as missing (NaN) instead of the fill: set for models that
	 * read missing values themselves (the trees learn at each split which side they go to, which
	 * a fill hides). Absent in recipes before it existed, and for every other model.
	 */
	keepMissing?: true;
}

/** One column's step with the statistics fitted on the training rows. */
export type FittedStep =
	| { column: string; kind: 'numeric'; numeric: FittedNumeric }
	| {
			column: string;
			kind: 'categorical';
			/** Categories kept, in output order. Anything else maps to "other". */
			categories: string[];
			fill: string | null;
			encode: Encode;
			other: boolean;
			/**
			 * A missing category reaches the model as missing instead of the fill: a one-hot block
			 * with no 1, an ordinal NaN. Set for the trees (a missing category gets its own bin,
			 * and each split learns which side it goes to, as scikit-learn's HistGradientBoosting
			 * does); absent for every other model and in recipes before it existed.
			 */
			keepMissing?: true;
	  }
	| { column: string; kind: 'datetime'; parts: { part: DatePart; numeric: FittedNumeric }[] };

/**
 * A one-hot block of the transformed matrix: `width` columns from `start`, one 1 per row (none for
 * a missing category when the recipe keeps it missing).
 */
export interface OneHotGroup {
	start: number;
	width: number;
}

/** A fitted recipe: everything `transform` needs, and nothing else. Plain JSON. */
export interface FittedRecipe {
	version: 1;
	target: string;
	steps: FittedStep[];
	/** Output feature names, in column order of the transformed matrix. */
	features: string[];
}
