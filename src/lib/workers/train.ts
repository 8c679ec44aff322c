// The train worker: owns the tfjs backend for one run. Thin: the work is in core/model.
import { forwardErrorCodes } from './errors';
import { expose, transfer } from 'comlink';
import { trainApi, type TrainApi } from './train-api';

const api: TrainApi = {
	...trainApi,
	async train(table, config, order, onProgress, onBackend) {
		const result = await trainApi.train(table, config, order, onProgress, onBackend);
		return transfer(result, [result.artifacts.weightData]);
	}
};

forwardErrorCodes();
expose(api);
