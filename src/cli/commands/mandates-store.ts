import type { MandatePorts } from '../../core/mandate/grant-mandate.js';
import { readMandateState, type Mandate } from '../../core/mandate/mandate.js';
import { nodePorts } from '../../runtime/compose.js';
import { openStorage } from '../../runtime/node-storage.js';

/** Who granted or revoked from the command line, as the ledger records it. */
export const CLI_ACTOR = 'swx mandates (offline, on the database)';

/**
 * The mandate ports over `<dataDir>/swx.db`, created and migrated when missing, as `swx keys create` does, wired as the
 * service wires them (runtime/compose.ts). Safe beside a running service: SQLite serialises writers, the ledger
 * re-reads its frontier before appending, and the service reads mandates from the database at each declaration.
 * @example const opened = openMandates(dataDir); try { await grantMandate(opened.ports, input, CLI_ACTOR) } finally { opened.close() }
 */
export function openMandates(dataDir: string): { readonly ports: MandatePorts; close(): void } {
  const ports = nodePorts();
  const storage = openStorage(dataDir, ports);
  return { ports: { mandates: storage.mandates, ids: ports.ids, clock: ports.clock }, close: storage.close };
}

/**
 * One line per mandate: id, agent, principal, validity, types and state.
 * @example io.stdout.write(formatMandate(mandate, new Date()))
 */
export function formatMandate(mandate: Mandate, now: Date): string {
  const state = mandate.revokedAt !== undefined ? `revoked ${mandate.revokedAt}` : readMandateState(mandate, now);
  const types = mandate.documentTypes?.join(',') ?? 'all declarations';
  return `${mandate.id}  agent ${mandate.agentPartyId}  principal ${mandate.principalPartyId}  from ${mandate.validFrom}  until ${mandate.validTo ?? 'revoked'}  ${types}  ${state}  ledger #${mandate.ledgerIndex}\n`;
}
