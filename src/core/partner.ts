import { z } from 'zod';
import { CountryCode } from '../../message-schemas/common/1/common-types.js';
import { DocumentType } from './document/document-type.js';
import { SignatureProfiles } from './verify/signature-profiles.js';

/**
 * A party's id: a gateway is named by its ISO 3166 alpha-2 country code (`TH`); a national agency by its
 * country code and office (`VN-CUSTOMS`, `VN-MOIT-CO`, `VN-PPD`, `VN-DAH`).
 */
export const PartnerId = z.string().regex(/^[A-Z]{2}(?:-[A-Z0-9]+)*$/, 'must be an upper-case ISO 3166 alpha-2 code, optionally followed by -OFFICE');
export type PartnerId = z.infer<typeof PartnerId>;

/** `live`: exchanging production documents; `test`: exchanging test documents; `planned`: nothing exchanged yet. */
export const PartnerState = z.enum(['live', 'test', 'planned']);
export type PartnerState = z.infer<typeof PartnerState>;

/**
 * `live`: the party is reached at its own `endpoint`; `simulated`: swx's built-in simulator plays it
 * (design.md 3.1) and supplies the endpoint when it starts.
 */
export const PartnerMode = z.enum(['live', 'simulated']);
export type PartnerMode = z.infer<typeof PartnerMode>;

/** One document type and the versions of its schema (`message-schemas/<type>/<version>/`) a party handles. */
export const DocumentSupport = z.strictObject({
  type: DocumentType,
  versions: z.array(z.string().regex(/^[1-9][0-9]*$/, 'must be a schema version such as "1"')).min(1),
});
export type DocumentSupport = z.infer<typeof DocumentSupport>;

const documentList = z.array(DocumentSupport).superRefine((list, ctx) => {
  const seen = new Set<string>();
  list.forEach((entry, index) => {
    if (seen.has(entry.type)) ctx.addIssue({ code: 'custom', path: [index, 'type'], message: `${entry.type} is listed twice` });
    seen.add(entry.type);
  });
});

/**
 * The documents a party handles, seen from that party: a gateway `receive`s what swx may deliver to it and
 * `send`s what swx accepts from it; an agency `send`s what it may issue through swx and `receive`s what swx
 * routes to it.
 */
export const PartnerDocuments = z.strictObject({ send: documentList, receive: documentList });
export type PartnerDocuments = z.infer<typeof PartnerDocuments>;

const milliseconds = z.int().positive();

/** How long the outbox waits to connect to a gateway and for its receipt. */
export const PartnerTimeouts = z.strictObject({
  connectMs: milliseconds.default(5_000),
  responseMs: milliseconds.default(30_000),
});
export type PartnerTimeouts = z.infer<typeof PartnerTimeouts>;

/**
 * The retry budget of one message: exponential backoff from `baseDelayMs`, capped at `maxDelayMs`, with full
 * jitter; it is dead-lettered after `maxAttempts` failed attempts, or once `maxDurationMs` have passed since it
 * was queued (or re-driven) without delivery, whichever comes first (so messages held behind an open circuit,
 * never attempted, are given up too).
 */
export const PartnerRetry = z
  .strictObject({
    maxAttempts: z.int().min(1).default(8),
    baseDelayMs: milliseconds.default(1_000),
    maxDelayMs: milliseconds.default(300_000),
    maxDurationMs: milliseconds.default(3_600_000),
  })
  .refine((retry) => retry.baseDelayMs <= retry.maxDelayMs, {
    path: ['maxDelayMs'],
    message: 'must not be less than baseDelayMs',
  });
export type PartnerRetry = z.infer<typeof PartnerRetry>;

/** The circuit opens after `failureThreshold` consecutive delivery failures and is probed half-open after `openMs`. */
export const PartnerCircuit = z.strictObject({
  failureThreshold: z.int().min(1).default(5),
  openMs: milliseconds.default(30_000),
});
export type PartnerCircuit = z.infer<typeof PartnerCircuit>;

const certificatePem = z
  .string()
  .regex(/^\s*-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----\s*$/, 'must be one PEM certificate');
const filePath = z.string().min(1);

/**
 * Where a gateway's trust material comes from. Trust never comes from the certificate inside an envelope
 * (design.md 3.4); it comes from here.
 *
 * - `{ "source": "dev-pki" }`: the development PKI in the data dir (`swx pki init`) holds it: the pinned
 *   certificate `<data>/pki/gateways/<ID>.cert.pem`, the country root `<data>/pki/<CC>/root.cert.pem` and its
 *   revocation list `<data>/pki/<CC>/crl.pem`. Required for `simulated` gateways, whose simulator signs with
 *   the matching key.
 * - `{ "source": "pinned", ... }`: material the partner gave us: the gateway certificate (`certificate`, inline
 *   PEM, or `certificateFile`), the country root (`rootCertificate` or `rootCertificateFile`) and optionally
 *   the root's CRL (`crlFile`). Relative file paths are read from the partners directory.
 *
 * @example { "source": "pinned", "certificateFile": "certs/kr/gateway.cert.pem", "rootCertificateFile": "certs/kr/root.cert.pem" }
 */
