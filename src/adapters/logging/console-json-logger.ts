/** The level names of pino, which swx's SWX_LOG_LEVEL takes. */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** pino's numbers for its levels, written in each line's `level` so that one log pipeline reads both runtimes. */
const LEVELS: Readonly<Record<Exclude<LogLevel, 'silent'>, number>> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

/** The console methods the logger writes with: `globalThis.console`, or a `new Console(stream)` in a test. */
export interface ConsoleSink {
  log(line: string): void;
  debug(line: string): void;
  warn(line: string): void;
  error(line: string): void;
}

/**
 * A structured logger for runtimes without pino's Node streams (Workers, where `console` is the log: Workers Logs
 * index each JSON line's fields). One call writes one line, `{"level":30,"time":1767225600000,...fields,"msg":"..."}`
 * as pino would; Error values become `{ type, message, stack }`. Lines below `level` are dropped; a field that
 * cannot be serialised never throws, it is reported in the line instead.
 * The method follows the level, so that Workers Logs and `wrangler tail` show it: error for error and fatal,
 * warn for warn, log for info, debug for debug and trace.
 * @example const logger = new ConsoleJsonLogger('info'); logger.warn({ partnerId: 'TH' }, 'circuit opened')
 */
export class ConsoleJsonLogger {
  readonly #threshold: number;
  readonly #sink: ConsoleSink;
  readonly #now: () => number;
  readonly #level: LogLevel;
  readonly #bindings: Record<string, unknown>;

  constructor(level: LogLevel, sink: ConsoleSink = console, now: () => number = Date.now, bindings: Record<string, unknown> = {}) {
    this.#threshold = level === 'silent' ? Number.POSITIVE_INFINITY : LEVELS[level];
    this.#sink = sink;
    this.#now = now;
    this.#level = level;
    this.#bindings = bindings;
  }

  /**
   * A logger at the same level and sink whose every line also carries `bindings`, as pino's `child` does.
   * @example logger.child({ requestId }).info({ route }, 'request')
   */
  child(bindings: Record<string, unknown>): ConsoleJsonLogger {
    return new ConsoleJsonLogger(this.#level, this.#sink, this.#now, { ...this.#bindings, ...bindings });
  }

  fatal(fields: Record<string, unknown>, message: string): void {
    this.#write('fatal', fields, message);
  }

  error(fields: Record<string, unknown>, message: string): void {
    this.#write('error', fields, message);
  }

  warn(fields: Record<string, unknown>, message: string): void {
    this.#write('warn', fields, message);
  }

  info(fields: Record<string, unknown>, message: string): void {
    this.#write('info', fields, message);
  }

  debug(fields: Record<string, unknown>, message: string): void {
    this.#write('debug', fields, message);
  }

  trace(fields: Record<string, unknown>, message: string): void {
    this.#write('trace', fields, message);
  }

  #write(level: Exclude<LogLevel, 'silent'>, fields: Record<string, unknown>, message: string): void {
    const number = LEVELS[level];
    if (number < this.#threshold) return;
    const time = this.#now();
    let line: string;
    try {
      line = JSON.stringify({ level: number, time, ...this.#bindings, ...fields, msg: message }, serialiseValue);
    } catch (error) {
      line = JSON.stringify({
        level: number,
        time,
        msg: message,
        ...plainBindings(this.#bindings),
        logError: `fields not serialisable: ${(error as Error).message}`,
      });
    }
    if (number >= LEVELS.error) this.#sink.error(line);
    else if (number >= LEVELS.warn) this.#sink.warn(line);
    else if (number >= LEVELS.info) this.#sink.log(line);
    else this.#sink.debug(line);
  }
}

function serialiseValue(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return { type: value.name, message: value.message, stack: value.stack, ...(code === undefined ? {} : { code }) };
  }
  return typeof value === 'bigint' ? value.toString() : value;
}

/** The bindings that serialise on their own, for the line that reports unserialisable fields. */
function plainBindings(bindings: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(bindings).filter(([, value]) => typeof value === 'string' || typeof value === 'number'));
}
