import { CoreError, type FieldIssue } from '../../../src/core/errors.js';
import { XML_NAMESPACE, type ParsedXml, type XmlElement, type XmlValue } from '../../../src/core/xml/parsed-xml.js';
import { SPS_CERTIFICATE_NAMESPACE, SPS_RAM_NAMESPACE } from './sps-certificate.js';

/**
 * Reads a parsed SPSCertificate (src/adapters/xml/xml-codec.ts: local names, each element object's namespace
 * under XML_NAMESPACE, so any prefixes, default namespaces included) into the JSON shape of sps-certificate.ts,
 * not yet validated, with the structural issues found on the way:
 * - the root must be SPSCertificate in the SPSCertificate:17 namespace (else VALIDATION_FAILED at once);
 * - SPSExchangedDocument and SPSConsignment must be in that namespace, every aggregate inside them in the RABIE
 *   :21 namespace (the codec keeps no namespace for a text-only element, so leaves are read by local name);
 * - an element swx reads once may occur once;
 * - empty optional elements (`<ram:Name/>`, an empty `udt:DateTimeString`) are absent; elements swx does not
 *   read are ignored, as the hub tolerates the standard's other elements and extensions.
 * Missing required parts are left out for the schema to report by JSON pointer.
 * @example validateWithIssues(Ephyto, ...Object.values(readSpsCertificate(parseXml(xml))))
 */
export function readSpsCertificate(parsed: ParsedXml): { readonly fields: unknown; readonly issues: readonly FieldIssue[] } {
  if (parsed.root !== 'SPSCertificate' || parsed.namespace !== SPS_CERTIFICATE_NAMESPACE) {
    const found = `${parsed.root} in ${parsed.namespace === undefined ? 'no namespace' : `namespace ${parsed.namespace}`}`;
    throw new CoreError('VALIDATION_FAILED', 'not an SPS certificate', {
      issues: [{ pointer: '', detail: `the root element is ${found}; expected SPSCertificate in namespace ${SPS_CERTIFICATE_NAMESPACE}` }],
    });
  }
  const reader = new Reader();
  const root = reader.aggregate(parsed.value, '', SPS_CERTIFICATE_NAMESPACE) ?? {};
  const document = reader.aggregate(reader.one(root, 'SPSExchangedDocument', ''), '', SPS_CERTIFICATE_NAMESPACE);
  const consignment = reader.aggregate(reader.one(root, 'SPSConsignment', '/consignment'), '/consignment', SPS_CERTIFICATE_NAMESPACE);
  const fields = document === undefined ? {} : reader.exchangedDocument(document);
  return {
    fields: { ...fields, ...(consignment === undefined ? {} : { consignment: reader.consignment(consignment, '/consignment') }) },
    issues: reader.issues,
  };
}

type Fields = Record<string, unknown>;

class Reader {
  readonly issues: FieldIssue[] = [];

  exchangedDocument(document: XmlElement): Fields {
    const signatory = this.one(document, 'SignatorySPSAuthentication', '/signatory');
    return compact({
      certificateNumber: this.text(this.one(document, 'ID', '/certificateNumber')),
      name: this.text(this.one(document, 'Name', '/name')),
      typeCode: intCode(this.text(this.one(document, 'TypeCode', '/typeCode'))),
      statusCode: intCode(this.text(this.one(document, 'StatusCode', '/statusCode'))),
      issuedAt: this.dateTime(this.one(document, 'IssueDateTime', '/issuedAt'), '/issuedAt'),
      issuer: nothingToNone(this.party(this.one(document, 'IssuerSPSParty', '/issuer'), '/issuer')),
      notes: this.list(document, 'IncludedSPSNote', '/notes', (note, at) => this.note(note, at)),
      signatory: signatory === undefined ? undefined : this.signatory(signatory, '/signatory'),
      referencedDocuments: this.list(document, 'ReferenceSPSReferencedDocument', '/referencedDocuments', (reference, at) =>
        this.referencedDocument(reference, at),
      ),
    });
  }

