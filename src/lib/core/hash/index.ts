export { sha256Hex, toHex } from './sha256';
export { hashTable } from './table';
