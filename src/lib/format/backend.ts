import { LOOPS_MAX_UNITS } from '../core/model/neural/engine';

/** What a compute backend means, in the words of someone who does not know its name. */
export function backendInWords(backend: string): string {
	return `${SMALL_NETWORKS} ${widerInWords(backend)}`;
}

/** Where every network of the automatic choice trains, whatever the backend. */
const SMALL_NETWORKS = `Networks of up to ${LOOPS_MAX_UNITS} units per layer — every one the automatic choice trains — train in plain JavaScript loops on your processor, faster than any backend at that size.`;

function widerInWords(backend: string): string {
	switch (backend) {
		case 'webgpu':
			return 'Wider ones train on your graphics card (WebGPU), the fastest this device offers.';
		case 'wasm':
			return 'Wider ones train on your processor with WebAssembly — fast and exact; no graphics card that would be faster was found.';
		case 'cpu':
			return 'Wider ones train through TensorFlow.js in plain JavaScript: the slowest way, used when nothing faster works here.';
		default:
			return `Wider ones train with the ${backend} backend.`;
	}
}
