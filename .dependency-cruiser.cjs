// Import boundaries, checked by `npm run check:boundaries` (part of `npm test`); design.md's layering:
// core <- adapters <- runtime, core <- http <- runtime, message-schemas on core's document kit only, and no circles.

/** What the message schemas build on: document specs, codecs and validation, the XML tree and writer, CoreError. */
const DOCUMENT_KIT = ['^src/core/document/', '^src/core/xml/', '^src/core/errors\\.ts$'];
/** zod, wherever npm put it. */
const ZOD = '(^|/)node_modules/zod/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import circles, type-only imports included: a contract lives in a leaf file that its implementations import.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-imports-only-zod-and-core',
      severity: 'error',
      comment: 'src/core is pure: it imports zod, core and the message schemas, nothing from Node, hono, undici, adapters, http or runtime.',
      from: { path: '^src/core/' },
      to: { pathNot: ['^src/core/', '^message-schemas/', ZOD] },
    },
    {
      name: 'http-imports-no-adapter-or-runtime',
      severity: 'error',
      comment: 'src/http is given its dependencies (AppDeps): it imports no adapter, runtime or CLI module.',
      from: { path: '^src/http/' },
      to: { path: ['^src/adapters/', '^src/runtime/', '^src/cli/'] },
    },
    {
      name: 'message-schemas-import-only-the-document-kit',
      severity: 'error',
      comment: "message-schemas import zod, each other and core's document kit (DOCUMENT_KIT).",
      from: { path: '^message-schemas/' },
      to: { pathNot: ['^message-schemas/', ...DOCUMENT_KIT, ZOD] },
    },
    {
      name: 'document-kit-is-a-leaf',
      severity: 'error',
      comment: "core's document kit imports only zod and itself, so the message schemas built on it stay out of circles.",
      from: { path: DOCUMENT_KIT },
      to: { pathNot: [...DOCUMENT_KIT, ZOD] },
    },
    {
      name: 'worker-reaches-no-node-only-module',
      severity: 'error',
      comment:
        'The Workers entries (swx, its simulators) and all they import run in workerd: nothing of node:fs, worker_threads, better-sqlite3 or undici.',
      from: { path: '^src/runtime/(worker|simulator-worker)\\.ts$' },
      to: { reachable: true, path: ['^(node:)?(fs|fs/promises|worker_threads)$', '(^|/)node_modules/(better-sqlite3|undici)/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
