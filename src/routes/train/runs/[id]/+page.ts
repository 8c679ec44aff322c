import { error } from '@sveltejs/kit';
import { workspace } from '$lib/state/workspace.svelte';
import { getRun } from '$lib/storage/runs';
import type { PageLoad } from './$types';

// Run ids exist only in this browser's storage: the page is rendered on the client.
export const prerender = false;

export const load: PageLoad = async ({ params }) => {
	const db = await workspace.connection();
	const run = await getRun(db, params.id);
	if (!run) error(404, 'There is no run with this address in this browser.');
	// The audit that preceded training, when the run's data was saved from one.
	const audit = (await db.get('versions', run.versionId))?.audit ?? null;
	return { run, audit };
};
