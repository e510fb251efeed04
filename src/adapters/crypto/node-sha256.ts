import { hash } from 'node:crypto';
import type { Sha256 } from '../../core/ports.js';

/**
 * SHA-256 with node:crypto's one-shot hash (no Hash object per call: the ledger hashes twice per entry).
 * @example const digest = nodeSha256(new TextEncoder().encode('abc'))
 */
export const nodeSha256: Sha256 = (data) => hash('sha256', data, 'buffer');
