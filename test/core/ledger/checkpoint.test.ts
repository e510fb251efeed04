import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatCheckpoint, openCheckpoint, parseCheckpoint, signCheckpoint } from '../../../src/core/ledger/checkpoint.js';
import { computeNoteKeyId, formatVerifierKey, openNote, parseNote, parseVerifierKey, signNote } from '../../../src/core/ledger/signed-note.js';
import type { NoteSigner, NoteVerifier } from '../../../src/core/primitives.js';
import { thrownCoreError } from '../../helpers/core-error.js';
import { sha256, unhex } from '../../helpers/rfc9162-reference.js';

// The example of golang.org/x/mod/sumdb/note (note.go doc comment and note_test.go): a key pair and the note
// the Go implementation signs with it. Ed25519 is deterministic, so our signer must produce the same bytes.
const GO_SIGNER_KEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const GO_VERIFIER_KEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const GO_NOTE = `${GO_TEXT}\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

const PKCS8_ED25519_PREFIX = unhex('302e020100300506032b657004220420');
const SPKI_ED25519_PREFIX = unhex('302a300506032b6570032100');

function signerFromGoKey(keyName: string): NoteSigner & { verifier: NoteVerifier } {
  // The key material is the rest after the fourth '+': its base64 holds a '+' of its own.
  const seed = Buffer.from(GO_SIGNER_KEY.split('+').slice(4).join('+'), 'base64').subarray(1);
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const raw = createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(SPKI_ED25519_PREFIX.length);
  const keyId = computeNoteKeyId(sha256, keyName, raw);
  const publicKey = createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: 'der', type: 'spki' });
  return {
    keyName,
    keyId,
    sign: (message) => sign(null, message, privateKey),
    verifier: { keyName, keyId, verify: (message, signature) => verify(null, message, publicKey, signature) },
  };
}

const peter = signerFromGoKey('PeterNeumann');

describe('signed notes (C2SP signed-note)', () => {
  it('computes the key ID and verifier key of the Go example', () => {
    const key = parseVerifierKey(sha256, GO_VERIFIER_KEY);
    expect(key.keyId).toBe(0xc74f20a3);
    expect(peter.keyId).toBe(0xc74f20a3);
    expect(formatVerifierKey(key)).toBe(GO_VERIFIER_KEY);
  });

  it('signs the Go example byte for byte as golang.org/x/mod/sumdb/note does', () => {
    expect(signNote(GO_TEXT, peter)).toBe(GO_NOTE);
  });

  it('opens the Go example with the Go verifier key', () => {
    expect(openNote(GO_NOTE, [peter.verifier])).toBe(GO_TEXT);
  });

  describe('when the note was tampered with', () => {
    it('rejects an edited text', () => {
      expect(thrownCoreError(() => openNote(GO_NOTE.replace('cryptography', 'cryptographY'), [peter.verifier])).code).toBe('SIGNATURE_INVALID');
    });

    it('rejects a note signed only by unknown keys, and ignores their signatures otherwise', () => {
      const other = signerFromGoKey('EnochRoot');
      expect(thrownCoreError(() => openNote(GO_NOTE, [other.verifier])).code).toBe('SIGNATURE_INVALID');
      const twice = `${GO_NOTE}${signNote(GO_TEXT, other).slice(GO_TEXT.length + 1)}`;
      expect(parseNote(twice).signatures.map((line) => line.keyName)).toEqual(['PeterNeumann', 'EnochRoot']);
      expect(openNote(twice, [peter.verifier])).toBe(GO_TEXT);
    });

    it.each([
      ['no blank line', GO_NOTE.replace('\n\n', '\n')],
      ['a control character', GO_NOTE.replace('answer', 'ans\u0007wer')],
      ['a signature line without the em dash', GO_NOTE.replace('—', '-')],
      ['a truncated signature', GO_NOTE.replace(/ [A-Za-z0-9+/=]+\n$/, ' AAAA\n')],
    ])('refuses a note with %s as malformed', (_, note) => {
      expect(thrownCoreError(() => openNote(note, [peter.verifier])).code).toBe('CHECKPOINT_INVALID');
    });

    it('rejects a verifier key whose ID does not match the key', () => {
      expect(thrownCoreError(() => parseVerifierKey(sha256, GO_VERIFIER_KEY.replace('c74f20a3', 'c74f20a4'))).code).toBe('CHECKPOINT_INVALID');
    });
  });
});

describe('checkpoints (C2SP tlog-checkpoint)', () => {
  const log = signerFromGoKey('swx.vn-nsw/ledger');
  const rootHash = unhex('5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328');
  const checkpoint = { origin: 'swx.vn-nsw/ledger', treeSize: 8, rootHash };

  it('formats origin, size and base64 root on three lines', () => {
    expect(formatCheckpoint(checkpoint)).toBe('swx.vn-nsw/ledger\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n');
  });

  it('round-trips through signing and opening', () => {
    const signed = signCheckpoint(checkpoint, log);
    expect(signed.note).toMatch(
      /^swx\.vn-nsw\/ledger\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz\+Nw7\/RgQyg=\n\n— swx\.vn-nsw\/ledger [A-Za-z0-9+/]{91}=\n$/,
    );
    const opened = openCheckpoint(signed.note, log.verifier, 'swx.vn-nsw/ledger');
    expect(opened.treeSize).toBe(8);
    expect(Buffer.from(opened.rootHash).equals(Buffer.from(rootHash))).toBe(true);
  });

  it('reads the example checkpoint of the C2SP specification, extension lines allowed', () => {
    const parsed = parseCheckpoint('example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\nextension\n');
    expect(parsed.origin).toBe('example.com/behind-the-sofa');
    expect(parsed.treeSize).toBe(20852163);
  });

  describe('when the checkpoint is tampered with or malformed', () => {
    const note = signCheckpoint(checkpoint, log).note;
    it.each([
      ['a grown tree size', note.replace('\n8\n', '\n9\n'), 'SIGNATURE_INVALID'],
      ['another root', note.replace('Xcnaeac', 'Ycnaeac'), 'SIGNATURE_INVALID'],
      ['another origin', note.replace('swx.vn-nsw/ledger\n', 'swx.vn-nsw/other\n'), 'SIGNATURE_INVALID'],
    ])('rejects %s', (_, tampered, code) => {
      expect(thrownCoreError(() => openCheckpoint(tampered, log.verifier)).code).toBe(code);
    });

    it('rejects a genuine checkpoint of another origin than expected', () => {
      expect(thrownCoreError(() => openCheckpoint(note, log.verifier, 'example.com/log')).code).toBe('CHECKPOINT_INVALID');
    });

    it.each([
      ['a leading zero', 'o\n08\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n'],
      ['a short root', 'o\n8\nXcnaeacGWamtVZy3Ad7Zoqud\n'],
      ['two lines', 'o\n8\n'],
      ['an empty extension line', 'o\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n\n'],
    ])('refuses note text with %s', (_, text) => {
      expect(thrownCoreError(() => parseCheckpoint(text)).code).toBe('CHECKPOINT_INVALID');
    });
  });
});
