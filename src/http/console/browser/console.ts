/**
 * The officer console's script, bundled at build time into console-script.ts and served as /console/console.js:
 * plain DOM code, no framework. It keeps the officer's token in sessionStorage and calls the officer API with it.
 * Every value from the API is rendered with text nodes (never innerHTML), so a trader's name is shown as typed, never run.
 */
import type { Certificate, ClearancePage, ClearanceView, Decision, Message, Preference, ProblemBody, Requirement } from './api-types.js';

const TOKEN = 'swx.console.token';
const ACTIONS: Readonly<Record<string, string>> = { release: 'Release', hold: 'Hold', inspect: 'Inspect (physical)', reject: 'Reject' };
const list: { filter: Record<string, string>; cursor: string | null; nextCursor: string | null } = { filter: {}, cursor: null, nextCursor: null };

/** The page's element with this id, which console-page.ts always renders. */
function $(id: string): HTMLElement {
  const node = document.getElementById(id);
  if (node === null) throw new Error(`the page has no #${id}`);
  return node;
}

/** The page's element with this id, of the given kind (an input, a table, …). */
function $as<T extends HTMLElement>(id: string, kind: { new (): T; prototype: T }): T {
  const node = $(id);
  if (!(node instanceof kind)) throw new Error(`#${id} is not a ${kind.name}`);
  return node;
}

const api = (path: string): string => new URL(path, location.href).href;
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The API answered 401 or 403: the login form is shown again with the problem's detail. */
class SignedOut extends Error {}
/** Any other problem+json answer. */
class Problem extends Error {
  readonly status: number;
  constructor(status: number, body: unknown) {
    super(describe(status, body));
    this.status = status;
  }
}

function describe(status: number, body: unknown): string {
  if (body === null || typeof body !== 'object') return `The service answered ${status}.`;
  const problem = body as ProblemBody;
  const detail = typeof problem.detail === 'string' ? problem.detail : problem.title || `The service answered ${status}`;
  const fields = Array.isArray(problem.errors) ? problem.errors.map((e) => `${e.pointer}: ${e.detail}`) : [];
  return [detail, ...fields].join('; ');
}

/** Calls the API; answers the parsed body and the ETag (a clearance's version, sent back as If-Match with a decision). */
async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  extraHeaders?: Record<string, string>,
): Promise<{ answer: T; etag: string | null }> {
  const token = sessionStorage.getItem(TOKEN);
  if (!token) {
    showLogin('');
    throw new SignedOut();
  }
  const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: 'application/json', ...extraHeaders };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    const init: RequestInit = { method, headers, cache: 'no-store', credentials: 'omit' };
    if (body !== undefined) init.body = JSON.stringify(body);
    response = await fetch(api(path), init);
  } catch (error) {
    throw new Problem(0, { detail: `The service could not be reached (${messageOf(error)}).` });
  }
  const answer: unknown = await response.json().catch(() => null);
  if (response.status === 401 || response.status === 403) {
    sessionStorage.removeItem(TOKEN);
    showLogin(describe(response.status, answer));
    throw new SignedOut();
  }
  if (!response.ok) throw new Problem(response.status, answer);
  return { answer: answer as T, etag: response.headers.get('ETag') };
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  return (await request<T>(method, path, body)).answer;
}

