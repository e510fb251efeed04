import { CoreError } from '../errors.js';
import { checkMandateStanding, type MandateDocumentType, type MandateStore } from '../mandate/mandate.js';

/** What the binding reads of a validated declaration: the party it is filed for and the declaring agent it names. */
export interface FiledDeclaration {
  readonly documentType: MandateDocumentType;
  /** `exporter` of an export declaration, `importer` of an import declaration. */
  readonly role: 'exporter' | 'importer';
  readonly principalTaxId: string;
  readonly declaringAgentTaxId: string | undefined;
}

/**
 * Checks that a key's party may file this declaration (design.md 3.2), before anything is written: it is the
 * exporter (export) or importer (import) itself, or the declaring agent the declaration names, holding a mandate from
 * that party valid now for this type. Otherwise FORBIDDEN (403), naming the field by JSON pointer.
 * @example await checkFilingParty(mandates, '0312345678', { documentType: 'EXPORT_DECLARATION', role: 'exporter', principalTaxId: '0301234567', declaringAgentTaxId: '0312345678' }, now)
 */
export async function checkFilingParty(mandates: MandateStore, filer: string, declaration: FiledDeclaration, at: Date): Promise<void> {
  const { role, principalTaxId, declaringAgentTaxId } = declaration;
  if (filer === principalTaxId) return;
  const held = await mandates.listBetween(filer, principalTaxId);
  const standings = held.map((mandate) => ({ mandate, standing: checkMandateStanding(mandate, at, declaration.documentType) }));
  if (!standings.some(({ standing }) => standing.active)) {
    const latest = standings.at(-1);
    const why =
      latest === undefined || latest.standing.active
        ? `holds no mandate from it`
        : `holds no mandate from it valid now: mandate ${latest.mandate.id} ${latest.standing.reason}`;
    throw forbidden(
      `/${role}/taxId`,
      `party ${filer} may not file a declaration in the name of ${role} ${principalTaxId}: it is not that ${role} and ${why}`,
    );
  }
  if (declaringAgentTaxId !== filer) {
    throw forbidden(
      declaringAgentTaxId === undefined ? '/declaringAgent' : '/declaringAgent/taxId',
      `party ${filer} files for ${role} ${principalTaxId} under its mandate, so the declaration must name it as the declaring agent` +
        (declaringAgentTaxId === undefined ? '' : `, not ${declaringAgentTaxId}`),
    );
  }
}

function forbidden(pointer: string, detail: string): CoreError {
  return new CoreError('FORBIDDEN', detail, { issues: [{ pointer, detail }] });
}
