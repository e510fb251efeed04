import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import status from '../../src/cli/commands/status.js';
import submit from '../../src/cli/commands/submit.js';
import { captureIo } from '../helpers/capture-io.js';
import { startTestService, type TestService } from '../helpers/service.js';

const COFFEE = 'message-schemas/export-declaration/1/examples/valid-coffee-to-thailand.json';
const DEAD_URL = 'http://127.0.0.1:1';

describe('swx status and swx submit against a running swx', () => {
  let swx: TestService;

  const run = async (command: typeof status, args: string[], env: Record<string, string> = {}) => {
    const io = captureIo(env);
    const code = await command.run(args, io);
    return { code, err: io.err(), out: io.out() };
  };

  beforeAll(async () => {
    swx = await startTestService();
  });
  afterAll(() => swx.close());

  describe('without an API key', () => {
    it.each([
      ['status', status, ['0f4c2a8e-0000-4000-8000-000000000000']],
      ['submit', submit, [COFFEE]],
    ] as const)('swx %s says to pass --token or set SWX_TOKEN, not which HTTP header is missing', async (name, command, args) => {
      const { code, err, out } = await run(command, [...args, '--url', swx.url]);
      expect({ code, out }).toEqual({ code: 1, out: '' });
      expect(err).toBe(`swx ${name}: no API key given: pass --token <token> or set SWX_TOKEN (an admin makes one with swx keys create)\n`);
      expect(err).not.toMatch(/header|Authorization|bearer/i);
    });
  });

  describe('with an unknown API key in SWX_TOKEN', () => {
    it('names --token and SWX_TOKEN and the service that refused it', async () => {
      const { code, err } = await run(submit, [COFFEE], { SWX_URL: swx.url, SWX_TOKEN: 'swx_not-a-key-swx-ever-made' });
      expect(code).toBe(1);
      expect(err).toBe(`swx submit: swx at ${swx.url} does not accept the API key given with --token or SWX_TOKEN: it is unknown or revoked\n`);
    });
  });

  describe("with a key whose role may not do it (a partner's key submitting a declaration)", () => {
    it('names --token and SWX_TOKEN and says which role is needed', async () => {
      const partner = await swx.createKey('partner', 'TH');
      const { code, err } = await run(submit, [COFFEE, '--token', partner, '--url', swx.url]);
      expect(code).toBe(1);
      expect(err).toBe('swx submit: the API key given with --token or SWX_TOKEN is refused here: role partner may not do this (needs trader)\n');
    });
  });

  describe('with a working key', () => {
    it('submits, then shows the declaration', async () => {
      const trader = await swx.createKey('trader', '0301234567');
      const submitted = await run(submit, [COFFEE], { SWX_URL: swx.url, SWX_TOKEN: trader });
      expect(submitted).toMatchObject({ code: 0, err: '' });
      const id = /^id: +(\S+)$/m.exec(submitted.out)?.[1] ?? '';
      const shown = await run(status, [id], { SWX_URL: swx.url, SWX_TOKEN: trader });
      expect(shown).toMatchObject({ code: 0, err: '' });
      expect(shown.out).toMatch(/^status: {2}\S+$/m);
    });
  });
});

describe('swx status when nothing answers', () => {
  it.each([
    ['--url', ['--url', DEAD_URL], {}],
    ['SWX_URL', [], { SWX_URL: DEAD_URL }],
  ] as const)('names %s, where the address came from', async (from, args, env) => {
    const io = captureIo({ SWX_TOKEN: 'swx_anything', ...env });
    expect(await status.run(['some-id', ...args], io)).toBe(1);
    expect(io.err()).toBe(
      `swx status: cannot reach swx at ${DEAD_URL}: ECONNREFUSED (is it running, and is ${from} right? give its address with --url or SWX_URL)\n`,
    );
  });

  it('says how to start it or point at it when the address is the default one', async () => {
    const io = captureIo({ PORT: '1' });
    expect(await status.run(['some-id'], io)).toBe(1);
    expect(io.err()).toBe(
      `swx status: cannot reach swx at ${DEAD_URL}: ECONNREFUSED (is it running? start it with swx serve, or give its address with --url or SWX_URL)\n`,
    );
  });
});