  consignment(consignment: XmlElement, at: string): Fields {
    const unloading = this.one(consignment, 'UnloadingBaseportSPSLocation', `${at}/unloadingPort`);
    const items: unknown[] = [];
    // The trade line items of every consignment item, as one list.
    for (const value of this.many(consignment, 'IncludedSPSConsignmentItem')) {
      const element = this.aggregate(value, `${at}/items`, SPS_RAM_NAMESPACE);
      if (element === undefined) continue;
      for (const line of this.many(element, 'IncludedSPSTradeLineItem')) items.push(this.tradeLineItem(line, `${at}/items/${items.length}`));
    }
    return compact({
      consignor: nothingToNone(this.party(this.one(consignment, 'ConsignorSPSParty', `${at}/consignor`), `${at}/consignor`)),
      consignee: this.party(this.one(consignment, 'ConsigneeSPSParty', `${at}/consignee`), `${at}/consignee`),
      exportCountry: this.country(this.one(consignment, 'ExportSPSCountry', `${at}/exportCountry`), `${at}/exportCountry`),
      importCountry: this.country(this.one(consignment, 'ImportSPSCountry', `${at}/importCountry`), `${at}/importCountry`),
      transitCountries: this.list(consignment, 'TransitSPSCountry', `${at}/transitCountries`, (country, path) =>
        nothingToNone(this.country(country, path)),
      ),
      unloadingPort: unloading === undefined ? undefined : this.location(unloading, `${at}/unloadingPort`),
      transportMovements: this.list(consignment, 'MainCarriageSPSTransportMovement', `${at}/transportMovements`, (movement, path) =>
        this.transportMovement(movement, path),
      ),
      items: items.length === 0 ? undefined : items,
    });
  }

  party(value: XmlValue | undefined, at: string): Fields | undefined {
    const party = this.aggregate(value, at, SPS_RAM_NAMESPACE);
    if (party === undefined) return undefined;
    const id = this.one(party, 'ID', `${at}/id`);
    const text = this.text(id);
    return compact({
      id: text,
      idScheme: text === undefined ? undefined : attribute(id, 'schemeID'),
      name: this.text(this.one(party, 'Name', `${at}/name`)),
      address: this.address(this.one(party, 'SpecifiedSPSAddress', `${at}/address`), `${at}/address`),
    });
  }

  address(value: XmlValue | undefined, at: string): Fields | undefined {
    const address = this.aggregate(value, at, SPS_RAM_NAMESPACE);
    if (address === undefined) return undefined;
    const lines = ['LineOne', 'LineTwo', 'LineThree', 'LineFour', 'LineFive']
      .map((name) => this.text(this.one(address, name, `${at}/lines`)))
      .filter((line) => line !== undefined);
    return nothingToNone(
      compact({
        lines,
        postcode: this.text(this.one(address, 'PostcodeCode', `${at}/postcode`)),
        cityName: this.text(this.one(address, 'CityName', `${at}/cityName`)),
        countryId: this.text(this.one(address, 'CountryID', `${at}/countryId`)),
      }),
    );
  }

  country(value: XmlValue | undefined, at: string): Fields | undefined {
    const country = this.aggregate(value, at, SPS_RAM_NAMESPACE);
    if (country === undefined) return undefined;
    return compact({ id: this.text(this.one(country, 'ID', `${at}/id`)), name: this.text(this.one(country, 'Name', `${at}/name`)) });
  }

  location(value: XmlValue, at: string): Fields | undefined {
    const location = this.aggregate(value, at, SPS_RAM_NAMESPACE);
    if (location === undefined) return undefined;
    return nothingToNone(compact({ id: this.text(this.one(location, 'ID', `${at}/id`)), name: this.text(this.one(location, 'Name', `${at}/name`)) }));
  }

  note(value: XmlValue, at: string): Fields | undefined {
    const note = this.aggregate(value, at, SPS_RAM_NAMESPACE);
    if (note === undefined) return undefined;
    return nothingToNone(compact({ subject: this.text(this.one(note, 'Subject', `${at}/subject`)), contents: this.texts(note, 'Content') }));
  }

