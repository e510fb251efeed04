import { exportDeclarationSpec, type ExportDeclaration } from '../../../message-schemas/export-declaration/1/schema.js';
import { codecOfSpec } from '../document/document-codec.js';
import type { DocumentDescriptor } from './document-descriptor.js';

/** A trader's export declaration (POST /v1/declarations); it has an envelope codec for `swx simulate send` and conformance checks. */
export const exportDeclaration: DocumentDescriptor<ExportDeclaration, 'EXPORT_DECLARATION'> = {
  type: 'EXPORT_DECLARATION',
  codec: codecOfSpec(exportDeclarationSpec),
};
