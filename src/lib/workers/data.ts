// The data worker: parsing, inference, profiling and hashing, off the main thread.
import { expose, transfer } from 'comlink';
import { InputError } from '../core/table/types';
import { dataApi, resultBuffers, type DataApi } from './data-api';

/**
 * comlink sends an error's name and message only: the InputError's code travels in the name
 * (`InputError:encoding`) so the page can offer the right way out.
 */
async function withCode<T>(work: () => Promise<T>): Promise<T> {
	try {
		return await work();
	} catch (error) {
		if (error instanceof InputError) {
			const forwarded = new Error(error.message);
			forwarded.name = `InputError:${error.code}`;
			throw forwarded;
		}
		throw error;
	}
}

const api: DataApi = {
	sniff: (file) => withCode(() => dataApi.sniff(file)),
	importFile: (file, dialect, target, onProgress) =>
		withCode(async () => {
			const result = await dataApi.importFile(file, dialect, target, onProgress);
			return transfer(result, resultBuffers(result));
		}),
	retype: (table, changes, target) =>
		withCode(async () => {
			const result = await dataApi.retype(table, changes, target);
			return transfer(result, resultBuffers(result));
		}),
	retrainingData: (columns, required, base, batches, target) =>
		withCode(async () => {
			const result = await dataApi.retrainingData(columns, required, base, batches, target);
			return transfer(result, resultBuffers(result));
		}),
	analyze: (table, target) =>
		withCode(async () => {
			const result = await dataApi.analyze(table, target);
			return transfer(result, resultBuffers(result));
		})
};

expose(api);
