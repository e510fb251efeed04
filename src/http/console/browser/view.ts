/**
 * What a console view is. A view module exports one `View`; browser/views.ts lists them (that list is the console's
 * navigation and its routes).
 */
import type { Role } from '../../../core/auth/api-key.js';
import type { TermKey } from './terms.js';

export type { Role } from '../../../core/auth/api-key.js';

/** Who is signed in: GET /v1/session. */
export interface Session {
  readonly role: Role;
  readonly name: string;
  readonly partyId: string;
}

/** One screen of the console, reached at `#<id>` (with its parameters: `#<id>?a=1&b=2`). */
export interface View {
  /** Its address in the page's hash (letters, digits and dashes): `#clearances`, `#clearance?id=…`. */
  readonly id: string;
  /** Its name in the navigation: a key of terms-en.ts (then shown with its Vietnamese), or English as written. */
  readonly label: TermKey | string;
  /** The roles whose keys may use it (see GET /v1/session); any signed-in key when left out. */
  readonly roles?: readonly Role[];
  /** Left out of the navigation: reached by links only (a declaration's detail needs its id). */
  readonly hidden?: boolean;
  /**
   * Draws the view into `root` (a new, empty element each time the view is shown; the router drops it when another
   * view is shown, so a slow call finishing late draws nowhere) from its hash parameters. Problems with the API are
   * shown inside the view (`attempt` in dom.ts); a 401 signs out by itself.
   */
  mount(root: HTMLElement, params: URLSearchParams): Promise<void>;
}
