// The data worker: parsing, inference, profiling and hashing, off the main thread.
import { expose, transfer } from 'comlink';
import { forwardErrorCodes } from './errors';
import { dataApi, resultBuffers, type DataApi } from './data-api';

forwardErrorCodes();

const api: DataApi = {
	sniff: (file) => dataApi.sniff(file),
	importFile: async (file, dialect, target, onProgress) => {
		const result = await dataApi.importFile(file, dialect, target, onProgress);
		return transfer(result, resultBuffers(result));
	},
	retype: async (table, changes, target) => {
		const result = await dataApi.retype(table, changes, target);
		return transfer(result, resultBuffers(result));
	},
	retrainingData: async (columns, required, base, batches, target) => {
		const result = await dataApi.retrainingData(columns, required, base, batches, target);
		return transfer(result, resultBuffers(result));
	},
	analyze: async (table, target) => {
		const result = await dataApi.analyze(table, target);
		return transfer(result, resultBuffers(result));
	}
};

expose(api);
