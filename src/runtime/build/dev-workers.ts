import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { unstable_startWorker } from 'wrangler';
import { parseConfig } from '../../config.js';

/** The repository: wrangler.toml, and the simulators Worker's config under src/. */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SWX_CONFIG = join(ROOT, 'wrangler.toml');
const SIMULATORS_CONFIG = join(ROOT, 'src/runtime/simulator-worker/wrangler.toml');
/** The simulators Worker's name in its wrangler.toml, which swx's SIMULATORS binding names. */
const SIMULATORS_SERVICE = 'swx-simulators';

type DevWorker = Awaited<ReturnType<typeof unstable_startWorker>>;
type LogLevel = 'debug' | 'info' | 'log' | 'warn' | 'error' | 'none';

export interface DevWorkersOptions {
  /** Where swx listens; 127.0.0.1 by default. */
  readonly hostname?: string;
  /** Its port; 0 (the default) takes a free one. */
  readonly port?: number;
  /** Where both Workers keep their Durable Objects', queues' and D1's local state. */
  readonly persist: string;
  /** SWX_* settings, as vars of both Workers. */
  readonly vars?: Readonly<Record<string, string>>;
  /** swx's secrets to set over its `.dev.vars` (a test's own SWX_ADMIN_TOKEN). */
  readonly secrets?: Readonly<Record<string, string>>;
  /** Start the partner simulators beside swx (default true; SWX_SIMULATORS=off for the CLI). */
  readonly simulators?: boolean;
  /** Reload on source changes (`npm run dev:worker`); off by default. */
  readonly watch?: boolean;
  readonly logLevel?: LogLevel;
}

/** swx and its simulators running in local workerd. */
export interface DevWorkers {
  readonly swx: DevWorker;
  readonly simulators: DevWorker | undefined;
  /** swx's address. */
  readonly url: URL;
  dispose(): Promise<void>;
}

/**
 * Starts swx's Worker (wrangler.toml) and the partner simulators Worker (src/runtime/simulator-worker/wrangler.toml) in
 * local workerd with wrangler's programmatic `wrangler dev` (`unstable_startWorker`), each reaching the other by a
 * service binding through a dev registry of their own: swx's SIMULATORS binding, which only this starter adds (a
 * service binding in wrangler.toml would make `wrangler deploy` fail without a deployed simulators Worker, and the
 * workers test pool refuse to start), and the simulators' SWX. The secrets come from the `.dev.vars` files
 * `npm run build:worker` writes; run it first. `npm run dev:worker` runs this on 127.0.0.1:8787.
 * @example const workers = await startDevWorkers({ persist: '.wrangler/state' }); console.log(workers.url.href); await workers.dispose()
 */
export async function startDevWorkers(options: DevWorkersOptions): Promise<DevWorkers> {
  const registry = mkdtempSync(join(tmpdir(), 'swx-dev-registry-'));
  const vars = Object.entries(options.vars ?? {}).map(([name, value]) => [name, { type: 'plain_text' as const, value }]);
  const secrets = Object.entries(options.secrets ?? {}).map(([name, value]) => [name, { type: 'secret_text' as const, value }]);
  const dev = {
    inspector: false as const,
    persist: options.persist,
    registry,
    watch: options.watch ?? false,
    ...(options.logLevel === undefined ? {} : { logLevel: options.logLevel }),
  };
  const started: DevWorker[] = [];
  try {
    const simulators =
      options.simulators === false
        ? undefined
        : await unstable_startWorker({
            config: SIMULATORS_CONFIG,
            bindings: Object.fromEntries(vars),
            dev: { ...dev, server: { hostname: '127.0.0.1', port: 0 } },
          });
    if (simulators !== undefined) started.push(simulators);
    const swx = await unstable_startWorker({
      config: SWX_CONFIG,
      bindings: {
        ...Object.fromEntries([...vars, ...secrets]),
        ...(simulators === undefined ? {} : { SIMULATORS: { type: 'service', service: SIMULATORS_SERVICE } }),
      },
      dev: { ...dev, server: { hostname: options.hostname ?? '127.0.0.1', port: options.port ?? 0 } },
    });
    started.push(swx);
    await Promise.all(started.map((worker) => worker.ready));
    const url = await swx.url;
    return {
      swx,
      simulators,
      url,
      async dispose() {
        await Promise.all(started.map((worker) => worker.dispose()));
        rmSync(registry, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await Promise.all(started.map((worker) => worker.dispose()));
    rmSync(registry, { recursive: true, force: true });
    throw error;
  }
}

/** `npm run dev:worker [-- --port 8787 --ip 127.0.0.1]`: both Workers until Ctrl-C, state in .wrangler/state. */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '8787' }, ip: { type: 'string', default: '127.0.0.1' } } });
  const settings = Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] => entry[0].startsWith('SWX_') && entry[1] !== undefined && entry[1] !== '',
    ),
  );
  const workers = await startDevWorkers({
    hostname: values.ip,
    port: Number(values.port),
    persist: join(ROOT, '.wrangler/state'),
    vars: settings,
    simulators: parseConfig(process.env).SWX_SIMULATORS === 'on',
    watch: true,
  });
  console.log(
    `swx on ${workers.url.href}${workers.simulators === undefined ? ' (no simulators: SWX_SIMULATORS=off)' : ', its simulated partners beside it'}`,
  );
  const stop = () => void workers.dispose().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`npm run dev:worker: ${(error as Error).message}`);
    process.exitCode = 1;
  });
}
