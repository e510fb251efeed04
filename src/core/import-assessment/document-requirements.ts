import type { DocumentRequirement } from './document-requirement.js';
import { formDRequirement } from '../preference/form-d-requirement.js';
import { spsRequirement } from './sps-requirement.js';

/**
 * Every document requirement an import declaration is assessed against, in order. Add a requirement here to
 * make imports depend on another certificate type.
 */
export const documentRequirements: readonly DocumentRequirement[] = [formDRequirement, spsRequirement];
