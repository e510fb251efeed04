import { describe, expect, it } from 'vitest';
import { checkMandateStanding, readMandateState, NewMandate, type Mandate } from '../../../src/core/mandate/mandate.js';

const mandate = (changes: Partial<Mandate> = {}): Mandate => ({
  id: 'm-1',
  agentPartyId: '0312345678',
  principalPartyId: '0301234567',
  validFrom: '2026-01-01',
  validTo: '2026-12-31',
  documentTypes: undefined,
  grantedAt: '2025-12-20T08:00:00.000Z',
  grantedBy: 'admin key k-1 (Ops)',
  ledgerIndex: 7,
  revokedAt: undefined,
  revokedBy: undefined,
  revokedLedgerIndex: undefined,
  ...changes,
});

describe('checkMandateStanding', () => {
  describe('when validFrom and validTo are dates', () => {
    it('holds from the start of the first day through the end of the last (UTC)', () => {
      expect(checkMandateStanding(mandate(), new Date('2026-01-01T00:00:00Z'), 'EXPORT_DECLARATION')).toEqual({ active: true });
      expect(checkMandateStanding(mandate(), new Date('2026-12-31T23:59:59.999Z'), 'IMPORT_DECLARATION')).toEqual({ active: true });
    });

    it('says why it does not hold before or after', () => {
      expect(checkMandateStanding(mandate(), new Date('2025-12-31T23:59:59.999Z'), 'EXPORT_DECLARATION')).toEqual({
        active: false,
        reason: 'is valid only from 2026-01-01',
      });
      expect(checkMandateStanding(mandate(), new Date('2027-01-01T00:00:00Z'), 'EXPORT_DECLARATION')).toEqual({
        active: false,
        reason: 'expired at the end of 2026-12-31',
      });
    });
  });

  it('holds through a date-time validTo, itself included', () => {
    const until = mandate({ validTo: '2026-06-30T17:00:00+07:00' });
    expect(checkMandateStanding(until, new Date('2026-06-30T10:00:00Z'), 'EXPORT_DECLARATION').active).toBe(true);
    expect(checkMandateStanding(until, new Date('2026-06-30T10:00:00.001Z'), 'EXPORT_DECLARATION')).toEqual({
      active: false,
      reason: 'expired at 2026-06-30T17:00:00+07:00',
    });
  });

  it('refuses a revoked mandate, and a declaration type it does not cover', () => {
    const at = new Date('2026-05-01T00:00:00Z');
    expect(checkMandateStanding(mandate({ revokedAt: '2026-04-01T00:00:00.000Z' }), at, 'EXPORT_DECLARATION')).toEqual({
      active: false,
      reason: 'was revoked at 2026-04-01T00:00:00.000Z',
    });
    expect(checkMandateStanding(mandate({ documentTypes: ['IMPORT_DECLARATION'] }), at, 'EXPORT_DECLARATION')).toEqual({
      active: false,
      reason: 'covers IMPORT_DECLARATION only',
    });
    expect(readMandateState(mandate({ revokedAt: '2026-04-01T00:00:00.000Z' }), at)).toBe('revoked');
  });
});

describe('NewMandate', () => {
  it('refuses a mandate from a party to itself, a validity ending before it starts, and dates that are not ISO 8601', () => {
    const issues = (input: unknown) => NewMandate.safeParse(input).error?.issues.map((issue) => issue.path.join('/'));
    expect(issues({ agentPartyId: 'A', principalPartyId: 'A' })).toEqual(['agentPartyId']);
    expect(issues({ agentPartyId: 'A', principalPartyId: 'P', validFrom: '2026-02-01', validTo: '2026-01-31' })).toEqual(['validTo']);
    expect(issues({ agentPartyId: 'A', principalPartyId: 'P', validTo: '31/12/2026' })).toEqual(['validTo']);
    expect(issues({ agentPartyId: 'A', principalPartyId: 'P', validFrom: '2026-02-01', validTo: '2026-02-01' })).toBeUndefined();
  });
});
