import { SWAGGER_UI_ASSETS } from './swagger-ui-assets.js';

/** What reads the Worker's static assets: the `ASSETS` binding (`[assets] binding` in wrangler.toml), a Fetcher. */
export interface AssetFetcher {
  fetch(request: Request): Promise<Response>;
}

/**
 * Reads a Swagger UI asset through the Workers static assets binding, whose directory is the installed
 * swagger-ui-dist package (wrangler.toml `[assets]`, `run_worker_first = true` so that only the app decides what
 * is served). Only the files the page loads are read; anything else is undefined, as on Node.
 * @example createApp({ ...deps, docsAssets: staticAssetsSwaggerUi(env.ASSETS) })
 */
export function staticAssetsSwaggerUi(assets: AssetFetcher): (file: string) => Promise<Uint8Array<ArrayBuffer> | undefined> {
  return async (file) => {
    if (!SWAGGER_UI_ASSETS.has(file)) return undefined;
    // The host is never resolved: the binding answers from the asset manifest by path alone.
    const response = await assets.fetch(new Request(`https://assets.invalid/${file}`));
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`static assets answered ${response.status} for ${file}`);
    return new Uint8Array(await response.arrayBuffer());
  };
}
