import { z } from 'zod';
import { Channel } from '../declaration/declaration.js';
import { CurrencyCode, VietnamTaxId } from '../../../message-schemas/common/1/common-types.js';

/** The channel a matching rule sends a declaration to: a rule can only make clearance stricter. */
const Escalation = z.enum(['YELLOW', 'RED']);
const RuleId = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { error: 'expected a kebab-case rule id' });
/** An HS chapter (2 digits), heading (4), subheading (6) or tariff line (8 to 10): matches codes it begins. */
const HsPrefix = z.string().regex(/^[0-9]{2,10}$/, { error: 'expected 2 to 10 digits of an HS code' });
const Explanation = z.string().min(1);

/**
 * The clearance channel rules, as data (design.md 1): a default channel, and rules that each send a
 * matching declaration to yellow or red. The shipped set is default-channel-rules.json beside this file;
 * an operator may point SWX_CHANNEL_RULES at another file with the same shape.
 * @example const rules = ChannelRules.parse(JSON.parse(text))
 */
export const ChannelRules = z
  .strictObject({
    defaultChannel: Channel,
    /** Goods that need a closer look whatever the paperwork, by HS prefix. */
    sensitiveGoods: z.array(z.strictObject({ id: RuleId, hsPrefixes: z.array(HsPrefix).min(1), channel: Escalation, description: Explanation })),
    /**
     * Traders under a risk alert, by tax id; a 10-digit id also covers its branches (13 digits beginning with it).
     * Checked against the exporter, the declaring agent and the submitting party.
     */
    flaggedTraders: z.array(z.strictObject({ id: RuleId, taxIds: z.array(VietnamTaxId), channel: Escalation, description: Explanation })),
    /** Applies when the runtime tells that customs has no record of the exporter. */
    unknownExporter: z.strictObject({ id: RuleId, channel: Escalation, description: Explanation }).optional(),
    /** Total customs value (sum of the items') strictly above `above`, for declarations invoiced in `currency`. */
    valueThresholds: z.array(
      z.strictObject({ id: RuleId, currency: CurrencyCode, above: z.number().nonnegative(), channel: Escalation, description: Explanation }),
    ),
    /** Goods that must travel with one of the listed certificate types (UN/EDIFACT 1001 codes). */
    requiredCertificates: z.array(
      z.strictObject({
        id: RuleId,
        hsPrefixes: z.array(HsPrefix).min(1),
        certificateTypeCodes: z.array(z.string().regex(/^[0-9A-Z]{1,3}$/)).min(1),
        channel: Escalation,
        description: Explanation,
        /**
         * For imports: the electronic certificate swx receives for these goods (an ePhyto or e-AH from the exporting
         * country's gateway) and the national agency competent to accept it (partners/ id). `channel` applies when
         * the agency rejects it.
         */
        documentType: z.enum(['EPHYTO', 'EAH']).optional(),
        agency: z
          .string()
          .regex(/^[A-Z]{2}(-[A-Z0-9]+)+$/, { error: 'expected an agency id such as VN-PPD' })
          .optional(),
      }),
    ),
    /** Import declarations claiming the ATIGA preferential tariff: the channel when it is denied in whole or in part. */
    preferenceOutcomes: z
      .array(z.strictObject({ id: RuleId, outcome: z.enum(['DENIED', 'PARTLY_GRANTED']), channel: Escalation, description: Explanation }))
      .optional(),
  })
  .superRefine((rules, context) => {
    // Reasons name their rule, so an officer must be able to tell which one fired.
    const ids = [
      ...rules.sensitiveGoods.map((rule, index) => ({ id: rule.id, path: ['sensitiveGoods', index, 'id'] })),
      ...rules.flaggedTraders.map((rule, index) => ({ id: rule.id, path: ['flaggedTraders', index, 'id'] })),
      ...(rules.unknownExporter ? [{ id: rules.unknownExporter.id, path: ['unknownExporter', 'id'] }] : []),
      ...rules.valueThresholds.map((rule, index) => ({ id: rule.id, path: ['valueThresholds', index, 'id'] })),
      ...rules.requiredCertificates.map((rule, index) => ({ id: rule.id, path: ['requiredCertificates', index, 'id'] })),
      ...(rules.preferenceOutcomes ?? []).map((rule, index) => ({ id: rule.id, path: ['preferenceOutcomes', index, 'id'] })),
    ];
    const seen = new Set<string>();
    for (const { id, path } of ids) {
      if (seen.has(id)) context.addIssue({ code: 'custom', path, message: `rule id "${id}" is used twice`, input: id });
      seen.add(id);
    }
  });
export type ChannelRules = z.infer<typeof ChannelRules>;
