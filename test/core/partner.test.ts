import { describe, expect, it } from 'vitest';
import { PartnerFile } from '../../src/core/documents/partner-file.js';
import { Partner } from '../../src/core/partner.js';

const thailand = {
  id: 'TH',
  kind: 'gateway',
  country: 'TH',
  name: 'Thailand National Single Window',
  state: 'live',
  mode: 'simulated',
  trust: { source: 'dev-pki' },
  documents: { send: [{ type: 'CUSTOMS_RESPONSE', versions: ['1'] }], receive: [{ type: 'ACDD', versions: ['1'] }] },
} as const;

const customs = {
  id: 'VN-CUSTOMS',
  kind: 'agency',
  country: 'VN',
  name: 'Viet Nam Customs',
  state: 'live',
  mode: 'live',
  documents: { send: [{ type: 'ACDD', versions: ['1'] }], receive: [] },
} as const;

function pointersOf(input: unknown): string[] {
  const result = Partner.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((issue) => `/${issue.path.join('/')}`);
}

describe('Partner', () => {
  describe('when a gateway file leaves out timeouts, retry and circuit', () => {
    it('fills in the defaults', () => {
      const partner = Partner.parse(thailand);
      expect(partner.kind === 'gateway' && [partner.timeouts, partner.retry, partner.circuit]).toEqual([
        { connectMs: 5_000, responseMs: 30_000 },
        { maxAttempts: 8, baseDelayMs: 1_000, maxDelayMs: 300_000, maxDurationMs: 3_600_000 },
        { failureThreshold: 5, openMs: 30_000 },
      ]);
    });

    it('keeps a partial override and defaults the rest', () => {
      const partner = Partner.parse({ ...thailand, timeouts: { connectMs: 250 } });
      expect(partner.kind === 'gateway' && partner.timeouts).toEqual({ connectMs: 250, responseMs: 30_000 });
    });
  });

  it('accepts a live gateway reached over mutual TLS with its own server roots', () => {
    const tls = {
      clientCertificateFile: 'certs/vn-client.cert.pem',
      clientKeyFile: 'certs/vn-client.key.pem',
      serverRoots: [{ certificateFile: 'certs/th-tls-root.pem' }],
    };
    const partner = Partner.parse({ ...thailand, mode: 'live', endpoint: 'https://th.example/v1/exchange', tls });
    expect(partner.kind === 'gateway' && partner.tls).toEqual(tls);
  });

  it('accepts a national agency', () => {
    expect(Partner.parse(customs).kind).toBe('agency');
  });

  describe('rejects', () => {
    it('a gateway whose id is not its country code', () => {
      expect(pointersOf({ ...thailand, id: 'MY' })).toEqual(['/id']);
    });

    it('a lower-case id', () => {
      expect(pointersOf({ ...thailand, id: 'th' })).toContain('/id');
    });

    it('a document type code of the wrong shape', () => {
      expect(pointersOf({ ...thailand, documents: { send: [], receive: [{ type: 'acdd', versions: ['1'] }] } })).toEqual([
        '/documents/receive/0/type',
      ]);
    });

    it('a document type the document table does not know, read as a partner file', () => {
      const input = { ...thailand, documents: { send: [{ type: 'ACDX', versions: ['1'] }], receive: [] } };
      expect(pointersOf(input)).toEqual([]);
      const result = PartnerFile.safeParse(input);
      expect(result.error?.issues.map((issue) => [issue.path.join('/'), issue.message])).toEqual([
        ['documents/send/0/type', expect.stringMatching(/^unknown document type ACDX \(known: EXPORT_DECLARATION, .*SPS_ACK\)$/)],
      ]);
    });

    it('a document type listed twice in one direction', () => {
      const twice = [
        { type: 'ACDD', versions: ['1'] },
        { type: 'ACDD', versions: ['2'] },
      ];
      expect(pointersOf({ ...thailand, documents: { send: [], receive: twice } })).toEqual(['/documents/receive/1/type']);
    });

    it('a simulated gateway with an endpoint (the simulator assigns it)', () => {
      expect(pointersOf({ ...thailand, endpoint: 'https://th.example/v1/exchange' })).toEqual(['/endpoint']);
    });

    it('a simulated gateway trusting pinned material (the simulator signs with the dev PKI key)', () => {
      const pinned = { source: 'pinned', certificateFile: 'th.cert.pem', rootCertificateFile: 'th.root.pem' };
      expect(pointersOf({ ...thailand, trust: pinned })).toEqual(['/trust/source']);
    });

    it('a live gateway without an endpoint', () => {
      expect(pointersOf({ ...thailand, mode: 'live' })).toEqual(['/endpoint']);
    });

    it('a gateway that is not planned and has no trust', () => {
      const { trust: _trust, ...untrusted } = thailand;
      expect(pointersOf(untrusted)).toEqual(['/trust']);
    });

    it('pinned trust with both or neither of certificate and certificateFile', () => {
      const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
      const both = { source: 'pinned', certificate: pem, certificateFile: 'a.pem', rootCertificateFile: 'r.pem' };
      const neither = { source: 'pinned', rootCertificate: pem };
      const live = { ...thailand, mode: 'live', endpoint: 'https://th.example/v1/exchange' };
      expect(pointersOf({ ...live, trust: both })).toEqual(['/trust/certificate']);
      expect(pointersOf({ ...live, trust: neither })).toEqual(['/trust/certificate']);
    });

    it('an unknown field', () => {
      const result = Partner.safeParse({ ...thailand, endpiont: 'https://th.example' });
      expect(result.success ? [] : result.error.issues.map((issue) => issue.code)).toEqual(['unrecognized_keys']);
    });

    it('an agency whose id does not start with its country code', () => {
      expect(pointersOf({ ...customs, id: 'TH-CUSTOMS' })).toEqual(['/id']);
    });

    it('an unknown kind', () => {
      expect(pointersOf({ ...thailand, kind: 'self' })).toEqual(['/kind']);
    });

    describe('TLS settings (tls)', () => {
      const live = { ...thailand, mode: 'live', endpoint: 'https://th.example/v1/exchange' };

      it('a client certificate without its key, or a key without its certificate', () => {
        expect(pointersOf({ ...live, tls: { clientCertificateFile: 'vn-client.cert.pem' } })).toEqual(['/tls/clientKeyFile']);
        expect(pointersOf({ ...live, tls: { clientKeyFile: 'vn-client.key.pem' } })).toEqual(['/tls/clientCertificateFile']);
      });

      it('for an http endpoint', () => {
        expect(pointersOf({ ...live, endpoint: 'http://th.example/v1/exchange', tls: { serverName: 'th.example' } })).toEqual(['/tls']);
      });

      it('for a simulated gateway (reached over plain HTTP on loopback)', () => {
        expect(pointersOf({ ...thailand, tls: { serverName: 'th.example' } })).toEqual(['/tls']);
      });

      it('a server root that is not one PEM certificate', () => {
        expect(pointersOf({ ...live, tls: { serverRoots: [{ certificate: 'not a PEM' }] } })).toEqual(['/tls/serverRoots/0/certificate']);
      });
    });

    it('a retry whose maximum delay is below its base delay', () => {
      expect(pointersOf({ ...thailand, retry: { baseDelayMs: 5_000, maxDelayMs: 1_000 } })).toEqual(['/retry/maxDelayMs']);
    });
  });
});
