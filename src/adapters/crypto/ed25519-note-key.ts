import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { CoreError } from '../../core/errors.js';
import { computeNoteKeyId, type NotePublicKey } from '../../core/ledger/signed-note.js';
import type { NoteSigner, NoteVerifier, Sha256 } from '../../core/primitives.js';

// DER SubjectPublicKeyInfo of an Ed25519 key (RFC 8410 §4) before its 32 raw bytes.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** The ledger's checkpoint key: its signer, a verifier for its own signatures, and its public half. */
export interface CheckpointKey {
  readonly signer: NoteSigner;
  readonly verifier: NoteVerifier;
  readonly publicKey: NotePublicKey;
}

/**
 * The checkpoint key from its Ed25519 private key in PKCS#8 PEM (a file on Node, a secret on Workers), named after
 * the log's origin as C2SP tlog-checkpoint recommends. CONFIG_INVALID, naming `where`, when the PEM is not an
 * Ed25519 private key.
 * @example const key = readCheckpointKey(env.SWX_CHECKPOINT_KEY, 'swx.vn-nsw/ledger', nodeSha256, 'SWX_CHECKPOINT_KEY')
 */
export function readCheckpointKey(privateKeyPem: string | Uint8Array, keyName: string, sha256: Sha256, where: string): CheckpointKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(typeof privateKeyPem === 'string' ? privateKeyPem : Buffer.from(privateKeyPem));
  } catch (cause) {
    throw new CoreError('CONFIG_INVALID', `cannot read the checkpoint key ${where}`, { cause });
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new CoreError('CONFIG_INVALID', `${where} is not an Ed25519 key`);
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