export const PartnerTrustSource = z.discriminatedUnion('source', [
  z.strictObject({ source: z.literal('dev-pki') }),
  z
    .strictObject({
      source: z.literal('pinned'),
      certificate: certificatePem.optional(),
      certificateFile: filePath.optional(),
      rootCertificate: certificatePem.optional(),
      rootCertificateFile: filePath.optional(),
      crlFile: filePath.optional(),
    })
    .superRefine((trust, ctx) => {
      for (const [inline, file] of [
        ['certificate', 'certificateFile'],
        ['rootCertificate', 'rootCertificateFile'],
      ] as const) {
        const count = (trust[inline] === undefined ? 0 : 1) + (trust[file] === undefined ? 0 : 1);
        if (count !== 1) ctx.addIssue({ code: 'custom', path: [inline], message: `give exactly one of ${inline} and ${file}` });
      }
    }),
]);
export type PartnerTrustSource = z.infer<typeof PartnerTrustSource>;

/**
 * The certificates of the partner country's NPPO (plant protection organisation), which sign the ePhytos it issues
 * (an enveloped ds:Signature inside the SPSCertificate): each inline PEM (`certificate`) or a file (`certificateFile`,
 * relative to the partners directory). An ePhyto's own signature is checked with them and reported on the
 * certificate (VALID, INVALID, UNKNOWN_SIGNER); it never decides whether the envelope is accepted.
 * @example [{ "certificateFile": "certs/th/nppo.cert.pem" }]
 */
export const NppoCertificates = z
  .array(z.union([z.strictObject({ certificate: certificatePem }), z.strictObject({ certificateFile: filePath })]))
  .min(1)
  .max(16);
export type NppoCertificates = z.infer<typeof NppoCertificates>;

/**
 * How swx connects to a gateway's `https` endpoint (the TLS link, apart from the XML signatures that `trust` covers):
 * - `clientCertificateFile` and `clientKeyFile` (PEM, given together): the certificate swx presents when the gateway
 *   asks for one (mutual TLS);
 * - `serverRoots`: the only roots the gateway's server certificate may chain to, each inline PEM (`certificate`) or a
 *   file (`certificateFile`); Node's bundled public roots when absent;
 * - `serverName`: the name its server certificate must carry and swx sends as SNI (the endpoint's host when absent).
 * Relative file paths are read from the partners directory. Node only: the Worker refuses a partner file with `tls`.
 * @example { "clientCertificateFile": "certs/th/vn-client.cert.pem", "clientKeyFile": "certs/th/vn-client.key.pem", "serverRoots": [{ "certificateFile": "certs/th/tls-root.cert.pem" }] }
 */
export const PartnerTls = z
  .strictObject({
    clientCertificateFile: filePath.optional(),
    clientKeyFile: filePath.optional(),
    serverRoots: z
      .array(z.union([z.strictObject({ certificate: certificatePem }), z.strictObject({ certificateFile: filePath })]))
      .min(1)
      .max(16)
      .optional(),
    serverName: z
      .string()
      .regex(/^[A-Za-z0-9.-]+$/, 'must be a host name')
      .optional(),
  })
  .superRefine((tls, ctx) => {
    if ((tls.clientCertificateFile === undefined) !== (tls.clientKeyFile === undefined)) {
      const missing = tls.clientCertificateFile === undefined ? 'clientCertificateFile' : 'clientKeyFile';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'give clientCertificateFile and clientKeyFile together' });
    }
  });
export type PartnerTls = z.infer<typeof PartnerTls>;

const endpoint = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' });
const common = {
  id: PartnerId,
  country: CountryCode,
  name: z.string().min(1),
  state: PartnerState,
  mode: PartnerMode,
  documents: PartnerDocuments,
};

/**
 * A partner gateway (another country's Single Window). `endpoint` is where `POST`s of envelopes go; a
 * `simulated` gateway has none in its file (the simulator assigns a loopback URL at start). `trust` may be
 * left out only while the gateway is `planned`. `operator` names the organisation running the gateway
 * (used as O= in development certificates). `signatureProfiles` restricts the XML-DSig profiles its envelopes
 * may be signed with (all of swx's when absent); `nppoCertificates` lists its NPPO's ePhyto-signing certificates; `tls` sets the
 * client certificate and server roots of its https endpoint (PartnerTls).
 */
