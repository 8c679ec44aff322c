// A fold worker, started by the train worker (fold-pool.ts): it keeps a run's shared data and
// fits the folds it is sent, each as the train worker would. Trees and networks in plain loops
// only: it starts no tfjs backend.
import { foldAnswerer, type ToLane } from '../core/model/fold-lanes';

const answer = foldAnswerer((message, transfer) => self.postMessage(message, { transfer }));
self.onmessage = (event: MessageEvent<ToLane | { kind: 'ping' }>) => {
	if (event.data.kind === 'ping') self.postMessage({ kind: 'ready' });
	else void answer(event.data);
};
