import { parseConfig } from '../config.js';
import { startService } from './service.js';

/**
 * The Node entry (`npm start`, `swx serve`): parses the environment once, starts swx, and stops it cleanly
 * on SIGINT or SIGTERM. A bad setting stops the start with one line naming the variable.
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
  const stop = () => {
    void service.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (import.meta.url === `file://${process.argv[1]}`) await runNode();
