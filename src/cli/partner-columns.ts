import type { Partner } from '../core/partner.js';

/** One more column of `swx partners list`, such as delivery health read from the outbox in the data dir. */
export interface PartnerColumn {
  /** The property name in `--json` output. */
  readonly key: string;
  readonly header: string;
  value(partner: Partner): string | number | null;
  /** The value in `--json` output when it says more than the table cell (default: `value`). */
  json?(partner: Partner): unknown;
}

/** Extra columns, and lines printed under the table (where the figures come from, how fresh they are). */
export interface PartnerColumns {
  readonly columns: readonly PartnerColumn[];
  readonly notes?: readonly string[];
}

/** Supplies extra columns once the partners are known; `dataDir` is where the database lives. */
export type PartnerColumnSource = (context: { readonly dataDir: string; readonly partners: readonly Partner[] }) => Promise<PartnerColumns>;
