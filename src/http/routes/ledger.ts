import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { JSONValue } from 'hono/utils/types';
import { Role } from '../../core/auth/api-key.js';
import { toBase64 } from '../../core/encoding.js';
import { CoreError } from '../../core/errors.js';
import { MAX_ENTRIES_PER_READ, proveConsistency, proveInclusion } from '../../core/ledger/ledger.js';
import { formatVerifierKey, type NotePublicKey } from '../../core/ledger/signed-note.js';
import type { CheckpointIssuer, LedgerStore } from '../../core/ledger/ledger-store.js';
import type { Sha256 } from '../../core/primitives.js';
import type { AppEnv } from '../deps.js';
import { requireRole } from '../middleware/require-role.js';
import { problemResponses } from '../problem.js';

/** What the ledger sub-app needs: the store, SHA-256, the checkpoints signed and the public half of their key. */
export interface LedgerRouteDeps {
  readonly ledger: LedgerStore;
  readonly sha256: Sha256;
  /** The newest checkpoint, including one just signed for a receipt and not stored yet. */
  readonly checkpoints: Pick<CheckpointIssuer, 'latest'>;
  readonly checkpointKey: NotePublicKey;
}

const Base64Hash = z.string().openapi({ format: 'byte', description: 'base64 of a 32-byte SHA-256 hash' });
const Size = (name: string, description: string) =>
  z.coerce
    .number()
    .int()
    .min(0)
    .max(Number.MAX_SAFE_INTEGER)
    .openapi({ param: { name, in: 'query' }, description });

const CheckpointView = z
  .object({
    checkpoint: z.string().openapi({ description: 'The C2SP tlog-checkpoint signed note, byte for byte as signed' }),
    origin: z.string(),
    treeSize: z.number().int(),
    rootHash: Base64Hash,
    keyName: z.string(),
    keyId: z.string().openapi({ description: 'C2SP signed-note key ID, 8 hex digits' }),
    publicKey: z.string().openapi({ format: 'byte', description: 'The 32-byte Ed25519 public key, base64' }),
    verifierKey: z.string().openapi({ description: 'The key as note verifiers take it: name+keyid+base64(0x01 || key)' }),
  })
  .openapi('LedgerCheckpoint');

const EntryView = z
  .object({
    index: z.number().int(),
    type: z.string(),
    subject: z.string(),
    at: z.string().openapi({ format: 'date-time' }),
    data: z.record(z.string(), z.unknown()),
    leafHash: Base64Hash,
    bytes: z.string().openapi({ format: 'byte', description: 'The RFC 8785 canonical JSON the leaf hash covers, base64' }),
  })
  .openapi('LedgerEntry');

const Proof = z.array(Base64Hash).openapi({ description: 'RFC 9162 proof nodes, in the order the RFC gives them' });

const getCheckpoint = createRoute({
  method: 'get',
  path: '/checkpoint',
  operationId: 'getCheckpoint',
  tags: ['ledger'],
  summary: 'The latest signed checkpoint of the exchange ledger, with the key that signed it',
  middleware: requireRole(...Role.options),
  responses: {
    200: { description: 'The latest checkpoint', content: { 'application/json': { schema: CheckpointView } } },
    ...problemResponses(401, 403, 404),
  },
});

const getEntries = createRoute({
  method: 'get',
  path: '/entries',
  operationId: 'getLedgerEntries',
  tags: ['ledger'],
  summary: `Entries start..end inclusive (RFC 9162 §4.6), at most ${MAX_ENTRIES_PER_READ} per call`,
  middleware: requireRole('officer', 'admin'),
  request: {
    query: z.object({ start: Size('start', 'Index of the first entry'), end: Size('end', 'Index of the last entry (inclusive)') }),
  },
  responses: {
    200: {
      description: 'The entries; fewer than asked when the range passes the cap or the end of the ledger',
      content: { 'application/json': { schema: z.object({ entries: z.array(EntryView) }).openapi('LedgerEntries') } },
    },
    ...problemResponses(400, 401, 403, 422),
  },
});

