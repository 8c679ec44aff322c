export * from './types';
export { suggestRecipe, DEFAULT_NUMERIC, DEFAULT_CATEGORICAL } from './suggest';
export { fitRecipe, RecipeError } from './fit';
export { transformTable } from './transform';
