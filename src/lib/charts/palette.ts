/**
 * The colours every chart draws with, so that a series means the same everywhere: the accent for
 * the model and the training data, warm for validation and the batch, red for drift and alerts.
 */
export const PALETTE = {
	accent: '#1f6f6b',
	warm: '#d9822b',
	alert: '#b3261e',
	muted: '#9aa7a9',
	grey: '#6b6b6b',
	ink: '#1d2326',
	paper: '#f6f5f1'
} as const;
