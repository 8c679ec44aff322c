import { _datasetOf } from '../+page';
import type { PageLoad } from './$types';

// Rendered on the client: the dataset lives in this browser's storage.
export const prerender = false;

export const load: PageLoad = ({ params }) => _datasetOf(params.id);
