export * from './types';
export { profileTable, profileColumn, TOP_CATEGORIES } from './profile';
export { summarizeNumbers, quantileSorted } from './stats';
export { pearson, correlationMatrix } from './correlation';
export { cramersV, correlationRatio } from './association';
export { countDuplicateRows } from './duplicates';
