import { describe, expect, it } from 'vitest';
import partnersList, { createPartnersListCommand, PARTNERS_LIST_WIDTH } from '../../src/cli/commands/partners-list.js';
import { captureIo } from '../helpers/capture-io.js';

describe('swx partners list', () => {
  it('prints a table of the shipped partners that fits 120 columns, with how many document types each exchanges', async () => {
    const io = captureIo();
    expect(await partnersList.run([], io)).toBe(0);
    const lines = io.out().split('\n');
    expect(lines[0]).toMatch(/^ID\s+KIND\s+STATE\s+MODE\s+RECEIVES\s+SENDS$/);
    expect(lines.find((line) => line.startsWith('TH '))).toMatch(/^TH\s+gateway\s+live\s+simulated\s+7\s+7$/);
    expect(lines.find((line) => line.startsWith('KR '))).toMatch(/^KR\s+gateway\s+planned\s+live\s+2\s+2$/);
    expect(lines.slice(1).filter((line) => /^[A-Z]{2}(-[A-Z-]+)? /.test(line))).toHaveLength(16);
    expect(io.out()).toContain('swx partners list --wide lists them');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(PARTNERS_LIST_WIDTH);
  });

  it('adds the country and lists the document types with --wide', async () => {
    const io = captureIo();
    expect(await partnersList.run(['--wide'], io)).toBe(0);
    const lines = io.out().split('\n');
    expect(lines[0]).toMatch(/^ID\s+KIND\s+COUNTRY\s+STATE\s+MODE\s+RECEIVES\s+SENDS$/);
    expect(lines.find((line) => line.startsWith('TH '))).toMatch(/^TH\s+gateway\s+TH\s+live\s+simulated\s+ACDD, ACDD_CANCELLATION/);
    expect(lines.find((line) => line.startsWith('KR '))).toMatch(/^KR\s+gateway\s+KR\s+planned\s+live\s+EPHYTO, SPS_ACK\s+EPHYTO, SPS_ACK$/);
    expect(lines.slice(1).filter((line) => /^[A-Z]{2}(-[A-Z-]+)? /.test(line))).toHaveLength(16);
    expect(io.out()).not.toContain('--wide lists them');
    expect(Math.max(...lines.map((line) => line.length))).toBeGreaterThan(PARTNERS_LIST_WIDTH - 10);
  });

  it('prints the validated partner files with --json', async () => {
    const io = captureIo();
    expect(await partnersList.run(['--json'], io)).toBe(0);
    const partners = JSON.parse(io.out()) as { id: string; retry?: unknown }[];
    expect(partners).toHaveLength(16);
    expect(partners.find((partner) => partner.id === 'TH')?.retry).toEqual({
      maxAttempts: 8,
      baseDelayMs: 1_000,
      maxDelayMs: 300_000,
      maxDurationMs: 3_600_000,
    });
  });

  describe('with extra columns', () => {
    const command = createPartnersListCommand({
      columns: async ({ dataDir, partners }) => ({
        columns: [
          { key: 'queueDepth', header: 'QUEUE', value: (partner) => (partner.id === 'TH' ? 3 : null) },
          { key: 'dataDir', header: 'DATA', value: () => `${dataDir}:${partners.length}`, json: () => ({ dataDir }) },
        ],
        notes: ['QUEUE: made up for this test.'],
      }),
    });

    it('adds them to the table', async () => {
      const io = captureIo({ SWX_DATA_DIR: '/srv/swx' });
      expect(await command.run([], io)).toBe(0);
      const lines = io.out().split('\n');
      expect(lines[0]).toMatch(/SENDS\s+QUEUE\s+DATA$/);
      expect(lines.find((line) => line.startsWith('TH '))).toMatch(/\s3\s+\/srv\/swx:16$/);
      expect(lines.find((line) => line.startsWith('MY '))).toMatch(/\s-\s+\/srv\/swx:16$/);
      expect(io.out()).toMatch(/\n\nRECEIVES, SENDS: [^\n]+\nQUEUE: made up for this test\.\n$/);
    });

    it('adds them to the JSON under their keys', async () => {
      const io = captureIo();
      expect(await command.run(['--json', '--data-dir', '/d'], io)).toBe(0);
      const th = (JSON.parse(io.out()) as Record<string, unknown>[]).find((partner) => partner['id'] === 'TH');
      expect([th?.['queueDepth'], th?.['dataDir']]).toEqual([3, { dataDir: '/d' }]);
    });
  });

  it('is a usage error with an unknown option', async () => {
    const io = captureIo();
    expect(await partnersList.run(['--yaml'], io)).toBe(2);
    expect(io.err()).toMatch(/^swx partners list: Unknown option '--yaml'/);
  });
});
