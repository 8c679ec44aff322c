// The predict worker: one loaded model, rows or whole files predicted off the main thread.
import { forwardErrorCodes } from './errors';
import { startHeartbeat } from './heartbeat';
import { expose } from 'comlink';
import { predictApi } from './predict-api';

forwardErrorCodes();
startHeartbeat((message) => self.postMessage(message));
expose(predictApi);
