import { fromBase64, toBase64 } from '../encoding.js';
import { CoreError } from '../errors.js';
import type { NoteSigner, NoteVerifier } from '../primitives.js';
import { HASH_SIZE } from './merkle.js';
import { openNote, signNote } from './signed-note.js';

/** The origin line swx signs when none is configured (SWX_LEDGER_ORIGIN); also the checkpoint key's name. */
export const DEFAULT_LEDGER_ORIGIN = 'swx.vn-nsw/ledger';

/** A tree head: which log, how many entries, and the RFC 9162 root hash over them. */
export interface Checkpoint {
  readonly origin: string;
  readonly treeSize: number;
  readonly rootHash: Uint8Array;
}

/** A checkpoint with the signed note that carries it, byte for byte as published. */
export interface SignedCheckpoint extends Checkpoint {
  readonly note: string;
}

/**
 * The note text of a checkpoint, C2SP tlog-checkpoint "Note text": origin, decimal tree size, base64 root hash,
 * each on its own line (no extension lines).
 * @example formatCheckpoint({ origin: 'swx.vn-nsw/ledger', treeSize: 8, rootHash }) // 'swx.vn-nsw/ledger\n8\nXcnaeac...=\n'
 */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  return `${checkpoint.origin}\n${checkpoint.treeSize}\n${toBase64(checkpoint.rootHash)}\n`;
}

/**
 * Reads checkpoint note text (not yet its signature). Extension lines are allowed and ignored, as the format says.
 * Throws CHECKPOINT_INVALID when the text is not a checkpoint.
 * @example parseCheckpoint('swx.vn-nsw/ledger\n8\nXcnaeac...=\n').treeSize // 8
 */
export function parseCheckpoint(text: string): Checkpoint {
  const lines = text.split('\n');
  const [origin, size, root] = lines;
  if (lines.length < 4 || lines[lines.length - 1] !== '' || lines.slice(0, -1).some((line) => line === '')) {
    throw invalid('must be at least three non-empty lines, each ending in a newline');
  }
  if (origin === undefined || /\s/.test(origin)) throw invalid('origin line is empty or holds spaces');
  // Decimal without leading zeroes, tree size 0 excepted.
  if (size === undefined || !/^(0|[1-9]\d{0,15})$/.test(size) || !Number.isSafeInteger(Number(size))) {
    throw invalid('tree size is not a decimal number');
  }
  const rootHash = root === undefined ? undefined : decodeHash(root);
  if (!rootHash) throw invalid('root hash is not the base64 of 32 bytes');
  return { origin, treeSize: Number(size), rootHash };
}

/**
 * Signs a checkpoint with the log's key, whose name should match the origin (C2SP tlog-checkpoint "Signatures").
 * @example const signed = signCheckpoint({ origin, treeSize, rootHash }, signer)
 */
export function signCheckpoint(checkpoint: Checkpoint, signer: NoteSigner): SignedCheckpoint {
  const { origin, treeSize, rootHash } = checkpoint;
  return { origin, treeSize, rootHash, note: signNote(formatCheckpoint(checkpoint), signer) };
}

/**
 * Verifies a signed checkpoint against the log's key, as a partner or auditor does, and returns what it says.
 * Throws SIGNATURE_INVALID when the key did not sign it, CHECKPOINT_INVALID when it is malformed or names
 * another origin than `origin`.
 * @example const checkpoint = openCheckpoint(text, verifier, 'swx.vn-nsw/ledger')
 */
export function openCheckpoint(note: string, verifier: NoteVerifier, origin?: string): SignedCheckpoint {
  const checkpoint = parseCheckpoint(openNote(note, [verifier]));
  if (origin !== undefined && checkpoint.origin !== origin) {
    throw invalid(`is for origin ${checkpoint.origin}, not ${origin}`);
  }
  return { ...checkpoint, note };
}

function decodeHash(text: string): Uint8Array | undefined {
  try {
    const bytes = fromBase64(text);
    return bytes.length === HASH_SIZE && toBase64(bytes) === text ? bytes : undefined;
  } catch {
    return undefined;
  }
}

function invalid(detail: string): CoreError {
  return new CoreError('CHECKPOINT_INVALID', `checkpoint ${detail}`);
}
