/**
 * An exchanged message as an officer reads it: who sent it to whom, whether its signature holds (checked by swx as it
 * is read, with the certificate that signed it: swx's current or retired one, a partner's pinned one), that
 * certificate's subject, expiry and fingerprint, and the envelope and receipt pretty-printed
 * in collapsible blocks.
 */
import type { Message } from '../api-types.js';
import { attempt, h } from '../dom.js';
import { inIct } from '../format.js';
import { call } from '../http.js';
import { term } from '../terms.js';
import { prettyXml } from '../xml-pretty.js';

function signatureLine(signature: Message['signature']): HTMLParagraphElement {
  const valid = signature.outcome === 'VALID';
  const { certificate } = signature;
  const which = certificate
    ? `certificate ${certificate.subject}${certificate.retired ? ' (retired by a key rotation)' : ''}, valid until ${inIct(certificate.notAfter)}, SHA-256 `
    : 'no certificate held for the signer';
  return h(
    'p',
    { id: 'message-signature', class: valid ? 'proved' : 'unproved' },
    h('span', { 'aria-hidden': 'true' }, valid ? '✔ ' : '✖ '),
    term('signature'),
    `: ${valid ? 'valid' : `NOT valid (${signature.outcome.toLowerCase()}${signature.reason ? `: ${signature.reason}` : ''})`}; signer ${signature.signer}; ${which}`,
    certificate ? h('code', { class: 'hash' }, certificate.fingerprint) : '',
  );
}

const block = (title: string, id: string, xml: string, open: boolean): HTMLDetailsElement =>
  h('details', { open }, h('summary', {}, title), h('pre', { id }, prettyXml(xml)));

/**
 * Reads message `messageId` and shows it in `panel` (problems in `problem`), then moves the focus to it.
 * @example await showMessage(panel, problem, step.messageId)
 */
export async function showMessage(panel: HTMLElement, problem: HTMLElement, messageId: string): Promise<void> {
  await attempt(problem, async () => {
    const message = await call<Message>('GET', `v1/messages/${encodeURIComponent(messageId)}`);
    const direction = message.direction === 'IN' ? `received from ${message.partner}` : `sent to ${message.partner}`;
    panel.replaceChildren(
      h('h3', { id: 'message-title', tabindex: -1 }, `${message.documentType} ${direction}: message ${message.messageId}`),
      h('p', {}, `${inIct(message.createdAt)}; ledger index ${message.ledgerIndex ?? '–'}; envelope SHA-256 ${message.digest}`),
      signatureLine(message.signature),
      block('Envelope (indented for reading; the signed bytes: GET /v1/messages/{id}/envelope)', 'message-envelope', message.envelope, true),
      message.receipt === null
        ? h('p', { id: 'message-receipt' }, 'No receipt.')
        : block('Signed receipt', 'message-receipt', message.receipt, false),
    );
    panel.hidden = false;
    panel.querySelector<HTMLElement>('#message-title')?.focus();
  });
}
