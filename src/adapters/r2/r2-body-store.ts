import type { BodyStore } from '../storage/large-body-exchange-store.js';

/** The R2 bucket operations a BodyStore needs (wrangler.toml `[[r2_buckets]] binding = "BODIES"`). */
export type R2BodyBucket = Pick<R2Bucket, 'put' | 'get'>;

/**
 * Bodies in an R2 bucket, each under `sha256/<hex digest>`. R2 checks the upload against the digest (the `sha256`
 * option), so a truncated put fails instead of storing other bytes under that name.
 * @example const bodies: BodyStore = new R2BodyStore(env.BODIES)
 */
export class R2BodyStore implements BodyStore {
  readonly #bucket: R2BodyBucket;

  constructor(bucket: R2BodyBucket) {
    this.#bucket = bucket;
  }

  async put(sha256: string, bytes: Uint8Array): Promise<void> {
    await this.#bucket.put(keyOf(sha256), bytes, { sha256 });
  }

  async get(sha256: string): Promise<Uint8Array | undefined> {
    const object = await this.#bucket.get(keyOf(sha256));
    return object === null ? undefined : new Uint8Array(await object.arrayBuffer());
  }
}

function keyOf(sha256: string): string {
  return `sha256/${sha256}`;
}
