/** A partner gateway's delivery circuit as the delivering process recorded it at its last change. */
export interface PartnerCircuitRecord {
  readonly partnerId: string;
  readonly state: 'CLOSED' | 'OPEN' | 'HALF_OPEN';
  readonly consecutiveFailures: number;
  /** While open: when it opened, and from when it lets one probe through (ISO 8601). */
  readonly openedAt: string | undefined;
  readonly probeAt: string | undefined;
  readonly lastFailureAt: string | undefined;
  readonly lastError: string | undefined;
  readonly recordedAt: string;
}

/**
 * Where the delivering process records each partner's circuit as it changes, so that other processes
 * (`swx partners list`) can show it. Only the delivering process writes.
 * @example await circuits.save({ partnerId: 'TH', state: 'OPEN', consecutiveFailures: 5, ... })
 */
export interface PartnerCircuitLog {
  /** Replaces every record: all circuits closed when a delivering process starts, none when it stops. */
  reset(records: readonly PartnerCircuitRecord[]): Promise<void>;
  save(record: PartnerCircuitRecord): Promise<void>;
  list(): Promise<readonly PartnerCircuitRecord[]>;
}
