/**
 * The service worker's life as the UI sees it: an update waits until the user says reload, so a
 * new deploy never swaps code under a running import or training.
 */
class Pwa {
	updateReady = $state(false);
	offlineReady = $state(false);
	private waiting: ServiceWorker | null = null;

	async register(): Promise<void> {
		if (!('serviceWorker' in navigator)) return;
		const registration = await navigator.serviceWorker.register('/service-worker.js', {
			type: import.meta.env.DEV ? 'module' : 'classic'
		});
		if (registration.waiting && navigator.serviceWorker.controller)
			this.markWaiting(registration.waiting);
		registration.addEventListener('updatefound', () => {
			const installing = registration.installing;
			installing?.addEventListener('statechange', () => {
				if (installing.state !== 'installed') return;
				if (navigator.serviceWorker.controller) this.markWaiting(installing);
				else this.offlineReady = true;
			});
		});
		let reloading = false;
		navigator.serviceWorker.addEventListener('controllerchange', () => {
			if (reloading || !this.waiting) return;
			reloading = true;
			location.reload();
		});
		// A tab left open for days still hears about a deploy.
		setInterval(() => void registration.update().catch(() => {}), 60 * 60 * 1000);
	}

	/** Activates the waiting version; the page reloads when it takes control. */
	applyUpdate(): void {
		this.waiting?.postMessage({ type: 'SKIP_WAITING' });
	}

	private markWaiting(worker: ServiceWorker): void {
		this.waiting = worker;
		this.updateReady = true;
	}
}

export const pwa = new Pwa();
