/** What a compute backend means, in the words of someone who does not know its name. */
export function backendInWords(backend: string): string {
	switch (backend) {
		case 'webgpu':
			return 'Neural models train on your graphics card (WebGPU), the fastest this device offers.';
		case 'wasm':
			return 'Neural models train on your processor with WebAssembly — fast and exact; no graphics card that would be faster was found.';
		case 'cpu':
			return 'Neural models train in plain JavaScript on your processor: the slowest way, used when nothing faster works here.';
		default:
			return `Neural models train with the ${backend} backend.`;
	}
}
