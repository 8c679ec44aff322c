// The predict worker: one loaded model, rows or whole files predicted off the main thread.
import { expose } from 'comlink';
import { predictApi } from './predict-api';

expose(predictApi);
