import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { request } from 'undici';
import { writeEnvelope, type EnvelopeHeader } from '../../../message-schemas/envelope/1/build.js';
import { EnvelopeAction, MessageId } from '../../../message-schemas/envelope/1/schema.js';
import { readReceipt, type Receipt } from '../../../message-schemas/receipt/1/build.js';
import { devPkiDir, devPkiLayout } from '../../adapters/crypto/dev-pki-layout.js';
import { XmlDsigSigner } from '../../adapters/crypto/xmldsig-signer.js';
import { XmlDsigVerifier } from '../../adapters/crypto/xmldsig-verifier.js';
import { readPartnerFiles } from '../../adapters/partners/partner-directory.js';
import { parseXml } from '../../adapters/xml/xml-codec.js';
import type { DocumentCodec } from '../../core/document/document-codec.js';
import type { DocumentDescriptor } from '../../core/documents/document-descriptor.js';
import { codecForRoot, codecForType, DOCUMENTS, findDocument, ENVELOPE_DOCUMENT_TYPES as SUPPORTED } from '../../core/documents/document-table.js';
import { isCoreError } from '../../core/errors.js';
import type { CountryCode } from '../../../message-schemas/common/1/common-types.js';
import type { CliCommand } from '../command.js';
import { parseCommandLine } from '../parse-command-line.js';
import { dataDirFrom, partnersDirFrom } from '../../config.js';
import { describeProblem, serviceTarget } from '../http-client.js';
import { envelopeAround, signAsWritten } from '../raw-envelope.js';
import { findSimulatedGateway, ownGatewayFrom } from '../simulated-gateways.js';
import { firstFailure } from '../../core/verify/verification-report.js';

/**
 * What the sending gateway asks of swx with each document unless `--action` says otherwise, from the document table:
 * `CANCEL for ACDD_CANCELLATION, RESPOND for CUSTOMS_RESPONSE, FORM_D_STATUS and SPS_ACK`.
 */
function defaultActions(): string {
  const descriptors: readonly DocumentDescriptor[] = Object.values(DOCUMENTS);
  return EnvelopeAction.options
    .map((action) => ({
      action,
      types: descriptors.filter((descriptor) => descriptor.defaultAction === action).map((descriptor) => descriptor.type),
    }))
    .filter(({ types }) => types.length > 0)
    .map(({ action, types }) => `${action} for ${types.length === 1 ? types.join('') : `${types.slice(0, -1).join(', ')} and ${types.at(-1)}`}`)
    .join(', ');
}

const usage = `Usage: swx simulate send --partner <ID> [--type <DOCUMENT_TYPE>] [options] <file.xml|file.json>

Sends a business document to swx as partner gateway <ID> would: in an envelope from <ID> to swx
($SWX_GATEWAY_ID, default VN), signed with <ID>'s development key from <dir>/pki (default: $SWX_DATA_DIR,
else ./data, as swx finds it; create it with swx pki init), POSTed to <url>/v1/exchange. Checks the
receipt's signature with swx's certificate and prints it. Exits 0 when swx RECEIVED the document, 1 when
it REJECTED it or the receipt does not hold up, 2 on a usage error.

  --partner ID        the sending gateway (TH, SG, ...): one with dev-pki trust that is not planned
  --type TYPE         ${SUPPORTED}; may be left out
                      for an XML document, whose root element names it (an
                      SPSCertificate is read as EPHYTO unless --type EAH)
  --url URL           swx's base URL (default: $SWX_URL, else http://127.0.0.1:$PORT, PORT 8080)
  --ref-to ID         the message this one answers (RefToMessageId), e.g. the ACDD a Customs Response answers
  --conversation ID   the conversation id (default: a new one)
  --action ACTION     ${EnvelopeAction.options.join(', ')} (default:
                      ${defaultActions()}, else SUBMIT)
  --raw               send the XML file's own bytes (the default for an XML file): its root element exactly
                      as written, prefixes, namespace declarations, white space and all, less the XML
                      declaration, a byte order mark and comments around the root element
  --canonical         send the document as swx's codec writes it (always so for JSON: the wire format is XML)
  --out FILE          write the signed envelope to FILE instead of sending it
  --print-receipt     print the signed receipt exactly as received instead of the summary
  --data-dir DIR      the data dir holding the development PKI (DIR/pki)

The file is the business document alone, as XML or JSON. It is first validated against its schema with the
reader swx receives it with, so an invalid document is reported field by field and never sent. Then an XML
file goes into the envelope's Body byte for byte (--raw, the default), as a partner's national system wrote
it; with --canonical, and for JSON, swx's codec writes the document again. Either way the envelope is signed
as swx signs: enveloped signature, exclusive C14N, RSA-SHA256. Check a file without sending it with
swx conformance <file>.

Examples:
  swx simulate send --partner TH --type CUSTOMS_RESPONSE message-schemas/customs-response/1/examples/valid-cleared.xml
  swx simulate send --partner TH --type CUSTOMS_RESPONSE --ref-to <ACDD message id> response.json
  swx simulate send --partner SG --out envelope.xml message-schemas/customs-response/1/examples/valid-rejected.xml
  swx simulate send --partner ID --type EPHYTO message-schemas/ephyto/1/examples/valid-id-worked-example.xml
  swx simulate send --partner TH --type FORM_D message-schemas/form-d/1/examples/valid-th-worked-example.xml`;

