import { errorMessage } from '../core/errors';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgpu';
import type { BackendName } from '../core/platform/backend';

/** Where the studio serves tfjs' .wasm files (copied from node_modules at build, precached). */
export const WASM_PATH = '/tfjs-wasm/';

export interface ActiveBackend {
	name: BackendName;
	adapter: string | null;
}

/**
 * Activates the first backend of `order` that starts, and says which and on what adapter. Threads
 * stay off: they gave no speed-up on 2 cores, need cross-origin isolation, and Vite's minifier
 * breaks the threaded build (`setBackend` hangs).
 */
export async function activateBackend(order: BackendName[]): Promise<ActiveBackend> {
	tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
	setWasmPaths(WASM_PATH);
	const failures: string[] = [];
	for (const name of order) {
		try {
			if (await tf.setBackend(name)) {
				await tf.ready();
				return { name, adapter: name === 'webgpu' ? await adapterName() : null };
			}
			failures.push(`${name}: not available`);
		} catch (error) {
			failures.push(`${name}: ${errorMessage(error)}`);
		}
	}
	throw new Error(`No compute backend could start (${failures.join('; ')}).`);
}

async function adapterName(): Promise<string | null> {
	const gpu = (
		navigator as unknown as {
			gpu?: { requestAdapter(): Promise<{ info?: Record<string, unknown> } | null> };
		}
	).gpu;
	const adapter = await gpu?.requestAdapter();
	const info = adapter?.info;
	if (!info) return null;
	return [
		info.vendor,
		info.architecture,
		info.description,
		info.isFallbackAdapter ? '(software)' : ''
	]
		.filter((v) => typeof v === 'string' && v)
		.join(' ');
}

/** What a lost GPU looks like to the backends (WebGPU's device, WebGL's canvas). */
interface GpuBackendShape {
	device?: { lost?: Promise<{ reason?: string; message?: string }> };
	gpgpu?: { gl?: { canvas?: { addEventListener?(type: string, listener: () => void): void } } };
}

/**
 * Watches the active backend's GPU: a lost WebGPU device or WebGL context ends the run with a
 * clear message instead of a hang or garbage. `reason()` is null while the device is fine.
 */
export function watchDeviceLoss(
	name: BackendName,
	backend: GpuBackendShape = tf.backend() as unknown as GpuBackendShape
): { reason(): string | null } {
	let lost: string | null = null;
	if (name === 'webgpu') {
		void backend.device?.lost?.then((info) => {
			lost = info.message || info.reason || 'the device was lost';
		});
	} else if (name === 'webgl') {
		backend.gpgpu?.gl?.canvas?.addEventListener?.('webglcontextlost', () => {
			lost = 'the WebGL context was lost';
		});
	}
	return { reason: () => lost };
}
