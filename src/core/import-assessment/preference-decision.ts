/** The preferential tariff for one declared line: granted under an e-Form D item, or denied with every reason. */
export interface PreferenceLine {
  /** The line of the import declaration (1-based). */
  readonly line: number;
  readonly hsCode: string;
  readonly quantity: number;
  readonly unit: string;
  readonly outcome: 'GRANTED' | 'DENIED';
  /** The e-Form D item the line was matched to, if any. */
  readonly formDItemNumber?: number;
  readonly reasons: readonly string[];
}

/**
 * What swx decided about an import declaration's claim to the ATIGA preferential tariff (ledger PREFERENCE_DECIDED,
 * shown on GET /v1/declarations/{id}): GRANTED for every line, PARTLY_GRANTED, or DENIED; a reason for each denial.
 */
export interface PreferenceDecision {
  readonly formDReference: string;
  readonly issuingCountry: string;
  readonly certificateId: string | undefined;
  readonly outcome: 'GRANTED' | 'PARTLY_GRANTED' | 'DENIED';
  readonly lines: readonly PreferenceLine[];
  /** Reasons that concern the whole certificate (exporter, consignee, validity, ...): box 4 of the status. */
  readonly reasons: readonly string[];
  readonly decidedAt: string;
}
