// The data worker: parsing, inference, profiling and hashing, off the main thread.
import { expose, transfer } from 'comlink';
import { dataApi, resultBuffers, type DataApi } from './data-api';

const api: DataApi = {
	sniff: dataApi.sniff,
	async importFile(file, dialect, target, onProgress) {
		const result = await dataApi.importFile(file, dialect, target, onProgress);
		return transfer(result, resultBuffers(result));
	},
	async retype(table, changes, target) {
		const result = await dataApi.retype(table, changes, target);
		return transfer(result, resultBuffers(result));
	},
	async analyze(table, target) {
		const result = await dataApi.analyze(table, target);
		return transfer(result, resultBuffers(result));
	}
};

expose(api);
