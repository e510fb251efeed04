import type { ChannelRules } from '../clearance/channel-rules.js';
import type { CoreErrorCode } from '../errors.js';
import type { PartnerDirectory } from '../partner.js';
import type { CheckpointIssuer } from '../ledger/ledger-store.js';
import type { Clock, IdGenerator, Sha256, XmlParser, XmlSigner } from '../primitives.js';
import type { CertificateVerifier } from '../verify/certificate-verifier.js';
import type { SignatureVerifier } from '../verify/signature-verifier.js';
import type { ExchangeStore } from './exchange-store.js';
import type { GatewayIdentity } from './seal-outbound-message.js';
import type { RefusalLimiter } from './refusal-limiter.js';

/** What receiveEnvelope needs (design.md 3.4), and what it and refuseEnvelope answer: the contract both import. */
export interface ReceiveDeps {
  readonly store: ExchangeStore;
  readonly partners: PartnerDirectory;
  readonly signer: XmlSigner;
  readonly signatures: SignatureVerifier;
  readonly certificates: CertificateVerifier;
  readonly parseXml: XmlParser;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly sha256: Sha256;
  readonly self: GatewayIdentity;
  /** How far in the past an envelope's CreatedAt may be. */
  readonly windowSeconds: number;
  /** The signed ledger checkpoint each receipt carries, which includes the receipt's ledger index. */
  readonly checkpoints: CheckpointIssuer;
  /** The clearance channel rules, for the import declarations a received certificate settles. */
  readonly rules: ChannelRules;
  /** Rate limits of refused traffic per source address and sender; no limit when absent. */
  readonly refusals?: RefusalLimiter;
  /** Told of every refusal, for the log line and metric that are all unauthenticated junk leaves behind. */
  readonly onRefused?: (refusal: Refusal) => void;
}

/** The signed receipt to answer with, and the HTTP status it goes with. */
export interface ReceiveAnswer {
  readonly accepted: boolean;
  readonly code: CoreErrorCode | undefined;
  readonly receipt: string;
  readonly messageId: string | undefined;
}

/** One refusal as operators see it in logs and metrics (ReceiveDeps.onRefused). */
export interface Refusal {
  readonly code: CoreErrorCode;
  readonly reason: string;
  /** The partner that signed it, or the gateway id claimed by an envelope whose signature was not verified. */
  readonly from: string | null;
  readonly authenticated: boolean;
  /** Whether the ledger holds a DOCUMENT_REJECTED entry for it (only for authenticated envelopes). */
  readonly recorded: boolean;
  readonly envelopeDigest: string;
  readonly envelopeBytes: number;
  readonly address: string | undefined;
}
