/**
 * The ports: what the core needs from the outside world, named by role.
 * Adapters in src/adapters satisfy them by type (`const store: LedgerStore = new SqliteLedgerStore(db)`).
 */

/** The time, injected so tests and replays control it. */
export interface Clock {
  now(): Date;
}

/** Fresh identifiers (UUID v4 on every runtime). */
export interface IdGenerator {
  uuid(): string;
}

/** SHA-256, synchronous: node:crypto on Node, node:crypto under nodejs_compat on Workers. */
export type Sha256 = (data: Uint8Array) => Uint8Array;

/**
 * Signs an XML document swx generated itself (already in exclusive-C14N form, see core/xml/canonical-writer.ts)
 * with an enveloped XML-DSig signature appended as the last child of the root.
 */
export interface XmlSigner {
  readonly certificatePem: string;
  sign(canonicalXml: string): string;
}
