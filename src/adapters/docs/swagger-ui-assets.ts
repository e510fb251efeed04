/**
 * The swagger-ui-dist files `/docs` loads (and their source maps): the only ones served from the package, on every
 * runtime.
 */
export const SWAGGER_UI_ASSETS: ReadonlySet<string> = new Set([
  'swagger-ui.css',
  'swagger-ui-bundle.js',
  'swagger-ui.css.map',
  'swagger-ui-bundle.js.map',
]);
