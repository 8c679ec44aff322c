import type { DeviceCapabilities } from '../core/platform/backend';

/** A module whose one function returns a v128 constant: it validates only where SIMD exists. */
const SIMD_PROBE = new Uint8Array([
	0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11
]);

interface GpuAdapterLike {
	info?: {
		isFallbackAdapter?: boolean;
		vendor?: string;
		architecture?: string;
		description?: string;
	};
	isFallbackAdapter?: boolean;
}
interface GpuLike {
	requestAdapter(): Promise<GpuAdapterLike | null>;
}

/** Finds out what this device offers for training, without loading TensorFlow.js. */
export async function probeDevice(): Promise<DeviceCapabilities> {
	return {
		webgpu: await probeWebGpu(),
		wasm: {
			available: typeof WebAssembly === 'object',
			simd: typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE)
		},
		webgl2: probeWebGl2()
	};
}

async function probeWebGpu(): Promise<DeviceCapabilities['webgpu']> {
	const gpu = (navigator as unknown as { gpu?: GpuLike }).gpu;
	if (!gpu) return null;
	try {
		const adapter = await gpu.requestAdapter();
		if (!adapter) return { available: false, fallbackAdapter: false, description: '' };
		const info = adapter.info ?? {};
		const description = [info.vendor, info.architecture, info.description]
			.filter(Boolean)
			.join(' ');
		return {
			available: true,
			fallbackAdapter: Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter),
			description
		};
	} catch {
		return { available: false, fallbackAdapter: false, description: '' };
	}
}

function probeWebGl2(): DeviceCapabilities['webgl2'] {
	try {
		const canvas = document.createElement('canvas');
		const gl = canvas.getContext('webgl2');
		if (!gl) return null;
		const debug = gl.getExtension('WEBGL_debug_renderer_info');
		const renderer = String(
			gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? ''
		);
		gl.getExtension('WEBGL_lose_context')?.loseContext();
		return { available: true, renderer };
	} catch {
		return null;
	}
}
