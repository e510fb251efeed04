/**
 * The parts of the officer API's answers that the console reads (GET /v1/clearances, /v1/clearances/{id},
 * /v1/certificates/{id}, /v1/messages/{id} and problem+json), as the browser sees them: types only, erased by the bundle.
 */

/** An RFC 9457 problem, with the validation errors swx adds. */
export interface ProblemBody {
  readonly title?: string;
  readonly detail?: unknown;
  readonly errors?: readonly { readonly pointer: string; readonly detail: string }[];
}

/** One row of the clearance list. */
export interface ClearanceItem {
  readonly id: string;
  readonly declarationNumber: string;
  readonly kind: string;
  readonly status: string;
  readonly channel: string;
  readonly partner: string | null;
  readonly trader: string;
  readonly submittedAt: string;
}

/** A page of the clearance list. */
export interface ClearancePage {
  readonly items: readonly ClearanceItem[];
  readonly nextCursor: string | null;
}

/** An officer's decision on a declaration. */
export interface Decision {
  readonly ledgerIndex: number;
  readonly at: string;
  readonly action: string;
  readonly officer: string;
  readonly reason: string;
}

/** A certificate a declaration requires, and the certificate that met it. */
export interface Requirement {
  readonly documentType: string;
  readonly state: string;
  readonly detail: string;
  readonly certificateId?: string | null;
}

/** The preference decision on an import declaration under an e-Form D. */
export interface Preference {
  readonly outcome: string;
  readonly formDReference: string;
  readonly issuingCountry: string;
  readonly lines: readonly {
    readonly line: number;
    readonly hsCode: string;
    readonly quantity: number;
    readonly unit: string;
    readonly outcome: string;
    readonly formDItemNumber: number | null;
    readonly reasons: readonly string[];
  }[];
}

/** A trading party as the declaration names it. */
interface Party {
  readonly name?: unknown;
}

/** A declaration's clearance: its status, channel, history and the actions an officer may take. */
export interface ClearanceView {
  readonly id: string;
  readonly kind: string;
  readonly declarationNumber: string;
  readonly status: string;
  readonly channel: string;
  readonly partyId: string;
  readonly partner: string | null;
  readonly submittedAt: string;
  readonly updatedAt: string;
  readonly declaration: { readonly exporter?: Party; readonly importer?: Party } | null;
  readonly channelReasons: readonly { readonly rule: string; readonly detail: string }[];
  readonly requirements: readonly Requirement[];
  readonly preference?: Preference | null;
  readonly allowedActions: readonly string[];
  readonly decisions: readonly Decision[];
  readonly history: readonly {
    readonly ledgerIndex: number;
    readonly type: string;
    readonly at: string;
    readonly detail?: Readonly<Record<string, unknown>> | null;
    readonly messageId?: string | null;
  }[];
}

/** A certificate, with the warnings it was accepted with. */
export interface Certificate {
  readonly warnings?: readonly { readonly code: string; readonly pointer: string; readonly message: string }[];
}

/** An exchanged message: its envelope and receipt as XML text. */
export interface Message {
  readonly direction: string;
  readonly documentType: string;
  readonly messageId: string;
  readonly partner: string;
  readonly ledgerIndex: number;
  readonly envelope: string;
  readonly receipt: string | null;
}
