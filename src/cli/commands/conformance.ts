import { readFileSync } from 'node:fs';
import { devPkiDir } from '../../adapters/crypto/dev-pki-layout.js';
import { ForgeCertificateVerifier } from '../../adapters/crypto/forge-certificate-verifier.js';
import { XmlDsigVerifier } from '../../adapters/crypto/xmldsig-verifier.js';
import { loadPartnerDirectory } from '../../adapters/partners/partner-directory.js';
import { xmlLimitsWith } from '../../adapters/xml/refuse-unsafe-xml.js';
import { createXmlParser } from '../../adapters/xml/xml-codec.js';
import { dataDirFrom, parseConfig, partnersDirFrom } from '../../config.js';
import type { DocumentType } from '../../core/document/document-type.js';
import { checkConformance, type ConformanceReport } from '../../core/exchange/check-conformance.js';
import { codecForType, ENVELOPE_DOCUMENT_TYPES } from '../../core/documents/document-table.js';
import type { GatewayIdentity } from '../../core/exchange/seal-outbound-message.js';
import { isCoreError } from '../../core/errors.js';
import type { CliCommand } from '../command.js';
import { parseCommandLine } from '../parse-command-line.js';

const COMMAND = 'swx conformance';

const usage = `Usage: swx conformance [--type <DOCUMENT_TYPE>] [--json] [--data-dir <DIR>] <file.xml>

Checks a signed envelope, or a business document alone, as swx would receive it on POST /v1/exchange, and
prints every check, one line each: its status (VALID, INVALID, WARNING, or SKIPPED when an earlier failure
left nothing to check), its name, where it looked (an XPath, or the partner file holding the trust), the
code swx refuses with, and under it each failing field by JSON pointer. Nothing is recorded or sent: it
works offline with the partner files (SWX_PARTNERS_DIR, else the shipped partners/) and the development
PKI of the data dir (DIR/pki), as swx itself trusts them; POST /v1/conformance does the same on a running swx.

An envelope (root Envelope in urn:swx:xsd:envelope:1) gets: xml.well-formed, envelope.schema,
sender.partner, signature.well-formed, signature.profile, signature.key-info, signature.digest,
signature.value, certificate.pinned, certificate.chain, certificate.validity, certificate.revocation,
sender.signer, envelope.addressee, envelope.time-window (SWX_ENVELOPE_WINDOW_SECONDS), document.type,
document.schema, and document.warnings when the document is accepted with warnings. Replays and
RefToMessageId depend on the exchange history and are checked on reception only. Any other document:
xml.well-formed, document.type (told by its root element, or --type), document.schema, document.warnings.

  --type TYPE         the type of a document sent alone: ${ENVELOPE_DOCUMENT_TYPES}
                      (an SPSCertificate is read as EPHYTO unless --type EAH)
  --json              print the report as JSON (as POST /v1/conformance answers)
  --data-dir DIR      the data dir holding the development PKI (default: $SWX_DATA_DIR, else ./data)

Exits 0 when every check is VALID, WARNING or SKIPPED, 1 when any is INVALID, 2 on a usage error or when
the check cannot run (unreadable file, partner files or PKI missing).

Examples:
  swx simulate send --partner TH --out envelope.xml message-schemas/ephyto/1/examples/valid-third-party-jaxb-prefixes.xml
  swx conformance envelope.xml
  swx conformance --json message-schemas/ephyto/1/examples/valid-odd-prefixes.xml`;

/** The status column is as wide as its longest value, the name column as the longest check name. */
const STATUS_WIDTH = 'INVALID'.length + 1;
const NAME_WIDTH = 'certificate.revocation'.length + 1;

/**
 * `swx conformance <file>`: the partner onboarding check, offline.
 * @example swx conformance envelope.xml
 */
