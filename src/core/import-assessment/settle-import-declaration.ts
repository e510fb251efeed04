import { ChangeBuilder } from '../exchange/change-builder.js';
import type { DocumentGuard, ExchangeChange } from '../exchange/exchange-store.js';
import type { Certificate } from '../certificate/certificate.js';
import { clearImport, type ImportClearance } from './clear-import.js';
import type { AssessedDeclaration, RequirementDeps } from './document-requirement.js';
import type { ImportAssessment, RequirementResult } from './import-assessment.js';
import { readGuards } from './read-guards.js';
import type { PreferenceDecision } from './preference-decision.js';
import { documentRequirements } from './document-requirements.js';

/** What assessing an import declaration's documents decided, before anything is committed. */
export interface Settlement extends ImportClearance {
  readonly assessment: ImportAssessment;
  /** Certificates the decisions changed (utilisation), as they are after them. */
  readonly certificates: readonly Certificate[];
  /** The guards read before the certificates were: the commit must carry them. */
  readonly guards: readonly DocumentGuard[];
  /** What final decisions send or record (events bound to the declaration, business responses), in order. */
  readonly effects: ExchangeChange;
}

/**
 * Assesses an import declaration against every document requirement (document-requirements.ts).
 * 1. Guard keys are read first, then each applicable requirement's candidate certificates, with `pending`
 *    (certificates of the same commit, not yet stored) in place of their stored copies.
 * 2. A requirement whose earlier results hold no AWAITED keeps them; the others are evaluated afresh.
 * 3. A newly final outcome brings its effects (e-Form D: PREFERENCE_DECIDED and the status sent back).
 * 4. Status and channel follow from the rules and the results (clear-import.ts).
 * @example const settlement = await settleImportDeclaration(deps, declaration, await deps.store.getAssessment(id), [])
 */
export async function settleImportDeclaration(
  deps: RequirementDeps,
  declaration: AssessedDeclaration,
  previous: ImportAssessment | undefined,
  pending: readonly Certificate[],
): Promise<Settlement> {
  const at = deps.clock.now().toISOString();
  const applicable = documentRequirements.filter((requirement) => requirement.applies(declaration.document, deps.rules));
  const guards = await readGuards(
    deps.store,
    applicable.flatMap((requirement) => requirement.guardKeys(declaration.document)),
  );
  const results: RequirementResult[] = [];
  const changed = new Map<string, Certificate>();
  let preference: PreferenceDecision | undefined = previous?.preference;
  const effects = new ChangeBuilder();

  for (const requirement of applicable) {
    const earlier = previous?.requirements.filter((result) => result.requirement === requirement.name) ?? [];
    if (earlier.length > 0 && earlier.every((result) => result.state !== 'AWAITED')) {
      results.push(...earlier);
      continue;
    }
    const stored = await requirement.candidates(deps.store, declaration.document);
    const fresh = [...pending, ...changed.values()];
    const certificates = [...stored.filter((certificate) => !fresh.some((newer) => newer.id === certificate.id)), ...fresh];
    const outcome = requirement.evaluate({ declaration, rules: deps.rules, certificates, country: deps.self.country, at });
    results.push(...outcome.results);
    if (outcome.results.some((result) => result.state === 'AWAITED')) continue;
    if (outcome.preference) preference = outcome.preference;
    for (const certificate of outcome.certificates ?? []) changed.set(certificate.id, certificate);
    effects.include(await requirement.effects?.(deps, declaration, outcome, at));
  }

  const clearance = clearImport(declaration.document, deps.rules, declaration.partyId, results);
  return {
    ...clearance,
    assessment: { declarationId: declaration.id, requirements: results, preference, updatedAt: at },
    certificates: [...changed.values()],
    guards,
    effects: effects.build(),
  };
}
