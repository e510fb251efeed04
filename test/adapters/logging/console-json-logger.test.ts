import { Console } from 'node:console';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConsoleJsonLogger } from '../../../src/adapters/logging/console-json-logger.js';
import { CoreError } from '../../../src/core/errors.js';

/** A console writing to two kept streams, as Workers Logs keep console.log and console.error apart. */
function aConsole(): { console: Console; out: () => string[]; err: () => string[] } {
  const kept = { out: '', err: '' };
  const stream = (name: 'out' | 'err') =>
    new Writable({
      write(chunk, _encoding, done) {
        kept[name] += String(chunk);
        done();
      },
    });
  const lines = (text: string) => text.split('\n').filter(Boolean);
  return { console: new Console(stream('out'), stream('err')), out: () => lines(kept.out), err: () => lines(kept.err) };
}

describe('ConsoleJsonLogger', () => {
  it('writes one JSON line per call, with pino’s level numbers, time and msg', () => {
    const { console, out } = aConsole();
    new ConsoleJsonLogger('info', console, () => 1_767_225_600_000).info({ partnerId: 'TH', attempts: 3 }, 'delivered');
    expect(out()).toEqual(['{"level":30,"time":1767225600000,"partnerId":"TH","attempts":3,"msg":"delivered"}']);
  });

  it('drops the levels below its own, and writes nothing when silent', () => {
    const { console, out, err } = aConsole();
    const logger = new ConsoleJsonLogger('warn', console);
    logger.info({}, 'not shown');
    logger.debug({}, 'not shown');
    logger.warn({}, 'shown');
    logger.error({}, 'shown');
    new ConsoleJsonLogger('silent', console).fatal({}, 'not shown');
    expect([...out(), ...err()].map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual(['shown', 'shown']);
  });

  it('writes warn and error through the console’s error stream, info and debug through its output', () => {
    const { console, out, err } = aConsole();
    const logger = new ConsoleJsonLogger('trace', console);
    logger.trace({}, 't');
    logger.debug({}, 'd');
    logger.info({}, 'i');
    logger.warn({}, 'w');
    logger.error({}, 'e');
    logger.fatal({}, 'f');
    const levels = (lines: string[]) => lines.map((line) => (JSON.parse(line) as { level: number }).level);
    expect(levels(out())).toEqual([10, 20, 30]);
    expect(levels(err())).toEqual([40, 50, 60]);
  });

  it('writes an error’s type, message, stack and code', () => {
    const { console, err } = aConsole();
    new ConsoleJsonLogger('info', console).error({ err: new CoreError('INTERNAL', 'the ledger is inconsistent') }, 'request failed');
    const line = JSON.parse(err()[0]!) as { err: Record<string, unknown> };
    expect(line.err).toMatchObject({ type: 'CoreError', message: 'the ledger is inconsistent', code: 'INTERNAL' });
    expect(line.err['stack']).toMatch(/the ledger is inconsistent/);
  });

  it('never throws on fields it cannot serialise, and says so in the line', () => {
    const { console, out } = aConsole();
    const circular: Record<string, unknown> = {};
    circular['self'] = circular;
    new ConsoleJsonLogger('info', console).info({ circular, big: 1n }, 'still logged');
    expect(JSON.parse(out()[0]!)).toMatchObject({ level: 30, msg: 'still logged', logError: expect.stringMatching(/^fields not serialisable: /) });
  });

  it('writes a child’s bindings on each of its lines, as pino does, and keeps the parent’s level', () => {
    const { console, out } = aConsole();
    const parent = new ConsoleJsonLogger('info', console, () => 1_767_225_600_000);
    const child = parent.child({ requestId: 'r-1' }).child({ partnerId: 'TH' });
    child.info({ status: 202 }, 'request');
    child.debug({}, 'not shown');
    parent.info({}, 'no bindings');
    expect(out()).toEqual([
      '{"level":30,"time":1767225600000,"requestId":"r-1","partnerId":"TH","status":202,"msg":"request"}',
      '{"level":30,"time":1767225600000,"msg":"no bindings"}',
    ]);
  });
});
