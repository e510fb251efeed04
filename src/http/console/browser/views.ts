/**
 * The console's views, in the order the navigation shows them. This list is the console's navigation and its routes.
 *
 * To add a view:
 * 1. Write `browser/views/<name>.ts` exporting a `View` (the interface is in `browser/view.ts`: import its type from
 *    `'../view.js'`, never from this file, which would make an import circle):
 *    ```ts
 *    import type { View } from '../view.js';
 *    export const dashboardView: View = {
 *      id: 'dashboard',                 // shown at #dashboard (parameters: #dashboard?from=2026-12-01)
 *      label: 'Dashboard',              // a key of terms-en.ts (shown with its Vietnamese) or English as written
 *      roles: ['officer', 'admin'],     // left out: any signed-in key
 *      async mount(root, params) { root.append(h('h2', {}, 'Dashboard')); ... },
 *    };
 *    ```
 *    Build its elements with `h`/`el`/`table`/`dl` from `../dom.js` (values as text, never innerHTML), call the API with
 *    `call`/`request` from `../http.js`, show problems with `attempt(problemLine(...), async () => ...)`, link with
 *    `href('view-id', { param: 'value' })` from `../router.js`, label with `term(key)` from `../terms.js`, write times
 *    with `inIct` from `../format.js`.
 * 2. Register it here with one import and one line in VIEWS:
 *    ```ts
 *    import { dashboardView } from './views/dashboard.js';
 *    ...
 *      dashboardView,
 *    ```
 * 3. `npm run build:console`, and commit console-script.ts with it.
 *
 * The first view of VIEWS the signed-in key's role may use is the one shown after signing in.
 */
import type { View } from './view.js';
import { clearanceView } from './views/clearance.js';
import { clearancesView } from './views/clearances.js';
import { queueView } from './views/queue.js';
import { agencyView } from './views/agency.js';
import { dashboardView } from './views/dashboard.js';
import { operatorView } from './views/operator.js';

export const VIEWS: readonly View[] = [queueView, clearancesView, clearanceView, dashboardView, operatorView, agencyView];
