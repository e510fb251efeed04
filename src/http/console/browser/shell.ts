/**
 * The console's shell: the sign-in form, who is signed in, the navigation (from VIEWS, for the key's role) and the
 * view the hash names, mounted into #view-root.
 */
import { h } from './dom.js';
import { call, messageOf, Problem, SignedOut, token, whenSignedOut } from './http.js';
import { href, parseHash } from './router.js';
import { english, term } from './terms.js';
import { EN } from './terms-en.js';
import type { Session, View } from './view.js';
import { VIEWS } from './views.js';

let session: Session | null = null;

/** The page's element with this id, which console-page.ts always renders. */
function $(id: string): HTMLElement {
  const node = document.getElementById(id);
  if (node === null) throw new Error(`the page has no #${id}`);
  return node;
}

const usable = (view: View): boolean => session !== null && (view.roles === undefined || view.roles.includes(session.role));
const labelOf = (view: View): Node | string => (Object.hasOwn(EN, view.label) ? term(view.label as keyof typeof EN) : view.label);

function showLogin(problem: string): void {
  session = null;
  $('login-view').hidden = false;
  $('view-root').replaceChildren();
  $('nav').replaceChildren();
  $('who').textContent = '';
  $('sign-out').hidden = true;
  $('login-error').textContent = problem;
  $('token').focus();
}

/** Asks who the token is; a role no view serves is signed out with a problem saying so. */
async function startSession(): Promise<boolean> {
  try {
    session = await call<Session>('GET', 'v1/session');
  } catch (error) {
    if (!(error instanceof SignedOut)) showLogin(error instanceof Problem ? error.message : messageOf(error));
    return false;
  }
  if (!VIEWS.some(usable)) {
    const roles = [...new Set(VIEWS.flatMap((view) => view.roles ?? []))].join(', ');
    token.clear();
    showLogin(`role ${session.role} may not use the console (it serves ${roles})`);
    return false;
  }
  $('login-view').hidden = true;
  $('sign-out').hidden = false;
  $('who').textContent = `${session.name} (${session.role}, ${session.partyId})`;
  return true;
}

function renderNav(current: View): void {
  $('nav').replaceChildren(
    ...VIEWS.filter((view) => usable(view) && !view.hidden).map((view) =>
      h('a', { href: href(view.id), 'aria-current': view === current ? 'page' : undefined }, labelOf(view)),
    ),
  );
}

/** Mounts the view the hash names (the first usable one when it names none the key may use) into a fresh root. */
async function route(): Promise<void> {
  if (session === null) return;
  const { id, params } = parseHash(location.hash);
  const view =
    VIEWS.find((candidate) => candidate.id === id && usable(candidate)) ?? VIEWS.find((candidate) => usable(candidate) && !candidate.hidden);
  if (view === undefined) return;
  renderNav(view);
  const root = h('div', { class: `view view-${view.id}` });
  $('view-root').replaceChildren(root);
  document.title = `${english('console')}: ${typeof view.label === 'string' && Object.hasOwn(EN, view.label) ? english(view.label as keyof typeof EN) : view.label}`;
  try {
    await view.mount(root, params);
  } catch (error) {
    if (!(error instanceof SignedOut)) root.append(h('p', { class: 'problem', role: 'alert' }, `Unexpected error: ${messageOf(error)}`));
  }
}

/** Wires the sign-in form, the sign-out button and the hash; shows the view or the sign-in form. */
export async function startShell(): Promise<void> {
  whenSignedOut(showLogin);
  $('login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const input = $('token') as HTMLInputElement;
    const value = input.value.trim();
    if (!/^[\x21-\x7e]+$/.test(value)) {
      $('login-error').textContent = 'A token is one word of visible ASCII characters.';
      return;
    }
    token.set(value);
    input.value = '';
    $('login-error').textContent = '';
    if (await startSession()) await route();
  });
  $('sign-out').addEventListener('click', () => {
    token.clear();
    showLogin('');
  });
  window.addEventListener('hashchange', () => route());
  if (token.get() && (await startSession())) await route();
  else if (!token.get()) showLogin('');
}
