import { readFile } from 'node:fs/promises';
import { loadBundleModel, type LoadedModel } from '../../lib/core/bundle/predict';
import { unpackBundle } from '../../lib/core/bundle/unpack';

/** A bundle file's model loaded for `use`, and released after it whatever happens. */
export async function withBundleModel<T>(
	bundlePath: string,
	use: (loaded: LoadedModel) => Promise<T>
): Promise<T> {
	const bundle = await unpackBundle(new Uint8Array(await readFile(bundlePath)));
	const loaded = await loadBundleModel(bundle.manifest, bundle.model);
	try {
		return await use(loaded);
	} finally {
		loaded.model.dispose();
	}
}
