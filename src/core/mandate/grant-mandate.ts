import { CoreError } from '../errors.js';
import type { Clock, IdGenerator } from '../primitives.js';
import { validityIsEmpty, type Mandate, type MandateStore, type NewMandate } from './mandate.js';

/** The ports granting and revoking need, named as in the HTTP deps. */
export interface MandatePorts {
  readonly mandates: MandateStore;
  readonly ids: IdGenerator;
  readonly clock: Clock;
}

/**
 * Grants a mandate (design.md 3.2): from then on, `agentPartyId` may file declarations naming `principalPartyId` as
 * exporter or importer, itself as declaring agent. The grant is a MANDATE_GRANTED ledger entry, written with it.
 * `grantedBy` says who granted it (an admin key, or the offline CLI).
 * @example await grantMandate(ports, { agentPartyId: '0312345678', principalPartyId: '0301234567', validTo: '2026-12-31' }, 'admin key k-1')
 */
export async function grantMandate(ports: MandatePorts, input: NewMandate, grantedBy: string): Promise<Mandate> {
  const grantedAt = ports.clock.now().toISOString();
  const validFrom = input.validFrom ?? grantedAt;
  if (validityIsEmpty(validFrom, input.validTo)) {
    throw new CoreError('VALIDATION_FAILED', 'the mandate would never be valid', {
      issues: [{ pointer: '/validTo', detail: `must not be before validFrom (${validFrom})` }],
    });
  }
  const id = ports.ids.uuid();
  const mandate: Omit<Mandate, 'ledgerIndex'> = {
    id,
    agentPartyId: input.agentPartyId,
    principalPartyId: input.principalPartyId,
    validFrom,
    validTo: input.validTo,
    documentTypes: input.documentTypes,
    grantedAt,
    grantedBy,
    revokedAt: undefined,
    revokedBy: undefined,
    revokedLedgerIndex: undefined,
  };
  return ports.mandates.grant(mandate, {
    type: 'MANDATE_GRANTED',
    subject: id,
    at: grantedAt,
    data: {
      agentPartyId: mandate.agentPartyId,
      principalPartyId: mandate.principalPartyId,
      validFrom,
      ...(mandate.validTo === undefined ? {} : { validTo: mandate.validTo }),
      ...(mandate.documentTypes === undefined ? {} : { documentTypes: [...mandate.documentTypes] }),
      grantedBy,
    },
  });
}

/**
 * Revokes a mandate: declarations filed under it stay, new ones are refused. The revocation is a MANDATE_REVOKED
 * ledger entry; revoking it again changes nothing and adds no entry. NOT_FOUND for an unknown id.
 * @example const revoked = await revokeMandate(ports, id, 'admin key k-1')
 */
export async function revokeMandate(ports: MandatePorts, id: string, revokedBy: string): Promise<Mandate> {
  const mandate = await ports.mandates.get(id);
  if (!mandate) throw new CoreError('NOT_FOUND', `no mandate ${id}`);
  if (mandate.revokedAt === undefined) {
    const revokedAt = ports.clock.now().toISOString();
    await ports.mandates.revoke(id, revokedAt, revokedBy, {
      type: 'MANDATE_REVOKED',
      subject: id,
      at: revokedAt,
      data: { agentPartyId: mandate.agentPartyId, principalPartyId: mandate.principalPartyId, revokedBy },
    });
  }
  return (await ports.mandates.get(id)) ?? mandate;
}