  signatory(value: XmlValue, at: string): Fields | undefined {
    const signatory = this.aggregate(value, at, SPS_RAM_NAMESPACE);
    if (signatory === undefined) return undefined;
    const location = this.aggregate(this.one(signatory, 'IssueSPSLocation', `${at}/location`), `${at}/location`, SPS_RAM_NAMESPACE);
    const provider = this.aggregate(this.one(signatory, 'ProviderSPSParty', `${at}/authority`), `${at}/authority`, SPS_RAM_NAMESPACE);
    const person = provider && this.aggregate(this.one(provider, 'SpecifiedSPSPerson', `${at}/signer`), `${at}/signer`, SPS_RAM_NAMESPACE);
    return nothingToNone(
      compact({
        signedAt: this.dateTime(this.one(signatory, 'ActualDateTime', `${at}/signedAt`), `${at}/signedAt`),
        location: location && this.text(this.one(location, 'Name', `${at}/location`)),
        authority: provider && this.text(this.one(provider, 'Name', `${at}/authority`)),
        signer: person && this.text(this.one(person, 'Name', `${at}/signer`)),
        clauses: this.list(signatory, 'IncludedSPSClause', `${at}/clauses`, (clause, path) => {
          const element = this.aggregate(clause, path, SPS_RAM_NAMESPACE);
          return element && compact({ id: this.text(this.one(element, 'ID', `${path}/id`)), contents: this.texts(element, 'Content') });
        }),
      }),
    );
  }

  referencedDocument(value: XmlValue, at: string): Fields | undefined {
    const reference = this.aggregate(value, at, SPS_RAM_NAMESPACE);
    if (reference === undefined) return undefined;
    const binary = this.one(reference, 'AttachmentBinaryObject', `${at}/attachment`);
    const content = this.text(binary);
    return nothingToNone(
      compact({
        id: this.text(this.one(reference, 'ID', `${at}/id`)),
        typeCode: this.text(this.one(reference, 'TypeCode', `${at}/typeCode`)),
        relationshipTypeCode: this.text(this.one(reference, 'RelationshipTypeCode', `${at}/relationshipTypeCode`)),
        issuedAt: this.dateTime(this.one(reference, 'IssueDateTime', `${at}/issuedAt`), `${at}/issuedAt`),
        information: this.text(this.one(reference, 'Information', `${at}/information`)),
        attachment:
          content === undefined
            ? undefined
            : compact({
                filename: attribute(binary, 'filename'),
                mimeCode: attribute(binary, 'mimeCode'),
                // base64 may be wrapped in lines; the JSON form has no white space.
                content: typeof content === 'string' ? content.replace(/\s+/g, '') : content,
              }),
      }),
    );
  }

  transportMovement(value: XmlValue, at: string): Fields | undefined {
    const movement = this.aggregate(value, at, SPS_RAM_NAMESPACE);
    if (movement === undefined) return undefined;
    const means = this.aggregate(this.one(movement, 'UsedSPSTransportMeans', `${at}/transportMeans`), `${at}/transportMeans`, SPS_RAM_NAMESPACE);
    return nothingToNone(
      compact({
        id: this.text(this.one(movement, 'ID', `${at}/id`)),
        modeCode: this.text(this.one(movement, 'ModeCode', `${at}/modeCode`)),
        transportMeans: means && this.text(this.one(means, 'Name', `${at}/transportMeans`)),
      }),
    );
  }

