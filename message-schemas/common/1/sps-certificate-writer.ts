import { element, escapeText } from '../../../src/core/xml/canonical-writer.js';
import {
  SPS_CERTIFICATE_NAMESPACE,
  SPS_RAM_NAMESPACE,
  SPS_UDT_NAMESPACE,
  type SpsAddress,
  type SpsCertificate,
  type SpsCountry,
  type SpsCountryMention,
  type SpsMeasure,
  type SpsParty,
  type SpsTradeLineItem,
} from './sps-certificate.js';

/**
 * Writes a valid SPS certificate as the UN/CEFACT SPSCertificate with the customary prefixes (rsm, ram, udt),
 * in the element order of sps-certificate-ram.xsd, already in exclusive-C14N form (each prefix declared on the
 * elements that first use it below an element of another namespace) so it can be signed as it is. All trade
 * line items go in one IncludedSPSConsignmentItem.
 * @example writeSpsCertificate(ephyto) // '<rsm:SPSCertificate xmlns:rsm="urn:un:unece:uncefact:data:standard:SPSCertificate:17">…'
 */
export function writeSpsCertificate(certificate: SpsCertificate): string {
  const c = certificate.consignment;
  const document =
    top('Name', certificate.name) +
    top('ID', certificate.certificateNumber) +
    top('TypeCode', certificate.typeCode) +
    top('StatusCode', certificate.statusCode) +
    ram('IssueDateTime', dateTimeString(certificate.issuedAt), {}, true) +
    (certificate.issuer === undefined ? '' : ram('IssuerSPSParty', party(certificate.issuer), {}, true)) +
    certificate.notes.map((note) => ram('IncludedSPSNote', text('Subject', note.subject) + texts('Content', note.contents), {}, true)).join('') +
    signatory(certificate) +
    certificate.referencedDocuments
      .map((reference) =>
        ram(
          'ReferenceSPSReferencedDocument',
          (reference.issuedAt === undefined ? '' : ram('IssueDateTime', dateTimeString(reference.issuedAt))) +
            text('TypeCode', reference.typeCode) +
            text('RelationshipTypeCode', reference.relationshipTypeCode) +
            text('ID', reference.id) +
            (reference.attachment === undefined
              ? ''
              : ram(
                  'AttachmentBinaryObject',
                  reference.attachment.content,
                  attributes({ filename: reference.attachment.filename, mimeCode: reference.attachment.mimeCode }),
                )) +
            text('Information', reference.information),
          {},
          true,
        ),
      )
      .join('');
  const consignment =
    (c.consignor === undefined ? '' : ram('ConsignorSPSParty', party(c.consignor), {}, true)) +
    ram('ConsigneeSPSParty', party(c.consignee), {}, true) +
    ram('ExportSPSCountry', country(c.exportCountry), {}, true) +
    ram('ImportSPSCountry', country(c.importCountry), {}, true) +
    c.transitCountries.map((transit) => ram('TransitSPSCountry', country(transit), {}, true)).join('') +
    (c.unloadingPort === undefined
      ? ''
      : ram('UnloadingBaseportSPSLocation', text('ID', c.unloadingPort.id) + text('Name', c.unloadingPort.name), {}, true)) +
    c.transportMovements
      .map((movement) =>
        ram(
          'MainCarriageSPSTransportMovement',
          text('ID', movement.id) +
            text('ModeCode', movement.modeCode) +
            (movement.transportMeans === undefined ? '' : ram('UsedSPSTransportMeans', text('Name', movement.transportMeans))),
          {},
          true,
        ),
      )
      .join('') +
    ram('IncludedSPSConsignmentItem', c.items.map(tradeLineItem).join(''), {}, true);
  return element(
    'rsm:SPSCertificate',
    { namespaces: { rsm: SPS_CERTIFICATE_NAMESPACE } },
    element('rsm:SPSExchangedDocument', {}, document) + element('rsm:SPSConsignment', {}, consignment),
  );
}

function signatory(certificate: SpsCertificate): string {
  const s = certificate.signatory;
  if (s === undefined) return '';
  const provider =
    s.authority === undefined && s.signer === undefined
      ? ''
      : ram('ProviderSPSParty', text('Name', s.authority) + (s.signer === undefined ? '' : ram('SpecifiedSPSPerson', text('Name', s.signer))));
  return ram(
    'SignatorySPSAuthentication',
    (s.signedAt === undefined ? '' : ram('ActualDateTime', dateTimeString(s.signedAt))) +
      (s.location === undefined ? '' : ram('IssueSPSLocation', text('Name', s.location))) +
      provider +
      s.clauses.map((clause) => ram('IncludedSPSClause', text('ID', clause.id) + texts('Content', clause.contents))).join(''),
    {},
    true,
  );
}

