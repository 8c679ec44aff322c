// fake-indexeddb/auto installs itself as the IndexedDB globals; it exports nothing to type.
declare module 'fake-indexeddb/auto';
