import { transfer } from 'comlink';
import { tableBuffers } from '../core/table/access';
import type { Table } from '../core/table/types';
import type { DataApi } from './data-api';
import { wrapWorker, type WorkerClient } from './worker-client';

export type DataWorker = WorkerClient<DataApi>;

/** A data worker for one import (parse, infer, profile, hash). */
export function createDataWorker(): DataWorker {
	return wrapWorker<DataApi>(
		new Worker(new URL('./data.ts', import.meta.url), { type: 'module' }),
		(detail) =>
			`The data worker stopped (${detail}). The file may be too large for this device's memory; try a smaller file or close other tabs.`
	);
}

/** Hands a table's buffers to the worker without copying them (the page's views go empty). */
export function sendTable(table: Table): Table {
	return transfer(table, tableBuffers(table));
}
