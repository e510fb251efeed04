import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { devPkiPartiesFor, ensureDevPki } from '../../src/adapters/crypto/forge-dev-pki.js';
import { readPartnerFiles } from '../../src/adapters/partners/partner-directory.js';
import { partnersDirFrom } from '../../src/config.js';
import { applyLocalD1Migrations } from '../../src/runtime/build/apply-local-d1-migrations.js';
import { buildWorker } from '../../src/runtime/build/build-worker.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A development PKI for VN and every partner gateway, made once per run; copy it with copyTestPki. */
    testPkiDir: string;
    /** A Worker persistence dir whose local D1 has the migrations applied, made once per run; copy its v3/d1. */
    d1TemplateDir: string;
  }
}

/**
 * Makes the development PKI once for the whole run (RSA key generation is the slow part of a first start), and
 * prepares the Worker as `npm run build:worker` does (partner bundle, `.dev.vars`) for the tests that start it
 * (test/helpers/worker-service.ts), with a migrated local D1 each Worker service starts from (applying the migrations
 * takes wrangler about 5 s; copying them takes nothing).
 */
export default async function setup(project: TestProject): Promise<() => void> {
  await buildWorker(process.env);
  const root = mkdtempSync(join(tmpdir(), 'swx-test-pki-'));
  const d1TemplateDir = join(root, 'worker-state');
  await applyLocalD1Migrations(d1TemplateDir);
  project.provide('d1TemplateDir', d1TemplateDir);
  const pkiDir = join(root, 'pki');
  await ensureDevPki(pkiDir, devPkiPartiesFor(readPartnerFiles(partnersDirFrom({})), 'VN'));
  project.provide('testPkiDir', pkiDir);
  return () => rmSync(root, { recursive: true, force: true });
}
