/** How much this site stores, and whether the browser promised to keep it. */
export interface StorageStatus {
	usage: number | null;
	quota: number | null;
	persisted: boolean | null;
}

export async function readStorageStatus(): Promise<StorageStatus> {
	const manager = navigator.storage;
	if (!manager?.estimate) return { usage: null, quota: null, persisted: null };
	const [estimate, persisted] = await Promise.all([
		manager.estimate(),
		manager.persisted ? manager.persisted() : Promise.resolve(null)
	]);
	return { usage: estimate.usage ?? null, quota: estimate.quota ?? null, persisted };
}

/** Asks the browser not to evict this site's data under storage pressure. */
export async function requestPersistentStorage(): Promise<boolean> {
	return navigator.storage?.persist ? navigator.storage.persist() : false;
}
