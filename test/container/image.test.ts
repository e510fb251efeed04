import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/child-service.js';
import { argsOf, contextPath, dockerignoreFilter, envOf, readDockerfile, REPOSITORY, type Stage } from './dockerfile.js';

// What the image holds and does, without a Docker daemon: the Dockerfile's steps performed in a temporary directory.
// The build context is the repository as .dockerignore filters it; the build stage's RUN commands run there (npm ci
// from the registry, npm run build); the runtime stage's COPY --from lines copy into a second directory, the image's
// /app, where its CMD runs with its ENV, as the HEALTHCHECK's command then checks. Differences from a container: the
// process runs as this user, not the image's, SWX_DATA_DIR is a temporary directory standing for the /data volume,
// and swx listens on 127.0.0.1 at a free port (the image: 0.0.0.0:8080), as every test here stays on loopback.
// Slow (npm ci compiles better-sqlite3): run by `npm run test:container`, not `npm test`.

const stages = readDockerfile(join(REPOSITORY, 'Dockerfile'));
const [build, runtime] = [stages[0], stages.at(-1)] as [Stage, Stage];
const work = mkdtempSync(join(tmpdir(), 'swx-image-'));
const context = join(work, 'context');
const app = join(work, 'app');
const data = join(work, 'data');

/** The environment of a process in the image: its ENV and the test's overrides, nothing inherited but PATH and HOME. */
function imageEnv(overrides: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: work, ...envOf(runtime), ...overrides };
}

describe('the image, its steps performed without Docker', () => {
  let env: Record<string, string>;
  let url: string;
  let output = '';
  let swx: ReturnType<typeof spawn>;
  let exited: Promise<number | null>;

  beforeAll(async () => {
    const ignored = dockerignoreFilter(join(REPOSITORY, '.dockerignore'));
    cpSync(REPOSITORY, context, { recursive: true, filter: (source) => source === REPOSITORY || !ignored(contextPath(REPOSITORY, source)) });
    for (const command of argsOf(build, 'RUN')) execFileSync('sh', ['-c', command], { cwd: context, stdio: 'pipe' });
    mkdirSync(app);
    for (const copy of argsOf(runtime, 'COPY')) {
      const [, source = '', target = ''] = /^--from=\S+\s+\/app\/(\S+)\s+(\S+)$/.exec(copy) ?? [];
      cpSync(join(context, source), join(app, target), { recursive: true, verbatimSymlinks: true });
    }
    mkdirSync(data);
    const port = String(await freePort());
    env = imageEnv({ SWX_DATA_DIR: data, SWX_HOST: '127.0.0.1', PORT: port });
    url = `http://127.0.0.1:${port}`;
    const [command = '', ...args] = JSON.parse(argsOf(runtime, 'CMD').at(-1) ?? '[]') as string[];
    swx = spawn(command, args, { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
    exited = new Promise((resolve) => swx.once('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      swx.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('swx is running at')) resolve();
      });
      swx.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      void exited.then((code) => reject(new Error(`swx exited with ${code}: ${output}`)));
    });
  }, 600_000);

  afterAll(() => {
    swx?.kill('SIGKILL');
    rmSync(work, { recursive: true, force: true });
  });

  /** Runs the HEALTHCHECK's command as Docker would in the running container; answers its exit code. */
  function healthcheck(): number | null {
    const line = argsOf(runtime, 'HEALTHCHECK').at(-1) ?? '';
    const [command = '', ...args] = JSON.parse(line.slice(line.indexOf('CMD ') + 4)) as string[];
    return spawnSync(command, args, { cwd: app, env, timeout: 10_000 }).status;
  }

  it('starts from the compiled JavaScript alone, with the simulated partners, its data in SWX_DATA_DIR', async () => {
    expect(output).toMatch(/simulators: {2}BN ID KH LA MM MY PH SG TH/);
    expect(existsSync(join(data, 'swx.db'))).toBe(true);
    expect(existsSync(join(data, 'admin-token'))).toBe(true);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
  });

  it('passes its HEALTHCHECK while it runs', () => {
    expect(healthcheck()).toBe(0);
  });

  it('serves the API docs from its node_modules and the metrics Prometheus scrapes', async () => {
    const docs = await fetch(`${url}/docs`);
    expect(docs.status).toBe(200);
    const script = /<script[^>]+src="([^"]+swagger-ui[^"]+\.js)"/.exec(await docs.text())?.[1] ?? '';
    expect((await fetch(new URL(script, `${url}/docs`))).status).toBe(200);
    const metrics = await fetch(`${url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/^# TYPE swx_/m);
  });

  it('has the swx CLI working on its data directory, and the keys it creates work', async () => {
    const created = execFileSync(
      process.execPath,
      [join(app, 'src', 'cli', 'swx.js'), 'keys', 'create', '--role', 'officer', '--name', 'Ops', '--party', 'HQ-1'],
      {
        cwd: app,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    ).toString();
    const token = /^token: (\S+)$/m.exec(created)?.[1];
    const partners = await fetch(`${url}/v1/partners`, { headers: { authorization: `Bearer ${token}` } });
    expect(partners.status).toBe(200);
    expect(JSON.stringify(await partners.json())).toContain('"TH"');
    const admin = readFileSync(join(data, 'admin-token'), 'utf8').trim();
    expect((await fetch(`${url}/v1/admin/api-keys`, { headers: { authorization: `Bearer ${admin}` } })).status).toBe(200);
  });

  it('stops cleanly on SIGTERM (docker stop), and its HEALTHCHECK then fails', async () => {
    swx.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('swx stopped');
    expect(healthcheck()).not.toBe(0);
  });
});