const COMMAND = 'swx simulate send';

/** The summary's label column. */
const label = (name: string) => `  ${name.padEnd(16)}`;

/**
 * `swx simulate send` (issue 3): a partner gateway's document, signed with its development key, sent to swx
 * or written to a file, and swx's signed receipt checked and shown.
 * @example swx simulate send --partner TH --type CUSTOMS_RESPONSE message-schemas/customs-response/1/examples/valid-cleared.xml
 */
const simulateSend: CliCommand = {
  name: 'simulate send',
  usage,
  async run(argv, io) {
    const usageError = (message: string) => {
      io.stderr.write(`${COMMAND}: ${message} (see ${COMMAND} --help)\n`);
      return 2;
    };
    const failure = (message: string) => {
      io.stderr.write(`${COMMAND}: ${message}\n`);
      return 1;
    };
    const parsed = parseCommandLine(
      COMMAND,
      argv,
      {
        options: {
          partner: { type: 'string' },
          type: { type: 'string' },
          url: { type: 'string' },
          'ref-to': { type: 'string' },
          conversation: { type: 'string' },
          action: { type: 'string' },
          out: { type: 'string' },
          raw: { type: 'boolean' },
          canonical: { type: 'boolean' },
          'print-receipt': { type: 'boolean' },
          'data-dir': { type: 'string' },
        },
        allowPositionals: true,
      },
      io,
    );
    if (!parsed) return 2;
    const { values } = parsed;
    const [file, ...extra] = parsed.positionals;
    if (file === undefined || extra.length > 0) return usageError('give exactly one document file');
    if (values.partner === undefined) return usageError('--partner is required (the sending gateway, e.g. --partner TH)');

    if (values.raw === true && values.canonical === true) return usageError('give --raw or --canonical, not both');
    let spec: DocumentCodec | undefined;
    if (values.type !== undefined) {
      const chosen = codecForType(values.type);
      if ('error' in chosen) return usageError(`--type: ${chosen.error}`);
      spec = chosen.codec;
    }
    if (values.action !== undefined && !EnvelopeAction.safeParse(values.action).success) {
      return usageError(`--action: ${JSON.stringify(values.action)} is not one of ${EnvelopeAction.options.join(', ')}`);
    }
    for (const option of ['ref-to', 'conversation'] as const) {
      const id = values[option];
      if (id !== undefined && !MessageId.safeParse(id).success)
        return usageError(`--${option}: ${JSON.stringify(id)} is not a message id (a UUID, or up to 128 letters, digits and . _ : -)`);
    }
    const self = ownGatewayFrom(io.env);
    if ('error' in self) return usageError(self.error);

    try {
      const partnersDir = partnersDirFrom(io.env);
      const found = findSimulatedGateway(readPartnerFiles(partnersDir), values.partner, partnersDir);
      if ('error' in found) return usageError(`--partner: ${found.error}`);
      const { gateway } = found;

      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        return failure(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
      const document = readDocument(file, text, spec);
      if ('usage' in document) return usageError(document.usage);
      if ('error' in document) return failure(document.error);
      if (values.raw === true && !document.isXml)
        return usageError("--raw sends an XML file as it is; a JSON document is always written by swx's codec");
      const raw = document.isXml && values.canonical !== true;
      spec = document.spec;
      if (!gateway.documents.send.some((entry) => entry.type === spec?.documentType)) {
        io.stderr.write(`note: ${gateway.id}'s partner file does not list ${spec.documentType} among the documents it sends: swx will reject it\n`);
      }

      const layout = devPkiLayout(devPkiDir(dataDirFrom(io.env, values['data-dir'])));
      let signer: XmlDsigSigner;
      try {
        signer = new XmlDsigSigner(readFileSync(layout.gatewayKey(gateway.id), 'utf8'), readFileSync(layout.gatewayCertificate(gateway.id), 'utf8'));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return failure(`no development key for ${gateway.id} in ${layout.dir}: run swx pki init (with the data dir swx uses)`);
        throw error;
      }

      const header: EnvelopeHeader = {
        messageId: randomUUID(),
        conversationId: values.conversation ?? randomUUID(),
        ...(values['ref-to'] === undefined ? {} : { refToMessageId: values['ref-to'] }),
        from: { gatewayId: gateway.id, country: gateway.country },
        to: { gatewayId: self.gatewayId, country: self.gatewayId as CountryCode },
        documentType: spec.documentType,
        documentVersion: '1',
        action: (values.action as EnvelopeAction | undefined) ?? findDocument(spec.documentType)?.defaultAction ?? 'SUBMIT',
        createdAt: new Date().toISOString(),
      };
      let envelope: string;
      try {
        envelope = signAsWritten(signer, raw ? envelopeAround(header, text) : writeEnvelope(header, document.bodyXml));
      } catch (error) {
        if (!isCoreError(error)) throw error;
        const details = error.issues.map((issue) => `: ${issue.detail}`).join('');
        return failure(`${file}: ${error.message}${details}; nothing was sent`);
      }
      const digest = createHash('sha256').update(envelope, 'utf8').digest('base64');

      if (values.out !== undefined) {
        try {
          writeFileSync(values.out, envelope);
        } catch (error) {
          return failure(`cannot write ${values.out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
        }
        io.stdout.write(
          `wrote a signed ${header.documentType} envelope from ${gateway.id} to ${self.gatewayId} to ${values.out}\n` +
            describeSent(header, digest, raw) +
            'check it with: xmlsec1 --verify --enabled-reference-uris empty ' +
            `--trusted-pem ${layout.rootCertificate(gateway.country)} --pubkey-cert-pem ${layout.gatewayCertificate(gateway.id)} ${values.out}\n`,
        );
        return 0;
      }

      const base = serviceTarget(io.env, { url: values.url }).url;
      const exchangeUrl = base.endsWith('/v1/exchange') ? base : `${base}/v1/exchange`;
      let answer;
      try {
        answer = await request(exchangeUrl, {
          method: 'POST',
          body: envelope,
          headers: { 'content-type': 'application/xml', accept: 'application/xml, application/problem+json' },
          headersTimeout: 30_000,
          bodyTimeout: 30_000,
        });
      } catch (error) {
        const reason = (error as { code?: string }).code ?? (error as Error).message;
        return failure(
          `cannot reach swx at ${exchangeUrl}: ${reason} (is it running? start it with swx serve, or give its address with --url or SWX_URL)`,
        );
      }
      const receiptText = await answer.body.text();
      const contentType = String(answer.headers['content-type'] ?? '');
      if (!contentType.includes('xml')) {
        const body = contentType.includes('json') && receiptText !== '' ? (JSON.parse(receiptText) as unknown) : receiptText;
        return failure(`${exchangeUrl} answered without a receipt: ${describeProblem({ status: answer.statusCode, body })}`);
      }

      const opened = openReceipt(receiptText, layout.gatewayCertificate(self.gatewayId));
      if ('error' in opened) return failure(`${exchangeUrl} answered HTTP ${answer.statusCode} with no readable receipt: ${opened.error}`);
      const { receipt, signature } = opened;
      const problems: string[] = [];
      if (signature !== 'valid') problems.push(`the receipt's signature does not verify: ${signature}`);
      if (receipt.messageId !== header.messageId)
        problems.push(`the receipt is for message ${receipt.messageId ?? '(none)'}, not ${header.messageId}`);
      if (receipt.envelopeDigest !== digest) problems.push('the receipt holds the digest of other bytes than those sent');

      if (values['print-receipt'] === true) io.stdout.write(receiptText.endsWith('\n') ? receiptText : `${receiptText}\n`);
      else {
        io.stdout.write(
          `sent ${header.documentType} from ${gateway.id} to ${self.gatewayId} at ${exchangeUrl}\n` +
            describeSent(header, digest, raw) +
            describeReceipt(receipt, answer.statusCode, {
              signature,
              certificate: layout.gatewayCertificate(self.gatewayId),
              self: self.gatewayId,
              header,
              digest,
            }),
        );
      }
      if (receipt.status === 'REJECTED') {
        const codes = receipt.errors.map((error) => error.code).join(', ') || 'no reason given';
        problems.unshift(`swx rejected the ${header.documentType} (${codes})`);
      }
      if (problems.length > 0) return failure(problems.join('; '));
      return 0;
    } catch (error) {
      if (isCoreError(error)) return failure(error.message);
      throw error;
    }
  },
};
export default simulateSend;

/**
 * Reads the document file as XML or JSON (by extension, else by its first character), validates it and writes
 * it canonically: the Body the signature covers with --canonical.
 */
function readDocument(
  file: string,
  text: string,
  given: DocumentCodec | undefined,
): { spec: DocumentCodec; bodyXml: string; isXml: boolean } | { usage: string } | { error: string } {
  const extension = extname(file).toLowerCase();
  const isXml = extension === '.xml' || (extension !== '.json' && text.trimStart().startsWith('<'));
  let spec = given;
  let input: () => unknown;
  if (isXml) {
    let parsed;
    try {
      parsed = parseXml(text);
    } catch (error) {
      if (isCoreError(error)) return { error: `${file}: ${error.message}` };
      throw error;
    }
    if (spec === undefined) {
      spec = codecForRoot(parsed.root, parsed.namespace);
      if (spec === undefined) {
        const root = `${parsed.root} in ${parsed.namespace ?? 'no namespace'}`;
        return { usage: `${file}: cannot tell the document type from its root element ${root}: give --type (${SUPPORTED})` };
      }
    }
    const xmlSpec = spec;
    input = () => xmlSpec.read(parsed);
  } else {
    if (spec === undefined) return { usage: `--type is required for a JSON document: one of ${SUPPORTED}` };
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      return { error: `${file}: not valid JSON: ${(error as Error).message}` };
    }
    const jsonSpec = spec;
    input = () => jsonSpec.validate(json);
  }
  try {
    return { spec, bodyXml: spec.write(input()), isXml };
  } catch (error) {
    if (!isCoreError(error) || error.code !== 'VALIDATION_FAILED') throw error;
    const count = error.issues.length;
    const fields = error.issues.map((issue) => `\n  ${issue.pointer || '/'}: ${issue.detail}`).join('');
    return { error: `${file} is not a valid ${spec.documentType} (${count} invalid field${count === 1 ? '' : 's'}); nothing was sent:${fields}` };
  }
}

/** Verifies the receipt with swx's certificate and reads it: from the signed bytes when it verifies, else as received. */
function openReceipt(text: string, certificatePath: string): { receipt: Receipt; signature: string } | { error: string } {
  let signature: string;
  let signedXml: string | undefined;
  try {
    const report = new XmlDsigVerifier().verify(text, readFileSync(certificatePath, 'utf8'));
    signedXml = report.signedXml;
    const failed = firstFailure(report);
    signature = report.outcome === 'VALID' ? 'valid' : `${failed?.reason?.code ?? report.outcome}: ${failed?.reason?.message ?? 'not valid'}`;
  } catch (error) {
    signature = `cannot check it with ${certificatePath}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
  }
  try {
    return { receipt: readReceipt(parseXml(signedXml ?? text)), signature };
  } catch (error) {
    if (!isCoreError(error)) throw error;
    const details = error.issues.map((issue) => `${issue.pointer || '/'}: ${issue.detail}`).join('; ');
    return { error: details === '' ? error.message : `${error.message}: ${details}` };
  }
}

function describeSent(header: EnvelopeHeader, digest: string, raw: boolean): string {
  return (
    `${label('message id')}${header.messageId}\n` +
    `${label('conversation')}${header.conversationId}\n` +
    (header.refToMessageId === undefined ? '' : `${label('answers')}${header.refToMessageId}\n`) +
    `${label('action')}${header.action}\n` +
    `${label('body')}${raw ? "the file's bytes as written (--raw)" : "written by swx's codec (--canonical)"}\n` +
    `${label('envelope digest')}sha256:${digest}\n`
  );
}

function describeReceipt(
  receipt: Receipt,
  httpStatus: number,
  sent: { signature: string; certificate: string; self: string; header: EnvelopeHeader; digest: string },
): string {
  const lines = [
    `receipt ${receipt.status} (HTTP ${httpStatus})`,
    `${label('signature')}${sent.signature === 'valid' ? `valid, by ${sent.self} (${sent.certificate})` : `NOT VALID: ${sent.signature}`}`,
    `${label('receipt id')}${receipt.receiptId}`,
    `${label('message id')}${receipt.messageId === sent.header.messageId ? `${receipt.messageId} (the message sent)` : `${receipt.messageId ?? '(none)'}: NOT the message sent`}`,
    `${label('ledger index')}${receipt.ledgerIndex ?? '-'}`,
    `${label('digest')}${receipt.envelopeDigest === sent.digest ? 'matches the envelope sent' : `DIFFERS from the envelope sent: sha256:${receipt.envelopeDigest}`}`,
    ...receipt.errors.map((error) => `${label('error')}${error.code}: ${error.message}`),
  ];
  return `${lines.join('\n')}\n`;
}
