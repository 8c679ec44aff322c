// Model names exist only in this browser's storage: the page is rendered on the client.
export const prerender = false;
