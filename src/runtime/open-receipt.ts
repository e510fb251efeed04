import { readReceipt } from '../../message-schemas/receipt/1/build.js';
import type { XmlDsigVerifier } from '../adapters/crypto/xmldsig-verifier.js';
import type { OpenedReceipt } from '../core/delivery/deliver-message.js';
import { isCoreError } from '../core/errors.js';
import type { XmlParser } from '../core/primitives.js';
import { firstFailure } from '../core/verify/verification-report.js';

/**
 * Verifies a partner's receipt with its pinned certificate and reads it (deliverMessage's `openReceipt`, on Node and on
 * Workers): not ok, with the reason, when the signature or the receipt is not valid.
 * @example openReceipt(verifier, parseXml, partners.trustFor('TH').certificatePem, xml)
 */
export function openReceipt(verifier: XmlDsigVerifier, parseXml: XmlParser, certificatePem: string, xml: string): OpenedReceipt {
  const report = verifier.verify(xml, certificatePem);
  if (report.outcome !== 'VALID') {
    const failed = firstFailure(report);
    return { ok: false, reason: failed?.reason?.message ?? 'signature not valid' };
  }
  try {
    return { ok: true, receipt: readReceipt(parseXml(xml)) };
  } catch (error) {
    if (isCoreError(error)) return { ok: false, reason: error.message };
    throw error;
  }
}
