import { hash } from 'node:crypto';
import type { Sha256 } from '../../core/primitives.js';

// node:crypto's one-shot hash takes any Buffer encoding for its output; @types/node lists only the text ones.
const digestLatin1 = hash as (algorithm: string, data: Uint8Array, outputEncoding: string) => string;

/**
 * SHA-256 with node:crypto's one-shot hash (no Hash object per call: the ledger hashes twice per entry). The digest
 * comes out as a latin1 string copied into Buffer's shared pool: half the cost of a digest Buffer, which gets an
 * ArrayBuffer of its own.
 * @example const digest = nodeSha256(new TextEncoder().encode('abc'))
 */
export const nodeSha256: Sha256 = (data) => Buffer.from(digestLatin1('sha256', data, 'latin1'), 'latin1');
