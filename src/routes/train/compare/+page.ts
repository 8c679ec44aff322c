import { workspace } from '$lib/state/workspace.svelte';
import { getRun } from '$lib/storage/runs';
import type { RunRecord } from '$lib/storage/types';
import type { PageLoad } from './$types';

// The runs come from the address (?ids=…) and this browser's storage: rendered on the client.
export const prerender = false;

export const load: PageLoad = async ({ url }) => {
	const ids = (url.searchParams.get('ids') ?? '').split(',').filter(Boolean);
	const db = await workspace.connection();
	const found = await Promise.all(ids.map((id) => getRun(db, id)));
	return { runs: found.filter((r): r is RunRecord => r !== undefined) };
};
