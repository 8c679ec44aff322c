/**
 * A model name as the `[name]` parameter of `/models/[name]`: `resolve` puts a parameter in
 * verbatim (sveltejs/kit#17087), so a name such as `a/b`, `x?y=1`, `100%` or `../monitor` would
 * make an address that opens another page or none. Percent-encoded as one path segment, it is
 * decoded back by the router. Use it as `resolve('/models/[name]', { name: modelParam(name) })`.
 */
export function modelParam(name: string): string {
	return encodeURIComponent(name);
}
