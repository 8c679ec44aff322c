// The data worker: parsing, inference, profiling and hashing, off the main thread.
import { expose, transfer } from 'comlink';
import { forwardErrorCodes } from './errors';
import { startHeartbeat } from './heartbeat';
import { savedModelBuffers } from '../core/model/family';
import { dataApi, resultBuffers, type DataApi } from './data-api';

forwardErrorCodes();
startHeartbeat((message) => self.postMessage(message));

const api: DataApi = {
	// Every argument is forwarded as it came (a restated parameter list once dropped one).
	sniff: (...args) => dataApi.sniff(...args),
	importFile: async (...args) => {
		const result = await dataApi.importFile(...args);
		return transfer(result, resultBuffers(result));
	},
	retype: async (...args) => {
		const result = await dataApi.retype(...args);
		return transfer(result, resultBuffers(result));
	},
	retrainingData: async (...args) => {
		const result = await dataApi.retrainingData(...args);
		return transfer(result, resultBuffers(result));
	},
	exportOnnx: async (...args) => {
		const bytes = await dataApi.exportOnnx(...args);
		return transfer(bytes, [bytes.buffer as ArrayBuffer]);
	},
	packBundle: async (...args) => {
		const bytes = await dataApi.packBundle(...args);
		return transfer(bytes, [bytes.buffer as ArrayBuffer]);
	},
	openBundle: async (...args) => {
		const bundle = await dataApi.openBundle(...args);
		return transfer(bundle, savedModelBuffers(bundle.model));
	},
	withoutRows: async (...args) => {
		const result = await dataApi.withoutRows(...args);
		return transfer(result, resultBuffers(result));
	},
	analyze: async (...args) => {
		const result = await dataApi.analyze(...args);
		return transfer(result, resultBuffers(result));
	}
};

expose(api);