const getInclusionProof = createRoute({
  method: 'get',
  path: '/proofs/inclusion',
  operationId: 'getInclusionProof',
  tags: ['ledger'],
  summary: 'RFC 9162 §2.1.3 inclusion proof of an entry in the tree of treeSize entries',
  middleware: requireRole(...Role.options),
  request: {
    query: z.object({ index: Size('index', 'The entry'), treeSize: Size('treeSize', 'The tree size of a checkpoint') }),
  },
  responses: {
    200: {
      description: 'The proof',
      content: {
        'application/json': {
          schema: z
            .object({ index: z.number().int(), treeSize: z.number().int(), leafHash: Base64Hash, proof: Proof })
            .openapi('LedgerInclusionProof'),
        },
      },
    },
    ...problemResponses(400, 401, 403, 422),
  },
});

const getConsistencyProof = createRoute({
  method: 'get',
  path: '/proofs/consistency',
  operationId: 'getConsistencyProof',
  tags: ['ledger'],
  summary: 'RFC 9162 §2.1.4 consistency proof between the trees of first and second entries',
  middleware: requireRole(...Role.options),
  request: {
    query: z.object({ first: Size('first', 'The older tree size (> 0)'), second: Size('second', 'The newer tree size') }),
  },
  responses: {
    200: {
      description: 'The proof',
      content: {
        'application/json': {
          schema: z.object({ first: z.number().int(), second: z.number().int(), proof: Proof }).openapi('LedgerConsistencyProof'),
        },
      },
    },
    ...problemResponses(400, 401, 403, 422),
  },
});

/**
 * The ledger group, mounted at `/v1/ledger` (design.md 3.3): what a partner gateway or an auditor needs to check
 * swx's exchange history without trusting swx: any API key may read checkpoints and proofs, officers and admins
 * the entries themselves.
 * @example app.route('/v1/ledger', ledgerRoutes(deps))
 */
export function ledgerRoutes(deps: LedgerRouteDeps): OpenAPIHono<AppEnv> {
  const { ledger, sha256, checkpoints, checkpointKey } = deps;
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(getCheckpoint, async (c) => {
    const latest = await checkpoints.latest();
    if (!latest) throw new CoreError('NOT_FOUND', 'no ledger checkpoint has been signed yet');
    return c.json(
      {
        checkpoint: latest.note,
        origin: latest.origin,
        treeSize: latest.treeSize,
        rootHash: toBase64(latest.rootHash),
        keyName: checkpointKey.keyName,
        keyId: checkpointKey.keyId.toString(16).padStart(8, '0'),
        publicKey: toBase64(checkpointKey.publicKey),
        verifierKey: formatVerifierKey(checkpointKey),
      },
      200,
    );
  });

  app.openapi(getEntries, async (c) => {
    const { start, end } = c.req.valid('query');
    const size = await ledger.size();
    if (start > end || start >= size) {
      throw new CoreError('LEDGER_RANGE_INVALID', `entries ${start}..${end} are not in a ledger of ${size} entries`);
    }
    const entries = await ledger.entries(start, Math.min(end + 1, size, start + MAX_ENTRIES_PER_READ));
    return c.json(
      {
        entries: entries.map(({ index, type, subject, at, data, leafHash, bytes }) => ({
          index,
          type,
          subject,
          at,
          // Hono's JSON type has mutable arrays; the ledger's readonly ones serialize the same.
          data: data as Record<string, JSONValue>,
          leafHash: toBase64(leafHash),
          bytes: toBase64(bytes),
        })),
      },
      200,
    );
  });

  app.openapi(getInclusionProof, async (c) => {
    const { index, treeSize } = c.req.valid('query');
    const proof = await proveInclusion(ledger, sha256, index, treeSize);
    const [leafHash] = await ledger.subtreeHashes([{ level: 0, index }]);
    return c.json({ index, treeSize, leafHash: toBase64(leafHash as Uint8Array), proof: proof.map(toBase64) }, 200);
  });

  app.openapi(getConsistencyProof, async (c) => {
    const { first, second } = c.req.valid('query');
    const proof = await proveConsistency(ledger, sha256, first, second);
    return c.json({ first, second, proof: proof.map(toBase64) }, 200);
  });

  return app;
}