/** Runs an API step; a problem goes to the given message element, a sign-out is already handled. */
async function attempt(problemElement: HTMLElement, step: () => Promise<void>): Promise<void> {
  problemElement.textContent = '';
  try {
    await step();
  } catch (error) {
    if (error instanceof SignedOut) return;
    problemElement.textContent = error instanceof Problem ? error.message : `Unexpected error: ${messageOf(error)}`;
  }
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: unknown, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function row(cells: readonly unknown[]): HTMLTableRowElement {
  const tr = document.createElement('tr');
  for (const cell of cells) {
    const td = document.createElement('td');
    if (cell instanceof Node) td.append(cell);
    else td.textContent = cell === null || cell === undefined ? '' : String(cell);
    tr.append(td);
  }
  return tr;
}

function bodyOf(tableId: string): HTMLTableSectionElement {
  const body = $as(tableId, HTMLTableElement).tBodies[0];
  if (body === undefined) throw new Error(`#${tableId} has no tbody`);
  return body;
}

function channelBadge(channel: string): HTMLSpanElement {
  return el('span', channel, /^[A-Z]+$/.test(channel) ? `badge channel-${channel}` : 'badge');
}

function show(view: string): void {
  for (const id of ['login-view', 'list-view', 'detail-view']) $(id).hidden = id !== view;
  $('sign-out').hidden = view === 'login-view';
}

function showLogin(problem: string): void {
  show('login-view');
  $('login-error').textContent = problem;
  $('token').focus();
}

// The clearance list.
async function loadList(): Promise<void> {
  show('list-view');
  await attempt($('list-problem'), async () => {
    const query = new URLSearchParams(list.filter);
    if (list.cursor) query.set('cursor', list.cursor);
    const page = await call<ClearancePage>('GET', `v1/clearances?${query.toString()}`);
    list.nextCursor = page.nextCursor;
    bodyOf('clearances').replaceChildren(
      ...page.items.map((item) => {
        const open = el('button', item.declarationNumber, 'link');
        open.type = 'button';
        open.addEventListener('click', () => {
          location.hash = `#clearance=${encodeURIComponent(item.id)}`;
        });
        return row([open, item.kind, item.status, channelBadge(item.channel), item.partner, item.trader, item.submittedAt]);
      }),
    );
    $('list-empty').hidden = page.items.length > 0;
    $('next-page').hidden = !page.nextCursor;
    $('first-page').hidden = !list.cursor;
  });
}

// A declaration's history and the decision form.
async function loadDetail(id: string): Promise<void> {
  show('detail-view');
  await attempt($('detail-problem'), () => refreshDetail(`v1/clearances/${encodeURIComponent(id)}`));
}

/** Reads a declaration again and shows it, keeping its ETag for the next decision. */
async function refreshDetail(path: string): Promise<void> {
  const { answer, etag } = await request<ClearanceView>('GET', path);
  renderDetail(answer);
  $('detail-view').dataset['etag'] = etag || '';
}

/** The trader's name in the declaration as filed (the view carries it as it came): its exporter's, or its importer's. */
function traderOf(declaration: unknown): string {
  if (typeof declaration !== 'object' || declaration === null) return '';
  const { exporter, importer } = declaration as { readonly exporter?: { readonly name?: unknown }; readonly importer?: { readonly name?: unknown } };
  const party = exporter || importer;
  return party && typeof party.name === 'string' ? party.name : '';
}

function renderDetail(view: ClearanceView): void {
  $('detail-view').dataset['id'] = view.id;
  $('detail-title').textContent = `${view.kind === 'IMPORT' ? 'Import' : 'Export'} declaration ${view.declarationNumber}`;
  const summary: [string, string | Node][] = [
    ['Status', view.status],
    ['Channel', channelBadge(view.channel)],
    ['Trader', traderOf(view.declaration)],
    ['Party', view.partyId],
    ['Partner', view.partner || '–'],
    ['Submitted', view.submittedAt],
    ['Updated', view.updatedAt],
  ];
  $('detail-summary').replaceChildren(
    ...summary.flatMap(([term, value]) => {
      const dd = el('dd');
      dd.append(value instanceof Node ? value : String(value));
      dd.dataset['term'] = term.toLowerCase();
      return [el('dt', term), dd];
    }),
  );
  $('channel-reasons').replaceChildren(
    ...(view.channelReasons.length === 0
      ? [el('li', 'No rule matched.')]
      : view.channelReasons.map((reason) => el('li', `${reason.rule}: ${reason.detail}`))),
  );
  $('requirements-block').hidden = view.requirements.length === 0;
  $('requirements').replaceChildren(...view.requirements.map(requirementItem));
  renderPreference(view.preference);
  renderDecisionForm(view);
  $('decisions').replaceChildren(...(view.decisions.length === 0 ? [el('li', 'None yet.')] : view.decisions.map(decisionItem)));
  bodyOf('history').replaceChildren(
    ...view.history.map((step) => {
      let message: string | HTMLButtonElement = '';
      const { messageId } = step;
      if (messageId) {
        message = el('button', messageId, 'link');
        message.type = 'button';
        message.addEventListener('click', () => showMessage(messageId));
      }
      const tr = row([step.ledgerIndex, step.type, step.at, el('span', detailText(step.detail), 'detail'), message]);
      tr.dataset['ledgerIndex'] = String(step.ledgerIndex);
      return tr;
    }),
  );
  $('message-block').hidden = true;
}

function decisionItem(d: Decision): HTMLLIElement {
  return el('li', `#${d.ledgerIndex} ${d.at} ${d.action} by ${d.officer}: ${d.reason}`);
}

/** A certificate requirement; the warnings its certificate was accepted with follow once read (GET v1/certificates/{id}). */
function requirementItem(requirement: Requirement): HTMLLIElement {
  const item = el('li', `${requirement.documentType} ${requirement.state}: ${requirement.detail}`);
  if (requirement.certificateId) showCertificateWarnings(item, requirement.certificateId);
  return item;
}

async function showCertificateWarnings(item: HTMLLIElement, certificateId: string): Promise<void> {
  try {
    const certificate = await call<Certificate>('GET', `v1/certificates/${encodeURIComponent(certificateId)}`);
    if (!Array.isArray(certificate.warnings) || certificate.warnings.length === 0) return;
    const warnings = el('ul', undefined, 'warnings');
    warnings.append(...certificate.warnings.map((w) => el('li', `${w.code} at ${w.pointer}: ${w.message}`)));
    item.append(el('p', `Accepted with ${certificate.warnings.length} warning(s):`, 'warning'), warnings);
  } catch (error) {
    if (!(error instanceof SignedOut)) item.append(el('p', `Its warnings could not be read: ${messageOf(error)}`, 'problem'));
  }
}

function detailText(detail: Readonly<Record<string, unknown>> | null | undefined): string {
  return Object.entries(detail || {})
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ');
}

function renderPreference(preference: Preference | null | undefined): void {
  $('preference-block').hidden = !preference;
  if (!preference) return;
  $('preference-summary').textContent = `${preference.outcome} under e-Form D ${preference.formDReference} from ${preference.issuingCountry}`;
  bodyOf('preference-lines').replaceChildren(
    ...preference.lines.map((line) =>
      row([line.line, line.hsCode, `${line.quantity} ${line.unit}`, line.outcome, line.formDItemNumber, line.reasons.join('; ')]),
    ),
  );
}

function renderDecisionForm(view: ClearanceView): void {
  const allowed = view.allowedActions.filter((action) => Object.hasOwn(ACTIONS, action));
  $('decision-form').hidden = allowed.length === 0;
  $('no-decision').hidden = allowed.length > 0;
  $('no-decision').textContent = `No decision is possible while the declaration is ${view.status}.`;
  $('decision-actions').replaceChildren(
    el('legend', 'Action'),
    ...allowed.map((action) => {
      const label = el('label');
      const input = document.createElement('input');
      input.type = 'radio';
      input.name = 'action';
      input.value = action;
      input.required = true;
      label.append(input, ` ${ACTIONS[action]}`);
      return label;
    }),
  );
  $as('decision-reason', HTMLTextAreaElement).value = '';
}

async function showMessage(messageId: string): Promise<void> {
  await attempt($('detail-problem'), async () => {
    const message = await call<Message>('GET', `v1/messages/${encodeURIComponent(messageId)}`);
    $('message-title').textContent =
      `${message.direction} ${message.documentType} ${message.messageId} (${message.partner}, ledger index ${message.ledgerIndex})`;
    $('message-envelope').textContent = message.envelope;
    $('message-receipt').textContent = message.receipt === null ? 'No receipt.' : message.receipt;
    $('message-block').hidden = false;
    $('message-block').scrollIntoView();
  });
}

function route(): Promise<void> {
  const match = /^#clearance=(.+)$/.exec(location.hash);
  if (match?.[1]) return loadDetail(decodeURIComponent(match[1]));
  return loadList();
}

/** Records the chosen decision with If-Match, then shows the declaration as it now stands. */
function decide(event: SubmitEvent): void {
  event.preventDefault();
  const id = $('detail-view').dataset['id'] ?? '';
  const chosen = document.querySelector<HTMLInputElement>('#decision-actions input[name="action"]:checked');
  const reason = $as('decision-reason', HTMLTextAreaElement).value.trim();
  $('decision-done').textContent = '';
  if (!chosen || reason === '') {
    $('decision-problem').textContent = 'Choose an action and give the reason.';
    return;
  }
  attempt($('decision-problem'), async () => {
    const path = `v1/clearances/${encodeURIComponent(id)}`;
    // The decision is taken from the declaration as shown: if it changed since (another officer decided), 409.
    const etag = $('detail-view').dataset['etag'];
    const precondition: Record<string, string> = etag ? { 'If-Match': etag } : {};
    const decision = { action: chosen.value, reason };
    const { answer } = await request<{ action: string; previousStatus: string; status: string; ledgerIndex: number }>(
      'POST',
      `${path}/decision`,
      decision,
      precondition,
    ).catch(async (error: unknown) => {
      // Another officer decided first, or the status moved on: show where it stands now, with the problem.
      if (error instanceof Problem && error.status === 409) await refreshDetail(path);
      throw error;
    });
    await refreshDetail(path);
    $('decision-done').textContent =
      `${ACTIONS[answer.action]} recorded: ${answer.previousStatus} → ${answer.status} (ledger index ${answer.ledgerIndex}).`;
  });
}

function start(): void {
  $('login-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = $as('token', HTMLInputElement);
    const token = input.value.trim();
    if (!/^[\x21-\x7e]+$/.test(token)) {
      $('login-error').textContent = 'A token is one word of visible ASCII characters.';
      return;
    }
    sessionStorage.setItem(TOKEN, token);
    input.value = '';
    $('login-error').textContent = '';
    route();
  });
  $('sign-out').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN);
    showLogin('');
  });
  $('filter-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const filter = {
      status: $as('filter-status', HTMLSelectElement).value,
      channel: $as('filter-channel', HTMLSelectElement).value,
      q: $as('filter-q', HTMLInputElement).value.trim(),
      limit: $as('filter-limit', HTMLSelectElement).value,
    };
    list.filter = Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== ''));
    list.cursor = null;
    loadList();
  });
  $('next-page').addEventListener('click', () => {
    list.cursor = list.nextCursor;
    loadList();
  });
  $('first-page').addEventListener('click', () => {
    list.cursor = null;
    loadList();
  });
  $('back-to-list').addEventListener('click', () => {
    location.hash = '';
  });
  $as('decision-form', HTMLFormElement).addEventListener('submit', decide);
  window.addEventListener('hashchange', () => {
    $('decision-problem').textContent = '';
    $('decision-done').textContent = '';
    if (sessionStorage.getItem(TOKEN)) route();
  });
  if (sessionStorage.getItem(TOKEN)) route();
  else showLogin('');
}

start();
