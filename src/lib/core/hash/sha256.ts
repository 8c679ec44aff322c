/** SHA-256 of `bytes` as lowercase hex (Web Crypto: browsers, workers and Node ≥ 20). */
export async function sha256Hex(bytes: Uint8Array | ArrayBuffer): Promise<string> {
	const digest = await crypto.subtle.digest('SHA-256', bytes as BufferSource);
	return toHex(new Uint8Array(digest));
}

/** Lower-case hex of bytes. */
export function toHex(bytes: Uint8Array): string {
	let hex = '';
	for (const b of bytes) hex += b.toString(16).padStart(2, '0');
	return hex;
}
