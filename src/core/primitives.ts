import type { ParsedXml } from './xml/parsed-xml.js';

/**
 * The primitive ports: runtime services that carry no domain type (time, identifiers, hashing, randomness, XML
 * signing and parsing, note keys, metrics). A leaf: every other contract builds on it, it imports none of them.
 * Adapters satisfy them by type (`const clock: Clock = systemClock`).
 */

/** The time, injected so tests and replays control it. */
export interface Clock {
  now(): Date;
}

/** Fresh identifiers (UUID v7 on every runtime: time-ordered, so the indexes holding them grow at one edge). */
export interface IdGenerator {
  uuid(): string;
}

/**
 * SHA-256, synchronous: node:crypto on Node, node:crypto under nodejs_compat on Workers. It must not keep `data`:
 * callers reuse the input buffer for the next hash.
 */
export type Sha256 = (data: Uint8Array) => Uint8Array;

/** Random bytes from a cryptographically secure source (crypto.getRandomValues on every runtime). */
export type RandomBytes = (length: number) => Uint8Array;

/**
 * Signs an XML document swx generated itself (already in exclusive-C14N form, see core/xml/canonical-writer.ts)
 * with an enveloped XML-DSig signature appended as the last child of the root. Every signature swx makes goes
 * through it; async so that an adapter can sign off the request thread (a worker pool on Node).
 */
export interface XmlSigner {
  readonly certificatePem: string;
  sign(canonicalXml: string): Promise<string>;
}

/** Parses XML with swx's one frozen, hardened configuration (no DTD, no entities, text never coerced). */
export type XmlParser = (text: string) => ParsedXml;

/**
 * Signs C2SP signed notes (ledger checkpoints) with the checkpoint key: Ed25519, separate from the
 * document-signing key. `keyId` is the uint32 of signed-note.ts computeNoteKeyId.
 */
export interface NoteSigner {
  readonly keyName: string;
  readonly keyId: number;
  sign(message: Uint8Array): Uint8Array;
}

/** Checks one named key's Ed25519 signature over a signed note's text. */
export interface NoteVerifier {
  readonly keyName: string;
  readonly keyId: number;
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

/** Operational metrics, rendered in the Prometheus text format on `GET /metrics`. */
export interface Metrics {
  /** The Content-Type of `render()`'s output. */
  readonly contentType: string;
  render(): Promise<string>;
  observeHttpRequest(sample: { method: string; route: string; status: number; seconds: number }): void;
}
