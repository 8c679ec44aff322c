import { releaseProxy, transfer, wrap, type Remote } from 'comlink';
import { tableBuffers } from '../core/table/access';
import type { Table } from '../core/table/types';
import type { DataApi } from './data-api';

/**
 * A data worker for one piece of work. `call` rejects (never hangs) when the worker dies or is
 * disposed; `dispose` is also how Cancel stops an import at once.
 */
export interface DataWorker {
	api: Remote<DataApi>;
	call<T>(work: Promise<T>): Promise<T>;
	dispose(reason?: Error): void;
}

export function createDataWorker(): DataWorker {
	const worker = new Worker(new URL('./data.ts', import.meta.url), { type: 'module' });
	const api = wrap<DataApi>(worker);
	let fail: (error: Error) => void = () => {};
	const died = new Promise<never>((_, reject) => (fail = reject));
	died.catch(() => {});
	let disposed = false;
	worker.addEventListener('error', (event) => {
		fail(
			new Error(
				`The data worker stopped (${event.message || 'it crashed'}). The file may be too large for this device's memory; try a smaller file or close other tabs.`
			)
		);
	});
	return {
		api,
		call: (work) => Promise.race([work, died]),
		dispose(reason) {
			if (disposed) return;
			disposed = true;
			fail(reason ?? new Error('The worker was stopped.'));
			api[releaseProxy]();
			worker.terminate();
		}
	};
}

/** Hands a table's buffers to the worker without copying them (the page's views go empty). */
export function sendTable(table: Table): Table {
	return transfer(table, tableBuffers(table));
}
