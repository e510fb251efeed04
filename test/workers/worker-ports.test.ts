import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { writeEnvelope } from '../../message-schemas/envelope/1/build.js';
import { GENERATED_WORKER_BUNDLE, generatedWorkerBundle } from '../../src/runtime/worker/generated-worker-bundle.js';
import { createWorkerPorts } from '../../src/runtime/worker/worker-ports.js';

/** The ports as the Worker composes them: from wrangler.toml's bindings, .dev.vars' secrets and the generated bundle. */
const ports = createWorkerPorts(env, generatedWorkerBundle, GENERATED_WORKER_BUNDLE);

const envelope = writeEnvelope(
  {
    messageId: crypto.randomUUID(),
    conversationId: crypto.randomUUID(),
    from: { gatewayId: 'VN', country: 'VN' },
    to: { gatewayId: 'TH', country: 'TH' },
    documentType: 'CUSTOMS_RESPONSE',
    documentVersion: '1',
    action: 'RESPOND',
    createdAt: new Date().toISOString(),
  },
  '<CustomsResponse xmlns="urn:swx:xsd:customs-response:1"><Status>CLEARED</Status></CustomsResponse>',
);

describe('the Worker’s ports in workerd', () => {
  it('sign an envelope with the gateway key of .dev.vars (node:crypto under nodejs_compat) and verify it', async () => {
    const signed = await ports.signer.sign(envelope);
    expect(ports.signatures.verify(signed, ports.signer.certificatePem).outcome).toBe('VALID');
    expect(ports.signatures.verify(signed.replace('CLEARED', 'CLEAREE'), ports.signer.certificatePem).outcome).toBe('INVALID');
  });

  it('check a partner’s certificate chain from the bundled trust PEMs with node-forge', () => {
    const trust = ports.partners.trustFor('TH');
    expect(ports.certificates.verify(trust.certificatePem, trust, new Date()).outcome).toBe('VALID');
  });

  it('read the Swagger UI files through the static assets binding, and no other file', async () => {
    const css = await ports.docsAssets('swagger-ui.css');
    expect(new TextDecoder().decode(css).slice(0, 200)).toMatch(/swagger-ui/);
    expect((await ports.docsAssets('swagger-ui-bundle.js'))?.byteLength).toBeGreaterThan(1_000_000);
    expect(await ports.docsAssets('package.json')).toBeUndefined();
  });

  it('render this isolate’s metrics', async () => {
    ports.metrics.observeHttpRequest({ method: 'GET', route: '/healthz', status: 200, seconds: 0 });
    expect(await ports.metrics.render()).toMatch(
      /^swx_http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200",isolate="[0-9a-f-]{36}"\} 1$/m,
    );
  });

  it('count a signature that did not verify under the name Node uses', async () => {
    ports.metrics.countRefusal({ code: 'SIGNATURE_INVALID', recorded: false });
    ports.metrics.countRefusal({ code: 'XML_FORBIDDEN_CONSTRUCT', recorded: false });
    const text = await ports.metrics.render();
    expect(text).toMatch(/^swx_signature_verification_failures_total\{reason="SIGNATURE_INVALID",isolate="[0-9a-f-]{36}"\} 1$/m);
    expect(text).not.toMatch(/^swx_signature_verification_failures_total\{reason="XML_FORBIDDEN_CONSTRUCT"/m);
  });
});
