import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { SWAGGER_UI_ASSETS } from './swagger-ui-assets.js';

const cache = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();

/**
 * Reads a Swagger UI asset from the installed swagger-ui-dist package, so `/docs` works on a
 * network with no internet. Only the files the page loads are served; anything else is undefined.
 * @example createApp({ ...deps, docsAssets: readSwaggerUiAsset })
 */
export function readSwaggerUiAsset(file: string): Promise<Uint8Array<ArrayBuffer> | undefined> {
  if (!SWAGGER_UI_ASSETS.has(file)) return Promise.resolve(undefined);
  let bytes = cache.get(file);
  if (bytes === undefined) {
    // Resolving package.json avoids loading swagger-ui-dist's main module, which evaluates the whole bundle.
    const dir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
    bytes = readFile(join(dir, file)).then((buffer) => new Uint8Array(buffer));
    cache.set(file, bytes);
    bytes.catch(() => cache.delete(file));
  }
  return bytes;
}
