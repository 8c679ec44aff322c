// Starts a worker thread from TypeScript source (the CLI's fold pool when the CLI itself runs
// from its source): registers tsx in this thread, then imports the worker's module.
import { workerData } from 'node:worker_threads';

const { register } = await import('tsx/esm/api');
register();
await import(workerData.entry);
