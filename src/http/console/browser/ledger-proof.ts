/**
 * Checks in the browser, with WebCrypto, that the ledger holds a declaration's steps: each entry's leaf hash
 * (SHA-256 of 0x00 and its canonical bytes, RFC 9162 §2.1.1) leads through its inclusion proof (§2.1.3.2) to the root
 * of the latest checkpoint, whose Ed25519 signature (C2SP signed note) is checked with the key the checkpoint names.
 */
import { call } from './http.js';

/** GET /v1/ledger/checkpoint. */
export interface Checkpoint {
  readonly checkpoint: string;
  readonly treeSize: number;
  readonly rootHash: string;
  readonly keyName: string;
  readonly keyId: string;
  readonly publicKey: string;
  readonly verifierKey: string;
}

interface Entry {
  readonly index: number;
  readonly type: string;
  readonly subject: string;
  readonly at: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly leafHash: string;
  readonly bytes: string;
}

/** How an entry fared: proved in the checkpoint, not in it yet, or a failure with its reason; and the entry read. */
export type Inclusion =
  | { readonly state: 'PROVED'; readonly entry: Entry; readonly proof: readonly string[] }
  | { readonly state: 'PENDING'; readonly entry: Entry | null }
  | { readonly state: 'FAILED'; readonly reason: string; readonly entry: Entry | null };

const fromBase64 = (text: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
const toBase64 = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes));
const sha256 = async (bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> =>
  new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));

async function prefixed(prefix: number, ...parts: Uint8Array[]): Promise<Uint8Array<ArrayBuffer>> {
  const input = new Uint8Array(1 + parts.reduce((n, part) => n + part.length, 0));
  input[0] = prefix;
  let at = 1;
  for (const part of parts) {
    input.set(part, at);
    at += part.length;
  }
  return sha256(input);
}

/**
 * The root an inclusion proof leads to from a leaf hash (RFC 9162 §2.1.3.2), or null when the proof does not fit the
 * index and tree size.
 * @example toBase64(await rootFromInclusionProof(3, 10, leaf, proof)) === checkpoint.rootHash
 */
export async function rootFromInclusionProof(
  index: number,
  treeSize: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
): Promise<Uint8Array | null> {
  if (index >= treeSize) return null;
  let fn = index;
  let sn = treeSize - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = await prefixed(0x01, p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = await prefixed(0x01, r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

/**
 * Whether the checkpoint's note says what its fields say and carries a valid Ed25519 signature by its key: null when
 * it does, else why not.
 */
export async function checkCheckpoint(checkpoint: Checkpoint): Promise<string | null> {
  const [body, signatures = ''] = checkpoint.checkpoint.split(/\n\n/, 2);
  if (body === undefined || body.split('\n')[1] !== String(checkpoint.treeSize) || body.split('\n')[2] !== checkpoint.rootHash) {
    return 'the signed note does not hold the tree size and root hash given with it';
  }
  const line = signatures.split('\n').find((candidate) => candidate.startsWith(`— ${checkpoint.keyName} `));
  if (line === undefined) return `the note has no signature by ${checkpoint.keyName}`;
  const signature = fromBase64(line.slice(`— ${checkpoint.keyName} `.length));
  if (toHex(signature.subarray(0, 4)) !== checkpoint.keyId) return `the signature is not by key ${checkpoint.keyId}`;
  try {
    const key = await crypto.subtle.importKey('raw', fromBase64(checkpoint.publicKey), { name: 'Ed25519' }, false, ['verify']);
    const valid = await crypto.subtle.verify({ name: 'Ed25519' }, key, signature.subarray(4), new TextEncoder().encode(`${body}\n`));
    return valid ? null : 'the checkpoint’s Ed25519 signature does not verify';
  } catch (error) {
    return `the checkpoint’s signature could not be checked in this browser (${error instanceof Error ? error.message : String(error)})`;
  }
}

const toHex = (bytes: Uint8Array): string => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');

/**
 * Reads ledger entry `index` and proves it is in `checkpoint`; the entry must be of `type` (the step the console
 * shows), so a server answering another entry fails. Its subject is the declaration, or the message or certificate
 * the step is about.
 * @example const inclusion = await proveInclusion(12, 'DECISION_RECORDED', checkpoint)
 */
export async function proveInclusion(index: number, type: string, checkpoint: Checkpoint): Promise<Inclusion> {
  const { entries } = await call<{ entries: Entry[] }>('GET', `v1/ledger/entries?start=${index}&end=${index}`);
  const entry = entries.find((candidate) => candidate.index === index) ?? null;
  if (entry === null) return { state: 'FAILED', reason: `the ledger has no entry ${index}`, entry };
  const bytes = fromBase64(entry.bytes);
  const recorded = JSON.parse(new TextDecoder().decode(bytes)) as { type?: unknown; index?: unknown };
  if (recorded.type !== type || recorded.index !== index) {
    return {
      state: 'FAILED',
      reason: `entry ${index} is recorded as ${String(recorded.type)} at index ${String(recorded.index)}, not this step`,
      entry,
    };
  }
  const leaf = await prefixed(0x00, bytes);
  if (toBase64(leaf) !== entry.leafHash) return { state: 'FAILED', reason: 'the entry’s bytes do not hash to its leaf hash', entry };
  if (index >= checkpoint.treeSize) return { state: 'PENDING', entry };
  const { proof } = await call<{ proof: string[] }>('GET', `v1/ledger/proofs/inclusion?index=${index}&treeSize=${checkpoint.treeSize}`);
  const root = await rootFromInclusionProof(index, checkpoint.treeSize, leaf, proof.map(fromBase64));
  if (root === null || toBase64(root) !== checkpoint.rootHash) {
    return { state: 'FAILED', reason: `the inclusion proof does not lead to the root of the checkpoint of ${checkpoint.treeSize} entries`, entry };
  }
  return { state: 'PROVED', entry, proof };
}
