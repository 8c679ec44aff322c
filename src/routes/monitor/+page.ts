import { workspace } from '$lib/state/workspace.svelte';
import { listModelVersions } from '$lib/storage/models';
import type { PageLoad } from './$types';

// With ssr = false the prerendered page is an empty shell: this runs in the browser only.
export const load: PageLoad = async () => ({
	versions: await listModelVersions(await workspace.connection())
});
