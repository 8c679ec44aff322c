/** Saves bytes or text as a file through the browser's download. */
export function download(data: Uint8Array | string, fileName: string, type: string): void {
	const blob = new Blob([typeof data === 'string' ? data : (data.slice().buffer as ArrayBuffer)], {
		type
	});
	const url = URL.createObjectURL(blob);
	const link = document.createElement('a');
	link.href = url;
	link.download = fileName;
	link.rel = 'noopener';
	link.click();
	setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
