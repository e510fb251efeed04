import { fromBase64, toBase64 } from '../encoding.js';
import { CoreError } from '../errors.js';
import type { NoteSigner, NoteVerifier, Sha256 } from '../primitives.js';

/** Signature type identifier of Ed25519 in C2SP signed-note (https://c2sp.org/signed-note, "Signature types"). */
export const NOTE_SIGNATURE_TYPE_ED25519 = 0x01;
/** Verifiers must accept at least 16 signatures (C2SP signed-note, "Format"); more is refused. */
const MAX_SIGNATURES = 16;
const SIGNATURE_PREFIX = '\u2014 ';
const encoder = new TextEncoder();

/** A public key named for signed notes: what a verifier is configured with and what GET /checkpoint lists. */
export interface NotePublicKey {
  readonly keyName: string;
  /** uint32 key ID, C2SP signed-note "Signatures". */
  readonly keyId: number;
  /** The 32-byte Ed25519 public key (RFC 8032). */
  readonly publicKey: Uint8Array;
}

/** One signature line of a note: who signed, and the signature bytes after the key ID. */
export interface NoteSignature {
  readonly keyName: string;
  readonly keyId: number;
  readonly signature: Uint8Array;
}

/**
 * key ID = SHA-256(key name || 0x0A || 0x01 || 32-byte Ed25519 public key)[:4], big-endian
 * (C2SP signed-note, "Ed25519 signatures").
 * @example computeNoteKeyId(sha256, 'swx.vn-nsw/ledger', publicKey) // 0x8f0c12d4
 */
export function computeNoteKeyId(sha256: Sha256, keyName: string, publicKey: Uint8Array): number {
  const name = encoder.encode(keyName);
  const input = new Uint8Array(name.length + 2 + publicKey.length);
  input.set(name, 0);
  input[name.length] = 0x0a;
  input[name.length + 1] = NOTE_SIGNATURE_TYPE_ED25519;
  input.set(publicKey, name.length + 2);
  const hash = sha256(input);
  return readUint32(hash, 0);
}

/**
 * The verifier key text of golang.org/x/mod/sumdb/note and the C2SP ecosystem: `<name>+<hex key ID>+<base64(0x01 || key)>`.
 * @example formatVerifierKey(key) // 'swx.vn-nsw/ledger+8f0c12d4+AZ...'
 */
export function formatVerifierKey(key: NotePublicKey): string {
  const typed = new Uint8Array(1 + key.publicKey.length);
  typed[0] = NOTE_SIGNATURE_TYPE_ED25519;
  typed.set(key.publicKey, 1);
  return `${key.keyName}+${key.keyId.toString(16).padStart(8, '0')}+${toBase64(typed)}`;
}

/**
 * Reads a verifier key (formatVerifierKey), checking that its key ID is the one its name and key hash to.
 * Throws CHECKPOINT_INVALID otherwise.
 * @example const key = parseVerifierKey(sha256, 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')
 */
export function parseVerifierKey(sha256: Sha256, text: string): NotePublicKey {
  const match = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/]+={0,2})$/.exec(text.trim());
  const typed = match ? decodeBase64(match[3] as string) : undefined;
  if (!match || !typed || typed.length !== 33 || typed[0] !== NOTE_SIGNATURE_TYPE_ED25519) {
    throw new CoreError('CHECKPOINT_INVALID', 'not an Ed25519 note verifier key (name+keyid+base64)');
  }
  const keyName = match[1] as string;
  const publicKey = typed.subarray(1);
  const keyId = Number.parseInt(match[2] as string, 16);
  if (computeNoteKeyId(sha256, keyName, publicKey) !== keyId) {
    throw new CoreError('CHECKPOINT_INVALID', `verifier key ${keyName}: key ID does not match the key`);
  }
  return { keyName, keyId, publicKey };
}

/**
 * Signs a note's text: the text (ending in a newline), a blank line, then one line
 * `— <key name> base64(key ID || signature)` per signer (C2SP signed-note, "Format").
 * @example signNote('example.com/log\n1\n...\n', signer)
 */
export function signNote(text: string, signer: NoteSigner): string {
  checkNoteText(text);
  const signature = signer.sign(encoder.encode(text));
  const blob = new Uint8Array(4 + signature.length);
  writeUint32(blob, 0, signer.keyId);
  blob.set(signature, 4);
  return `${text}\n${SIGNATURE_PREFIX}${signer.keyName} ${toBase64(blob)}\n`;
}

/**
 * Splits a signed note into its text and signature lines without checking any signature.
 * Throws CHECKPOINT_INVALID when the note is not well-formed.
 */
export function parseNote(note: string): { readonly text: string; readonly signatures: readonly NoteSignature[] } {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a note may hold no control character but newline.
  if (/[\u0000-\u0009\u000b-\u001f]/.test(note)) throw malformed('holds control characters other than newline');
  // The text is separated from the signatures by the last empty line.
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) throw malformed('has no blank line before its signatures');
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) throw malformed(`has more than ${MAX_SIGNATURES} signatures`);
  const signatures = lines.map((line): NoteSignature => {
    const match = /^\u2014 ([^\s+]+) ([A-Za-z0-9+/]+={0,2})$/.exec(line);
    const blob = match ? decodeBase64(match[2] as string) : undefined;
    if (!match || !blob || blob.length < 5) throw malformed('has a malformed signature line');
    return { keyName: match[1] as string, keyId: readUint32(blob, 0), signature: blob.subarray(4) };
  });
  return { text, signatures };
}

/**
 * Verifies a signed note against the keys the caller trusts and returns its text.
 * As C2SP signed-note requires: signatures from unknown keys are ignored, a known key's bad signature rejects the
 * whole note (SIGNATURE_INVALID), and so does a note no known key signed.
 * @example const text = openNote(note, [verifier])
 */
export function openNote(note: string, verifiers: readonly NoteVerifier[]): string {
  const { text, signatures } = parseNote(note);
  const message = encoder.encode(text);
  let verified = 0;
  for (const line of signatures) {
    const verifier = verifiers.find((known) => known.keyName === line.keyName && known.keyId === line.keyId);
    if (!verifier) continue;
    if (!verifier.verify(message, line.signature)) {
      throw new CoreError('SIGNATURE_INVALID', `the note's signature by ${line.keyName} does not verify`);
    }
    verified += 1;
  }
  if (verified === 0) throw new CoreError('SIGNATURE_INVALID', 'the note is not signed by a trusted key');
  return text;
}

function checkNoteText(text: string): void {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a note may hold no control character but newline.
  if (!text.endsWith('\n') || /[\u0000-\u0009\u000b-\u001f]/.test(text)) {
    throw malformed('text must end with a newline and hold no other control characters');
  }
}

function malformed(detail: string): CoreError {
  return new CoreError('CHECKPOINT_INVALID', `signed note ${detail}`);
}

function decodeBase64(text: string): Uint8Array | undefined {
  try {
    const bytes = fromBase64(text);
    return toBase64(bytes) === text ? bytes : undefined;
  } catch {
    return undefined;
  }
}

function readUint32(bytes: Uint8Array, at: number): number {
  return (((bytes[at] ?? 0) << 24) | ((bytes[at + 1] ?? 0) << 16) | ((bytes[at + 2] ?? 0) << 8) | (bytes[at + 3] ?? 0)) >>> 0;
}

function writeUint32(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value >>> 24;
  bytes[at + 1] = (value >>> 16) & 0xff;
  bytes[at + 2] = (value >>> 8) & 0xff;
  bytes[at + 3] = value & 0xff;
}
