import { parseConfig } from '../config.js';
import { startService } from './service.js';

/**
 * The Node entry (`npm start`, `swx serve`): parses the environment once, starts swx, and stops it gracefully
 * on SIGINT or SIGTERM (RunningService.close), printing one line, then exits 0. A bad setting stops the start
 * with one line naming the variable.
 */
export async function runNode(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let config;
  try {
    config = parseConfig(env);
  } catch (error) {
    process.stderr.write(`swx: ${(error as Error).message}\n`);
    process.exit(2);
  }
  const service = await startService(config).catch((error: unknown) => {
    process.stderr.write(`swx: cannot start: ${(error as Error).message}\n`);
    process.exit(1);
  });
  process.stdout.write(
    `swx is running at ${service.url}\n` +
      `  data:        ${service.dataDir}\n` +
      (service.adminTokenPath ? `  admin token: ${service.adminTokenPath}\n` : '') +
      `  simulators:  ${[...service.simulators.keys()].join(' ') || 'off'}\n` +
      `  API docs:    ${service.url}/docs\n` +
      `  console:     ${service.url}/console (officers)\n`,
  );
  const graceMs = config.SWX_SHUTDOWN_GRACE_MS;
  // A second signal while draining gets Node's default: the process ends at once.
  const stop = () => {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
    service.close().then(
      (report) => {
        process.stdout.write(
          `swx stopped: ${report.drained} requests drained in ${report.stoppedInMs} ms` +
            (report.cutOff > 0 ? ` (${report.cutOff} cut off after SWX_SHUTDOWN_GRACE_MS=${graceMs})` : '') +
            '\n',
          () => process.exit(0),
        );
      },
      (error: unknown) => {
        process.stderr.write(`swx: stop failed: ${(error as Error).message}\n`, () => process.exit(1));
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (import.meta.url === `file://${process.argv[1]}`) await runNode();
