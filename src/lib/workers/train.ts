// The train worker: owns the tfjs backend for one run. Thin: the work is in core/model.
import { forwardErrorCodes } from './errors';
import { startHeartbeat } from './heartbeat';
import { expose, transfer } from 'comlink';
import { savedModelBuffers } from '../core/model/family';
import { trainApi, type TrainApi } from './train-api';

const api: TrainApi = {
	...trainApi,
	async train(...args) {
		const result = await trainApi.train(...args);
		return transfer(result, savedModelBuffers(result.artifacts.model));
	}
};

forwardErrorCodes();
startHeartbeat((message) => self.postMessage(message));
expose(api);