  tradeLineItem(value: XmlValue, at: string): Fields | undefined {
    const item = this.aggregate(value, at, SPS_RAM_NAMESPACE);
    if (item === undefined) return undefined;
    return compact({
      sequence: xsInt(this.text(this.one(item, 'SequenceNumeric', `${at}/sequence`))),
      descriptions: this.texts(item, 'Description'),
      commonNames: this.texts(item, 'CommonName'),
      scientificNames: this.texts(item, 'ScientificName'),
      netWeight: this.measure(this.one(item, 'NetWeightMeasure', `${at}/netWeight`)),
      grossWeight: this.measure(this.one(item, 'GrossWeightMeasure', `${at}/grossWeight`)),
      classifications: this.list(item, 'ApplicableSPSClassification', `${at}/classifications`, (classification, path) => {
        const element = this.aggregate(classification, path, SPS_RAM_NAMESPACE);
        return (
          element &&
          nothingToNone(
            compact({
              systemId: this.text(this.one(element, 'SystemID', `${path}/systemId`)),
              systemName: this.text(this.one(element, 'SystemName', `${path}/systemName`)),
              classCode: this.text(this.one(element, 'ClassCode', `${path}/classCode`)),
              classNames: this.texts(element, 'ClassName'),
            }),
          )
        );
      }),
      packages: this.list(item, 'PhysicalSPSPackage', `${at}/packages`, (pack, path) => {
        const element = this.aggregate(pack, path, SPS_RAM_NAMESPACE);
        return (
          element &&
          nothingToNone(
            compact({
              levelCode: this.text(this.one(element, 'LevelCode', `${path}/levelCode`)),
              typeCode: this.text(this.one(element, 'TypeCode', `${path}/typeCode`)),
              quantity: xsDouble(this.text(this.one(element, 'ItemQuantity', `${path}/quantity`))),
            }),
          )
        );
      }),
      originCountries: this.list(item, 'OriginSPSCountry', `${at}/originCountries`, (country, path) => nothingToNone(this.country(country, path))),
      treatments: this.list(item, 'AppliedSPSProcess', `${at}/treatments`, (process, path) => this.treatment(process, path)),
    });
  }

  treatment(value: XmlValue, at: string): Fields | undefined {
    const process = this.aggregate(value, at, SPS_RAM_NAMESPACE);
    if (process === undefined) return undefined;
    const period = this.aggregate(this.one(process, 'CompletionSPSPeriod', at), at, SPS_RAM_NAMESPACE);
    const characteristics = this.many(process, 'ApplicableSPSProcessCharacteristic').flatMap((characteristic) => {
      const element = this.aggregate(characteristic, `${at}/characteristics`, SPS_RAM_NAMESPACE);
      return element === undefined ? [] : this.texts(element, 'Description');
    });
    return nothingToNone(
      compact({
        typeCode: this.text(this.one(process, 'TypeCode', `${at}/typeCode`)),
        startedAt: period && this.dateTime(this.one(period, 'StartDateTime', `${at}/startedAt`), `${at}/startedAt`),
        endedAt: period && this.dateTime(this.one(period, 'EndDateTime', `${at}/endedAt`), `${at}/endedAt`),
        duration: period && this.measure(this.one(period, 'DurationMeasure', `${at}/duration`)),
        characteristics,
      }),
    );
  }

  measure(value: XmlValue | undefined): Fields | undefined {
    if (value === undefined) return undefined;
    const text = this.text(value);
    if (text === undefined && attribute(value, 'unitCode') === undefined) return undefined;
    return nothingToNone(compact({ value: xsDouble(text), unitCode: attribute(value, 'unitCode') }));
  }

  /** A date-time element: its udt:DateTimeString or udt:DateTime, or its own text. */
  dateTime(value: XmlValue | undefined, at: string): unknown {
    if (value === undefined || typeof value === 'string') return value === undefined ? undefined : nonBlank(value);
    const element = this.aggregate(value, at, SPS_RAM_NAMESPACE);
    if (element === undefined) return undefined;
    const inner = this.one(element, 'DateTimeString', at) ?? this.one(element, 'DateTime', at);
    return inner === undefined ? this.text(element['#text']) : this.text(inner);
  }

  /** An aggregate's children, checking its namespace; undefined (with an issue unless empty) when it is not one. */
  aggregate(value: XmlValue | undefined, at: string, namespace: string): XmlElement | undefined {
    if (value === undefined) return undefined;
    if (value === '') return {};
    if (typeof value === 'string' || Array.isArray(value)) {
      this.issue(at, 'expected child elements');
      return undefined;
    }
    const element = value as XmlElement;
    const found = element[XML_NAMESPACE];
    if (found !== namespace)
      this.issue(at, `the element is in ${found === undefined ? 'no namespace' : `namespace ${found}`}; expected ${namespace}`);
    return element;
  }

