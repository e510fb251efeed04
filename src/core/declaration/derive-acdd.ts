import type { Acdd } from '../../../message-schemas/acdd/1/schema.js';
import type { ExportDeclaration } from '../../../message-schemas/export-declaration/1/schema.js';

/**
 * Derives the ACDD (the fifteen agreed data elements) from a validated export declaration and the number
 * customs gave it. Items keep their order; their serial numbers count from 1.
 * @example const acdd = deriveAcdd(declaration, formatDeclarationNumber({ kind: 'EXPORT', year: 2026, sequence: 1 }))
 */
export function deriveAcdd(declaration: ExportDeclaration, declarationNumber: string): Acdd {
  const agent = declaration.declaringAgent;
  return {
    exportDeclarationNumber: declarationNumber,
    exporter: { id: declaration.exporter.taxId, name: declaration.exporter.name },
    consignee: { name: declaration.consignee.name, address: declaration.consignee.address },
    ...(agent === undefined ? {} : { declaringAgent: { id: agent.taxId, name: agent.name } }),
    departureDate: declaration.departureDate,
    outwardTransportMode: declaration.outwardTransportMode,
    portOfDischarge: declaration.portOfDischarge,
    items: declaration.items.map((item, index) => ({
      serialNumber: index + 1,
      hsCode: item.hsCode,
      quantity: item.quantity,
      unit: item.unit,
      countryOfOrigin: item.countryOfOrigin,
    })),
  };
}
