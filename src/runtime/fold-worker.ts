// A worker thread of the CLI's fold pool (fold-pool.ts): it keeps the experiment's shared data
// (table, config, target) and runs the fold fits it is sent, each as the main thread would.
import { parentPort } from 'node:worker_threads';
import { foldAnswerer, type ToLane } from '../lib/core/model/fold-lanes';

const port = parentPort;
if (!port) throw new Error('fold-worker.ts runs as a worker thread of the fold pool.');
const answer = foldAnswerer((message, transfer) => port.postMessage(message, transfer));
port.on('message', (message: ToLane) => void answer(message));
