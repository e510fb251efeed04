/** The runtimes swx runs on: the Node service (`npm start`) and the Worker (`wrangler dev`, `wrangler deploy`). */
export type Runtime = 'node' | 'workers';

export type Role = 'trader' | 'agency' | 'officer' | 'admin' | 'partner';

/** The tables a request writes to; tests compare their row counts before and after. */
export const WRITTEN_TABLES = [
  'declarations',
  'declaration_sequence',
  'declaration_timeline',
  'idempotency_keys',
  'messages',
  'outbox',
  'ledger_entries',
  'ledger_nodes',
] as const;
export type WrittenTable = (typeof WRITTEN_TABLES)[number];

/**
 * The whole of swx on one runtime, reached over HTTP on 127.0.0.1, for the tests both runtimes pass: the same
 * requests, the same answers. Its store is read directly (read-only) only to prove what was or was not written.
 * @example const swx = await startServiceOn('workers'); const trader = await swx.createKey('trader', 'P1'); await swx.close()
 */
export interface ServiceUnderTest {
  readonly runtime: Runtime;
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  /** The bootstrap admin's token. */
  readonly adminToken: string;
  /** The development PKI the service signs with and trusts (`gateways/<id>.key.pem`, …; devPkiLayout reads it). */
  readonly pkiDir: string;
  /** Creates an API key through `POST /v1/admin/api-keys` and returns its bearer token. */
  createKey(role: Role, partyId: string, name?: string): Promise<string>;
  /** Row counts of WRITTEN_TABLES. */
  rowCounts(): Promise<Record<WrittenTable, number>>;
  /** Runs a read-only query on the service's SQLite database (the EXCHANGE object's on Workers). */
  query<T>(sql: string, ...params: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/**
 * `createKey` for a service at `url`: each call names its key after the role, party and a counter unless named.
 * @example const createKey = createKeyOver(url, adminToken); await createKey('officer', 'GDVC')
 */
export function createKeyOver(url: string, adminToken: string): ServiceUnderTest['createKey'] {
  let keys = 0;
  return async (role, partyId, name) => {
    keys += 1;
    const response = await fetch(`${url}/v1/admin/api-keys`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ role, name: name ?? `${role} ${partyId} ${keys}`, partyId }),
    });
    if (response.status !== 201) throw new Error(`creating a ${role} key answered ${response.status}: ${await response.text()}`);
    return ((await response.json()) as { token: string }).token;
  };
}

/** Row counts of WRITTEN_TABLES through `query`. */
export async function rowCountsOf(query: ServiceUnderTest['query']): Promise<Record<WrittenTable, number>> {
  const counts = await Promise.all(
    WRITTEN_TABLES.map(async (table) => [table, (await query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))[0]?.n ?? 0]),
  );
  return Object.fromEntries(counts) as Record<WrittenTable, number>;
}
