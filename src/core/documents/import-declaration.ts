import type { ImportDeclaration } from '../../../message-schemas/import-declaration/1/schema.js';
import type { DocumentDescriptor } from './document-descriptor.js';

/**
 * A trader's import declaration (POST /v1/declarations reads it with its own schema). It has no envelope codec:
 * `swx simulate send` and the conformance check do not take it.
 */
export const importDeclaration: DocumentDescriptor<ImportDeclaration, 'IMPORT_DECLARATION'> = {
  type: 'IMPORT_DECLARATION',
};
