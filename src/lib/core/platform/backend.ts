/** The compute backends Driftwood trains on, fastest first when the hardware is real. */
export type BackendName = 'webgpu' | 'wasm' | 'webgl' | 'cpu';

/** What the page could find out about the device, without loading TensorFlow.js. */
export interface DeviceCapabilities {
	webgpu: { available: boolean; fallbackAdapter: boolean; description: string } | null;
	wasm: { available: boolean; simd: boolean };
	webgl2: { available: boolean; renderer: string } | null;
}

/** A compute backend and why it was chosen. */
export interface BackendChoice {
	backend: BackendName;
	/** Every usable backend, in the order training tries them. */
	order: BackendName[];
	reason: string;
}

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|lavapipe|software|basic render/i;

/**
 * Orders the backends for this device: a hardware WebGPU adapter first, then WASM (SIMD), WebGL,
 * CPU. A software WebGPU adapter (`isFallbackAdapter`, SwiftShader) never goes ahead of WASM: it
 * was measured 26–65× slower than WASM on this project's machines (a 512² matMul: ~10 ms on
 * WASM, 420–670 ms on software WebGPU).
 */
export function chooseBackend(device: DeviceCapabilities): BackendChoice {
	const gpu = device.webgpu;
	const hardwareGpu =
		gpu?.available === true && !gpu.fallbackAdapter && !SOFTWARE_RENDERER.test(gpu.description);
	const softwareGpu = gpu?.available === true && !hardwareGpu;
	const webgl = device.webgl2?.available === true;
	const softwareGl = webgl && SOFTWARE_RENDERER.test(device.webgl2?.renderer ?? '');
	const order: BackendName[] = [];
	if (hardwareGpu) order.push('webgpu');
	if (device.wasm.available) order.push('wasm');
	if (webgl && !softwareGl) order.push('webgl');
	if (softwareGpu) order.push('webgpu');
	if (softwareGl) order.push('webgl');
	order.push('cpu');
	const backend = order[0]!;
	let reason: string;
	if (backend === 'webgpu') reason = `hardware GPU adapter (${gpu?.description || 'WebGPU'})`;
	else if (backend === 'wasm') {
		reason = `WebAssembly${device.wasm.simd ? ' with SIMD' : ''}`;
		if (softwareGpu)
			reason += '; the WebGPU adapter is a software one (slower than WASM), kept as a fallback';
	} else if (backend === 'webgl') reason = `WebGL 2 (${device.webgl2?.renderer || 'GPU'})`;
	else reason = 'plain JavaScript: no WebAssembly, WebGPU or WebGL here';
	return { backend, order, reason };
}