function tradeLineItem(item: SpsTradeLineItem): string {
  return ram(
    'IncludedSPSTradeLineItem',
    text('SequenceNumeric', String(item.sequence)) +
      texts('Description', item.descriptions) +
      texts('CommonName', item.commonNames) +
      texts('ScientificName', item.scientificNames) +
      measure('NetWeightMeasure', item.netWeight) +
      measure('GrossWeightMeasure', item.grossWeight) +
      item.classifications
        .map((classification) =>
          ram(
            'ApplicableSPSClassification',
            text('SystemID', classification.systemId) +
              text('SystemName', classification.systemName) +
              text('ClassCode', classification.classCode) +
              texts('ClassName', classification.classNames),
          ),
        )
        .join('') +
      item.packages
        .map((pack) =>
          ram(
            'PhysicalSPSPackage',
            text('LevelCode', pack.levelCode) +
              text('TypeCode', pack.typeCode) +
              text('ItemQuantity', pack.quantity === undefined ? undefined : decimalText(pack.quantity)),
          ),
        )
        .join('') +
      item.originCountries.map((origin) => ram('OriginSPSCountry', country(origin))).join('') +
      item.treatments
        .map((treatment) => {
          const period =
            (treatment.startedAt === undefined ? '' : ram('StartDateTime', dateTimeString(treatment.startedAt))) +
            (treatment.endedAt === undefined ? '' : ram('EndDateTime', dateTimeString(treatment.endedAt))) +
            measure('DurationMeasure', treatment.duration);
          return ram(
            'AppliedSPSProcess',
            text('TypeCode', treatment.typeCode) +
              (period === '' ? '' : ram('CompletionSPSPeriod', period)) +
              treatment.characteristics
                .map((characteristic) => ram('ApplicableSPSProcessCharacteristic', text('Description', characteristic)))
                .join(''),
          );
        })
        .join(''),
  );
}

function party(value: SpsParty): string {
  return (
    (value.id === undefined ? '' : ram('ID', escapeText(value.id), attributes({ schemeID: value.idScheme }))) +
    text('Name', value.name) +
    (value.address === undefined ? '' : ram('SpecifiedSPSAddress', address(value.address)))
  );
}

function address(value: SpsAddress): string {
  const lineNames = ['LineOne', 'LineTwo', 'LineThree', 'LineFour', 'LineFive'];
  return (
    text('PostcodeCode', value.postcode) +
    value.lines.map((line, index) => text(lineNames[index] ?? 'LineFive', line)).join('') +
    text('CityName', value.cityName) +
    text('CountryID', value.countryId)
  );
}

function country(value: SpsCountry | SpsCountryMention): string {
  return text('ID', value.id) + text('Name', value.name);
}

function measure(name: string, value: SpsMeasure | undefined): string {
  if (value === undefined) return '';
  return ram(name, value.value === undefined ? '' : decimalText(value.value), attributes({ unitCode: value.unitCode }));
}

function dateTimeString(value: string): string {
  return element('udt:DateTimeString', { namespaces: { udt: SPS_UDT_NAMESPACE } }, escapeText(value));
}

/** A ram element; `declare` puts the ram namespace on it, for the children of an rsm element. */
function ram(name: string, content: string, attributeValues: Readonly<Record<string, string>> = {}, declare = false): string {
  return element(`ram:${name}`, { ...(declare ? { namespaces: { ram: SPS_RAM_NAMESPACE } } : {}), attributes: attributeValues }, content);
}

function top(name: string, value: string | undefined): string {
  return value === undefined ? '' : ram(name, escapeText(value), {}, true);
}

function text(name: string, value: string | undefined): string {
  return value === undefined ? '' : ram(name, escapeText(value));
}

function texts(name: string, values: readonly string[]): string {
  return values.map((value) => text(name, value)).join('');
}

function attributes(values: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) if (value !== undefined) out[name] = value;
  return out;
}

/** xs:decimal has no exponent: 1e-7 is written 0.0000001. */
function decimalText(value: number): string {
  const written = String(value);
  return written.includes('e') ? value.toFixed(20).replace(/\.?0+$/, '') : written;
}
