/* A pushdown query's result as the reader holds it (its own module: the score and the report both read it). */

/** One row of a pushdown query's result: a feature's bin, its rows and their moments. */
export interface SummaryCell {
	n: number;
	min: number | null;
	max: number | null;
	sum: number | null;
	sumSquares: number | null;
	unseenValues: number;
}

/** A batch as a warehouse summarised it: per monitored feature, its cells by bin key. */
export interface BatchSummary {
	rows: number;
	features: Map<string, Map<string, SummaryCell>>;
}
