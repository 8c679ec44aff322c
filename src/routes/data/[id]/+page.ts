import { error } from '@sveltejs/kit';
import { workspace } from '$lib/state/workspace.svelte';
import { getDataset } from '$lib/storage/datasets';
import type { PageLoad } from './$types';

// Dataset ids exist only in this browser's storage: the page is rendered on the client.
export const prerender = false;

/** The dataset with its versions, or the 404 page (the backtest page loads the same). */
export async function _datasetOf(id: string) {
	const found = await getDataset(await workspace.connection(), id);
	if (!found || found.versions.length === 0) {
		error(
			404,
			'There is no dataset with this address in this browser. It may have been deleted, or saved in another browser.'
		);
	}
	return found;
}

export const load: PageLoad = ({ params }) => _datasetOf(params.id);
