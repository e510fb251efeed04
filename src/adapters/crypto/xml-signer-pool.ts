import { Worker } from 'node:worker_threads';
import { CoreError } from '../../core/errors.js';
import type { XmlSigner } from '../../core/primitives.js';
import { XmlDsigSigner } from './xmldsig-signer.js';

interface Pending {
  readonly xml: string;
  readonly resolve: (signed: string) => void;
  readonly reject: (error: Error) => void;
}

/** What a worker is sent: the documents asked for during one turn of the event loop. */
export type SigningBatch = readonly { readonly id: number; readonly xml: string }[];

/** What a worker answers, in one message or more per batch: each document signed, or why not. */
export type SignedBatch = readonly { readonly id: number; readonly signed?: string; readonly error?: string }[];

interface PoolWorker {
  readonly worker: Worker;
  readonly pending: Map<number, Pending>;
  /** Asked for during this turn of the event loop, sent together at its end. */
  outgoing: { id: number; xml: string }[];
}

/** What a pool may be given besides its key: the worker module (tests start one that dies), and who hears of a death. */
export interface XmlSignerPoolOptions {
  readonly entry?: URL;
  /** Called when a worker ends without close(), with its exit code (the runtime logs it). */
  readonly onWorkerLost?: (exitCode: number) => void;
}

/** A worker that dies is replaced, at most this often (a worker that cannot start must not spin). */
const RESPAWN_INTERVAL_MS = 1000;

/**
 * XmlDsigSigner on worker threads, so that RSA signing runs beside the request thread instead of on it. Each worker
 * holds its own copy of the key; a document goes to the worker with the fewest waiting. The documents asked for
 * during one turn of the event loop go to a worker in one message (a postMessage costs the request thread about as
 * much as a small SQL statement); the worker answers as it goes (xml-signer-pool-worker.ts), so the first documents of
 * a big batch do not wait for the last.
 * A worker that dies (a crash, an out-of-memory kill of the thread) loses nothing: what it was signing is signed on the
 * calling thread instead (signing is deterministic, so the bytes are the same), and a new worker takes its place.
 * @example const pool = new XmlSignerPool(keyPem, certificatePem, 1); const signed = await pool.sign(writeReceipt(receipt))
 */
export class XmlSignerPool implements XmlSigner {
  readonly certificatePem: string;
  readonly #fallback: XmlDsigSigner;
  readonly #start: () => Worker;
  readonly #size: number;
  readonly #onWorkerLost: (exitCode: number) => void;
  #workers: PoolWorker[] = [];
  #next = 0;
  #closed = false;
  #flushScheduled = false;
  #respawn: ReturnType<typeof setTimeout> | undefined;
  #lastSpawnAt = 0;

  /** Throws CoreError CONFIG_INVALID, as XmlDsigSigner does, before any worker starts. */
  constructor(privateKeyPem: string, certificatePem: string, size: number, options: XmlSignerPoolOptions = {}) {
    this.#fallback = new XmlDsigSigner(privateKeyPem, certificatePem);
    this.certificatePem = this.#fallback.certificatePem;
    this.#size = size;
    this.#onWorkerLost = options.onWorkerLost ?? (() => undefined);
    const entry = options.entry ?? workerEntry();
    this.#start = () => new Worker(entry, { workerData: { privateKeyPem, certificatePem } });
    for (let started = 0; started < size; started += 1) this.#spawn();
  }

  /** Signs as XmlDsigSigner does (the same bytes: RSA PKCS#1 v1.5 is deterministic), on the least busy worker. */
  sign(canonicalXml: string): Promise<string> {
    if (this.#closed) return Promise.reject(new CoreError('INTERNAL', 'the signing pool is closed'));
    const target = this.#workers.reduce<PoolWorker | undefined>(
      (least, candidate) => (least === undefined || candidate.pending.size < least.pending.size ? candidate : least),
      undefined,
    );
    if (target === undefined) return this.#fallback.sign(canonicalXml);
    const id = (this.#next += 1);
    return new Promise((resolve, reject) => {
      target.pending.set(id, { xml: canonicalXml, resolve, reject });
      target.outgoing.push({ id, xml: canonicalXml });
      if (this.#flushScheduled) return;
      this.#flushScheduled = true;
      // setImmediate runs after the poll phase: every request whose bytes arrived in this turn joins the batch.
      setImmediate(() => this.#flush());
    });
  }

  /** Stops the workers; what they had not signed yet is rejected. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#respawn);
    const workers = this.#workers;
    this.#workers = [];
    await Promise.all(
      workers.map(async ({ worker, pending }) => {
        await worker.terminate();
        for (const waiting of pending.values()) waiting.reject(new CoreError('INTERNAL', 'the signing pool is closed'));
      }),
    );
  }

  #flush(): void {
    this.#flushScheduled = false;
    for (const target of this.#workers) {
      if (target.outgoing.length === 0) continue;
      const batch: SigningBatch = target.outgoing;
      target.outgoing = [];
      target.worker.postMessage(batch);
    }
  }

  #spawn(): void {
    this.#lastSpawnAt = Date.now();
    const entry: PoolWorker = { worker: this.#start(), pending: new Map(), outgoing: [] };
    entry.worker.on('message', (answers: SignedBatch) => {
      for (const answer of answers) {
        const waiting = entry.pending.get(answer.id);
        entry.pending.delete(answer.id);
        if (answer.signed !== undefined) waiting?.resolve(answer.signed);
        else waiting?.reject(new CoreError('INTERNAL', `signing failed: ${answer.error ?? 'no answer'}`));
      }
    });
    // 'error' (an uncaught exception in the worker) is followed by 'exit'.
    entry.worker.on('error', () => undefined);
    entry.worker.once('exit', (code) => this.#replace(entry, code));
    this.#workers.push(entry);
  }

  /** A worker ended without close(): sign what it held here, and bring the pool back to its size. */
  #replace(dead: PoolWorker, exitCode: number): void {
    if (this.#closed) return;
    this.#onWorkerLost(exitCode);
    this.#workers = this.#workers.filter((entry) => entry !== dead);
    for (const waiting of dead.pending.values()) {
      try {
        waiting.resolve(this.#fallback.signSync(waiting.xml));
      } catch (error) {
        waiting.reject(error as Error);
      }
    }
    dead.pending.clear();
    if (this.#respawn !== undefined) return;
    const wait = Math.max(0, this.#lastSpawnAt + RESPAWN_INTERVAL_MS - Date.now());
    this.#respawn = setTimeout(() => {
      this.#respawn = undefined;
      while (!this.#closed && this.#workers.length < this.#size) this.#spawn();
    }, wait);
    this.#respawn.unref();
  }
}

/** The worker module; under tsx (sources run as .ts) the worker registers tsx before loading it. */
function workerEntry(): URL {
  const typescript = import.meta.url.endsWith('.ts');
  const module = new URL(typescript ? './xml-signer-pool-worker.ts' : './xml-signer-pool-worker.js', import.meta.url);
  if (!typescript) return module;
  const loader = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register(); await import(${JSON.stringify(module.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(loader)}`);
}