const conformance: CliCommand = {
  name: 'conformance',
  usage,
  async run(argv, io) {
    const usageError = (message: string) => {
      io.stderr.write(`${COMMAND}: ${message} (see ${COMMAND} --help)\n`);
      return 2;
    };
    const parsed = parseCommandLine(
      COMMAND,
      argv,
      {
        options: { type: { type: 'string' }, json: { type: 'boolean' }, 'data-dir': { type: 'string' } },
        allowPositionals: true,
      },
      io,
    );
    if (!parsed) return 2;
    const { values } = parsed;
    const [file, ...extra] = parsed.positionals;
    if (file === undefined || extra.length > 0) return usageError('give exactly one XML file');
    let type: DocumentType | undefined;
    if (values.type !== undefined) {
      const chosen = codecForType(values.type);
      if ('error' in chosen) return usageError(`--type: ${chosen.error}`);
      type = chosen.codec.documentType;
    }
    const cannotRun = (message: string) => {
      io.stderr.write(`${COMMAND}: ${message}\n`);
      return 2;
    };
    let config;
    try {
      config = parseConfig(io.env);
    } catch (error) {
      return cannotRun((error as Error).message);
    }
    let xml: string;
    try {
      xml = readFileSync(file, 'utf8');
    } catch (error) {
      return cannotRun(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    const xmlLimits = xmlLimitsWith({
      maxDepth: config.SWX_XML_MAX_DEPTH,
      maxElements: config.SWX_XML_MAX_ELEMENTS,
      maxAttributes: config.SWX_XML_MAX_ATTRIBUTES,
      maxTextChars: config.SWX_XML_MAX_TEXT_CHARS,
    });
    let report: ConformanceReport;
    try {
      const partners = loadPartnerDirectory(partnersDirFrom(io.env), { pkiDir: devPkiDir(dataDirFrom(io.env, values['data-dir'])) });
      const self: GatewayIdentity = { gatewayId: config.SWX_GATEWAY_ID, country: config.SWX_GATEWAY_ID as GatewayIdentity['country'] };
      report = checkConformance(
        {
          partners,
          signatures: new XmlDsigVerifier({ xmlLimits }),
          certificates: new ForgeCertificateVerifier(),
          parseXml: createXmlParser(xmlLimits),
          clock: { now: () => new Date() },
          self,
          windowSeconds: config.SWX_ENVELOPE_WINDOW_SECONDS,
        },
        xml,
        type === undefined ? {} : { type },
      );
    } catch (error) {
      if (isCoreError(error)) return cannotRun(error.message);
      throw error;
    }
    io.stdout.write(values.json === true ? `${JSON.stringify(report, null, 2)}\n` : describeReport(file, report));
    return report.outcome === 'VALID' ? 0 : 1;
  },
};
export default conformance;

/** One line per check, its failing fields indented under it, and the verdict. */
function describeReport(file: string, report: ConformanceReport): string {
  const lines = report.checks.flatMap((check) => [
    `${check.status.padEnd(STATUS_WIDTH)} ${check.name.padEnd(NAME_WIDTH)} ${check.location}${check.code === undefined ? '' : `  ${check.code}: ${check.message ?? ''}`}`,
    ...check.findings.map((finding) => `${' '.repeat(STATUS_WIDTH + 3)}${finding.pointer || '/'}: ${finding.detail}`),
  ]);
  const count = (status: string) => report.checks.filter((check) => check.status === status).length;
  const what = [report.subject === 'ENVELOPE' ? 'envelope' : 'document', report.documentType, report.from === null ? null : `from ${report.from}`]
    .filter((part) => part !== null)
    .join(' ');
  const invalid = count('INVALID');
  const warnings = count('WARNING');
  const verdict =
    `${file}: ${what} ${report.outcome}` +
    ` (${report.checks.length} checks${invalid === 0 ? '' : `, ${invalid} invalid`}${warnings === 0 ? '' : `, ${warnings} warning${warnings === 1 ? '' : 's'}`})`;
  return `${[...lines, verdict].join('\n')}\n`;
}
