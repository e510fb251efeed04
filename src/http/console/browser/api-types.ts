/**
 * The officer API's answers that the console reads (GET /v1/clearances, /v1/clearances/{id}, /v1/certificates/{id},
 * /v1/messages/{id} and problem+json): the views the routes answer with, so the console compiles against what the
 * server sends. Types only, erased by the bundle.
 */
import type { CertificateView } from '../../../core/certificate/certificate-view.js';
import type { ClearanceHistory } from '../../../core/clearance/clearance-history.js';
import type { MessageView } from '../../../core/exchange/message-view.js';
import type { Problem } from '../../problem.js';

export type { ClearancePage } from '../../../core/clearance/clearance-search.js';

/** An RFC 9457 problem, as far as the answer is one (a proxy's error page is not). */
export type ProblemBody = Partial<Problem>;

/** A declaration's clearance: its status, channel, history and the actions an officer may take. */
export type ClearanceView = ClearanceHistory;

/** An officer's decision on a declaration. */
export type Decision = ClearanceHistory['decisions'][number];

/** A certificate a declaration requires, and the certificate that met it. */
export type Requirement = ClearanceHistory['requirements'][number];

/** The preference decision on an import declaration under an e-Form D. */
export type Preference = NonNullable<ClearanceHistory['preference']>;

/** A certificate, with the warnings it was accepted with. */
export type Certificate = CertificateView;

/** An exchanged message: its envelope and receipt as XML text. */
export type Message = MessageView;
