import { nodeSha256 } from '../../src/adapters/crypto/node-sha256.js';
import { ExchangeObject as SwxExchangeObject } from '../../src/runtime/worker/exchange-object.js';
import { storagePortsOver } from '../../src/runtime/worker/storage-rpc.js';
import { type CommitShape, commitConcurrently } from '../bench/commit-shapes.js';

/**
 * The EXCHANGE object of swx, with one method more for `npm run bench:worker`: commits inside the object, without RPC,
 * through the same `call` the Worker's RPC reaches.
 */
export class ExchangeObject extends SwxExchangeObject {
  /** Commits `count` changes of `shape`, `concurrency` callers at a time, inside the object. */
  async commitInside(shape: CommitShape, count: number, concurrency: number): Promise<number> {
    await commitConcurrently((change) => this.call('store', 'commit', [change]), shape, count, concurrency, nodeSha256);
    return count;
  }
}

/**
 * The bench's Worker (test/bench/worker.ts starts it with wrangler.toml and this entry): `GET /commits?shape=event&count=N&concurrency=C&from=rpc|inside`
 * commits N changes in the one EXCHANGE object, from this Worker over RPC (one `call` per commit, as the API does) or
 * inside the object; the caller times the request.
 */
export default {
  async fetch(request, env) {
    const query = new URL(request.url).searchParams;
    const shape = (query.get('shape') ?? 'event') as CommitShape;
    const count = Number(query.get('count') ?? 1000);
    const concurrency = Number(query.get('concurrency') ?? 64);
    const stub = env.EXCHANGE.get(env.EXCHANGE.idFromName('swx')) as unknown as DurableObjectStub<ExchangeObject>;
    if (query.get('from') === 'inside') {
      await stub.commitInside(shape, count, concurrency);
    } else {
      const { store } = storagePortsOver((port, method, args) => stub.call(port, method, args));
      await commitConcurrently((change) => store.commit(change), shape, count, concurrency, nodeSha256);
    }
    return Response.json({ committed: count });
  },
} satisfies ExportedHandler<Env>;
