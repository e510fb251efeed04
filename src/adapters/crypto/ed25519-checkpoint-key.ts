import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CoreError } from '../../core/errors.js';
import { computeNoteKeyId, type NotePublicKey } from '../../core/ledger/signed-note.js';
import type { NoteSigner, NoteVerifier, Sha256 } from '../../core/primitives.js';

/** Where the checkpoint key lives under the data directory: separate from the document-signing key. */
export const CHECKPOINT_KEY_FILE = join('ledger', 'checkpoint-ed25519.pem');

// DER SubjectPublicKeyInfo of an Ed25519 key (RFC 8410 §4) before its 32 raw bytes.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** The ledger's checkpoint key: its signer, a verifier for its own signatures, and its public half. */
export interface CheckpointKey {
  readonly signer: NoteSigner;
  readonly verifier: NoteVerifier;
  readonly publicKey: NotePublicKey;
}

/**
 * Loads the Ed25519 checkpoint key from `<dataDir>/ledger/checkpoint-ed25519.pem`, creating it (mode 0600) on
 * first use. The key is named after the log's origin, as C2SP tlog-checkpoint recommends.
 * @example const key = loadOrCreateCheckpointKey(config.SWX_DATA_DIR, 'swx.vn-nsw/ledger', nodeSha256)
 */
export function loadOrCreateCheckpointKey(dataDir: string, keyName: string, sha256: Sha256): CheckpointKey {
  const file = join(dataDir, CHECKPOINT_KEY_FILE);
  if (!existsSync(file)) {
    mkdirSync(join(dataDir, 'ledger'), { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ed25519');
    try {
      writeFileSync(file, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
      chmodSync(file, 0o600);
    } catch (error) {
      // Another process created the key first: use that one.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return loadCheckpointKey(dataDir, keyName, sha256);
}

/**
 * Loads the existing checkpoint key; CONFIG_INVALID when there is none or it is not an Ed25519 private key.
 * @example const { verifier } = loadCheckpointKey(dataDir, origin, nodeSha256)
 */
export function loadCheckpointKey(dataDir: string, keyName: string, sha256: Sha256): CheckpointKey {
  const file = join(dataDir, CHECKPOINT_KEY_FILE);
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(readFileSync(file));
  } catch (cause) {
    throw new CoreError('CONFIG_INVALID', `cannot read the checkpoint key ${file}`, { cause });
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new CoreError('CONFIG_INVALID', `${file} is not an Ed25519 key`);
  const raw = createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(ED25519_SPKI_PREFIX.length);
  const publicKey: NotePublicKey = { keyName, keyId: computeNoteKeyId(sha256, keyName, raw), publicKey: new Uint8Array(raw) };
  return {
    signer: { keyName, keyId: publicKey.keyId, sign: (message) => sign(null, message, privateKey) },
    verifier: createEd25519NoteVerifier(publicKey),
    publicKey,
  };
}

/**
 * A note verifier for a named Ed25519 public key (e.g. from signed-note.ts parseVerifierKey): what a partner,
 * a witness or an auditor trusts instead of anything the log serves.
 * @example const verifier = createEd25519NoteVerifier(parseVerifierKey(nodeSha256, vkey))
 */
export function createEd25519NoteVerifier(key: NotePublicKey): NoteVerifier {
  const publicKey = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, key.publicKey]), format: 'der', type: 'spki' });
  return {
    keyName: key.keyName,
    keyId: key.keyId,
    verify: (message, signature) => signature.length === 64 && verify(null, message, publicKey, signature),
  };
}