  /** The one child of that name; a repeated one is an issue, and the first is read. */
  one(parent: XmlElement, name: string, at: string): XmlValue | undefined {
    const value = parent[name];
    if (!Array.isArray(value)) return value;
    this.issue(at, `${name} may occur only once`);
    return (value as readonly XmlValue[])[0];
  }

  many(parent: XmlElement, name: string): readonly XmlValue[] {
    const value = parent[name];
    if (value === undefined) return [];
    return Array.isArray(value) ? (value as readonly XmlValue[]) : [value];
  }

  /** Each child of that name read by `read`, the empty ones left out. */
  list(parent: XmlElement, name: string, at: string, read: (value: XmlValue, at: string) => unknown): unknown[] {
    const out: unknown[] = [];
    for (const value of this.many(parent, name)) {
      const item = read(value, `${at}/${out.length}`);
      if (item !== undefined) out.push(item);
    }
    return out;
  }

  /** The non-empty texts of repeated text elements (a Description per language). */
  texts(parent: XmlElement, name: string): unknown[] {
    return this.many(parent, name)
      .map((value) => this.text(value))
      .filter((text) => text !== undefined);
  }

  /**
   * A text element's text (attributes aside), undefined when empty or blank (white space of any kind, as in
   * `<ram:Name>&#x3000;</ram:Name>`: the schema trims); an element with children is returned as it is for the schema to refuse.
   */
  text(value: XmlValue | undefined): unknown {
    if (value === undefined) return undefined;
    if (typeof value === 'string') return nonBlank(value);
    if (Array.isArray(value)) return value;
    const element = value as XmlElement;
    const names = Object.keys(element).filter((name) => !name.startsWith('@_'));
    if (names.length === 0) return undefined;
    const text = element['#text'];
    return names.length === 1 && typeof text === 'string' ? nonBlank(text) : value;
  }

  issue(pointer: string, detail: string): void {
    this.issues.push({ pointer, detail });
  }
}

function nonBlank(text: string): string | undefined {
  return text.trim() === '' ? undefined : text;
}

function attribute(value: XmlValue | undefined, name: string): string | undefined {
  if (value === undefined || typeof value === 'string' || Array.isArray(value)) return undefined;
  const found = (value as XmlElement)[`@_${name}`];
  return typeof found === 'string' ? nonBlank(found) : undefined;
}

/** An xs:double's value (`5`, `-0.5`, `4.5E3`, `.5`); undefined for INF, -INF and NaN, which are no quantity; other text as it is, for the schema to refuse. */
function xsDouble(text: unknown): unknown {
  if (typeof text !== 'string') return text;
  if (/^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(text)) {
    const value = Number(text);
    return Number.isFinite(value) ? value : undefined;
  }
  return /^([+-]?INF|NaN)$/.test(text) ? undefined : text;
}

/** An xs:int's value (`0`, `+7`, `007`, `-1`); other text as it is, for the schema to refuse. */
function xsInt(text: unknown): unknown {
  return typeof text === 'string' && /^[+-]?[0-9]+$/.test(text) ? Number(text) : text;
}

/** A code list value written as an xs:int (`851`, `0851`, `+851`) in its canonical form (`851`); other text as it is. */
function intCode(text: unknown): unknown {
  const value = xsInt(text);
  return typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : text;
}

/** The fields without the undefined ones, so strict objects with exact optional properties accept them. */
function compact(fields: Fields): Fields {
  const out: Fields = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) out[key] = value;
  return out;
}

/** Undefined when every field is absent or an empty list: an aggregate left empty, as hub documents leave them. */
function nothingToNone(fields: Fields | undefined): Fields | undefined {
  return fields === undefined || Object.values(fields).every((value) => Array.isArray(value) && value.length === 0) ? undefined : fields;
}