export const GatewayPartner = z
  .strictObject({
    ...common,
    kind: z.literal('gateway'),
    operator: z.string().min(1).optional(),
    endpoint: endpoint.optional(),
    trust: PartnerTrustSource.optional(),
    signatureProfiles: SignatureProfiles.optional(),
    nppoCertificates: NppoCertificates.optional(),
    tls: PartnerTls.optional(),
    timeouts: PartnerTimeouts.prefault({}),
    retry: PartnerRetry.prefault({}),
    circuit: PartnerCircuit.prefault({}),
  })
  .superRefine((gateway, ctx) => {
    if (gateway.id !== gateway.country) {
      ctx.addIssue({ code: 'custom', path: ['id'], message: `a gateway's id is its country code (${gateway.country})` });
    }
    if (gateway.state !== 'planned' && gateway.trust === undefined) {
      ctx.addIssue({ code: 'custom', path: ['trust'], message: 'required unless the state is planned' });
    }
    if (gateway.mode === 'simulated' && gateway.trust !== undefined && gateway.trust.source !== 'dev-pki') {
      ctx.addIssue({
        code: 'custom',
        path: ['trust', 'source'],
        message: 'a simulated gateway signs with its development PKI key: must be "dev-pki"',
      });
    }
    if (gateway.mode === 'simulated' && gateway.endpoint !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['endpoint'], message: 'a simulated gateway gets its endpoint from the simulator: leave it out' });
    }
    if (gateway.tls !== undefined && gateway.mode === 'simulated') {
      ctx.addIssue({ code: 'custom', path: ['tls'], message: 'a simulated gateway is reached over plain HTTP on loopback: leave it out' });
    }
    if (gateway.tls !== undefined && gateway.endpoint !== undefined && !gateway.endpoint.startsWith('https:')) {
      ctx.addIssue({ code: 'custom', path: ['tls'], message: 'needs an https endpoint' });
    }
    if (gateway.mode === 'live' && gateway.state !== 'planned' && gateway.endpoint === undefined) {
      ctx.addIssue({ code: 'custom', path: ['endpoint'], message: 'required for a live gateway that is not planned' });
    }
  });
export type GatewayPartner = z.infer<typeof GatewayPartner>;

/**
 * A national agency (customs, the certificate-of-origin office, plant protection, animal health). Agencies
 * call swx's API with `agency` keys, so they hold no certificate; `endpoint`, when given, is where swx
 * notifies them.
 */
export const AgencyPartner = z.strictObject({ ...common, kind: z.literal('agency'), endpoint: endpoint.optional() }).superRefine((agency, ctx) => {
  if (!agency.id.startsWith(`${agency.country}-`)) {
    ctx.addIssue({ code: 'custom', path: ['id'], message: `an agency's id is its country code and office (${agency.country}-OFFICE)` });
  }
});
export type AgencyPartner = z.infer<typeof AgencyPartner>;

/**
 * One file of `partners/` (design.md 3.6): a partner gateway or a national agency. Swx's own gateway is not a
 * partner: its id is configuration (`SWX_GATEWAY_ID`, default `VN`).
 *
 * @example
 * Partner.parse({
 *   id: 'TH', kind: 'gateway', country: 'TH', name: 'Thailand National Single Window',
 *   state: 'live', mode: 'simulated', trust: { source: 'dev-pki' },
 *   documents: { send: [{ type: 'CUSTOMS_RESPONSE', versions: ['1'] }], receive: [{ type: 'ACDD', versions: ['1'] }] },
 * })
 */
export const Partner = z.discriminatedUnion('kind', [GatewayPartner, AgencyPartner]);
export type Partner = z.infer<typeof Partner>;

/**
 * What a partner gateway's certificate must be checked against, taken from its partner file, never from
 * the envelope's KeyInfo (design.md 3.4): the pinned gateway certificate, its country root and that root's
 * revocation list (PEM).
 */
export interface PartnerTrust {
  readonly certificatePem: string;
  readonly rootCertificatePem: string;
  readonly crlPem?: string;
  /** The certificates of the partner country's NPPO (plant protection), which sign the ePhytos it issues. */
  readonly nppoCertificatePems?: readonly string[];
}

/**
 * The TLS settings of one gateway's link with their PEMs read (PartnerTls): what the transport connects with.
 * Absent fields keep the defaults (no client certificate, Node's public roots, the endpoint's host name).
 */
export interface PartnerTlsMaterial {
  readonly clientCertificatePem?: string;
  readonly clientKeyPem?: string;
  readonly serverRootPems?: readonly string[];
  readonly serverName?: string;
}

/**
 * The parties of partners/ (design.md 3.6), validated at start. A gateway's id is its country code, so
 * `gatewayFor(id)` also finds a gateway by id.
 * @example const th = partners.gatewayFor('TH'); if (th?.state === 'live') partners.trustFor('TH')
 */
export interface PartnerDirectory {
  get(id: string): Partner | undefined;
  list(): readonly Partner[];
  gatewayFor(country: string): GatewayPartner | undefined;
  /** Throws CoreError UNKNOWN_PARTNER for an unknown id, CERTIFICATE_UNTRUSTED for a party with no trust material. */
  trustFor(id: string): PartnerTrust;
}
