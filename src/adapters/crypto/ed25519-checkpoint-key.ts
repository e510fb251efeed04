import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CoreError } from '../../core/errors.js';
import type { Sha256 } from '../../core/primitives.js';
import { type CheckpointKey, readCheckpointKey } from './ed25519-note-key.js';

export { type CheckpointKey, createEd25519NoteVerifier } from './ed25519-note-key.js';

/** Where the checkpoint key lives under the data directory: separate from the document-signing key. */
export const CHECKPOINT_KEY_FILE = join('ledger', 'checkpoint-ed25519.pem');

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
  let pem: Buffer;
  try {
    pem = readFileSync(file);
  } catch (cause) {
    throw new CoreError('CONFIG_INVALID', `cannot read the checkpoint key ${file}`, { cause });
  }
  return readCheckpointKey(pem, keyName, sha256, file);
}
