import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { argsOf, dockerignoreFilter, envOf, readDockerfile, REPOSITORY } from '../container/dockerfile.js';

// The container files as Docker and Compose read them, checked without a daemon; test/container/image.test.ts
// (npm run test:container) builds and runs what the image holds.

const stages = readDockerfile(join(REPOSITORY, 'Dockerfile'));
const runtime = stages.at(-1);
if (runtime === undefined) throw new Error('Dockerfile has no FROM');
const env = envOf(runtime);

interface ComposeService {
  image?: string;
  build?: string;
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  command?: string[];
}
const compose = parse(readFileSync(join(REPOSITORY, 'compose.yaml'), 'utf8')) as {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
};
const services = compose.services;

/** The `host:container` bind mounts of a compose service (`./…` sources), resolved against the repository. */
function bindMounts(service: ComposeService): { source: string; target: string }[] {
  return (service.volumes ?? [])
    .filter((volume) => volume.startsWith('./'))
    .map((volume) => {
      const [source = '', target = ''] = volume.split(':');
      return { source: join(REPOSITORY, source), target };
    });
}

describe('Dockerfile', () => {
  it('builds in one stage and runs in another, both on the same pinned Node image', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const versions = stages.map((stage) => /^node:(\d+\.\d+\.\d+)-bookworm(-slim)?$/.exec(stage.image)?.[1]);
    expect(
      versions.every((version) => version !== undefined && version === versions[0]),
      stages.map((s) => s.image).join(', '),
    ).toBe(true);
    expect(runtime.image).toMatch(/-slim$/);
    expect(argsOf(runtime, 'COPY').every((args) => args.startsWith(`--from=${stages[0]?.name}`))).toBe(true);
  });

  it('runs the compiled JavaScript as npm start does, as a user that is not root', () => {
    const start = (JSON.parse(readFileSync(join(REPOSITORY, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
    expect(JSON.parse(argsOf(runtime, 'CMD').at(-1) ?? '[]')).toEqual(start.replace(/^exec /, '').split(' '));
    expect(argsOf(runtime, 'USER').at(-1)).toMatch(/^(?!root$|0$)\w+/);
  });

  it('listens on every interface of the container, on the port it exposes, with its data on a volume', () => {
    expect(env.SWX_HOST).toBe('0.0.0.0');
    expect(argsOf(runtime, 'EXPOSE')).toEqual([env.PORT]);
    expect(argsOf(runtime, 'VOLUME')).toEqual([env.SWX_DATA_DIR]);
  });

  it('checks its health with node on /healthz at the port it listens on (no curl in the slim image)', () => {
    const healthcheck = argsOf(runtime, 'HEALTHCHECK').at(-1) ?? '';
    const command = JSON.parse(healthcheck.slice(healthcheck.indexOf('CMD ') + 4)) as string[];
    expect(command.slice(0, 2)).toEqual(['node', '-e']);
    expect(command[2]).toContain('process.env.PORT');
    expect(command[2]).toContain('/healthz');
  });

  it('leaves what the host built or holds out of the build context', () => {
    const ignored = dockerignoreFilter(join(REPOSITORY, '.dockerignore'));
    for (const path of [
      'node_modules/zod/package.json',
      'data/swx.db',
      'dist/src/config.js',
      '.wrangler/state',
      'coverage/index.html',
      '.dev.vars',
    ]) {
      expect(ignored(path), path).toBe(true);
    }
    for (const path of [
      'package.json',
      'package-lock.json',
      '.npmrc',
      'src/config.ts',
      'partners/th.json',
      'message-schemas/envelope/1/envelope.xsd',
    ]) {
      expect(ignored(path), path).toBe(false);
    }
  });
});

describe('compose.yaml', () => {
  it('builds swx from the Dockerfile, with the simulators, its data on a named volume and its port on loopback', () => {
    const swx = services.swx as ComposeService;
    expect(swx.build).toBe('.');
    expect(swx.environment?.SWX_SIMULATORS).toBe('on');
    const dataVolume = swx.volumes?.find((volume) => volume.endsWith(`:${env.SWX_DATA_DIR}`))?.split(':')[0] ?? '';
    expect(Object.keys(compose.volumes)).toContain(dataVolume);
    expect(swx.ports).toEqual([`127.0.0.1:${env.PORT}:${env.PORT}`]);
  });

  it('pins every image it pulls by tag and publishes every port on loopback only', () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.build === undefined) expect(service.image, name).toMatch(/^[\w./-]+:v?\d+\.\d+\.\d+$/);
      for (const port of service.ports ?? []) expect(port, name).toMatch(/^127\.0\.0\.1:/);
    }
  });

  it('mounts only files of the repository that exist', () => {
    const mounts = Object.values(services).flatMap(bindMounts);
    expect(mounts.length).toBeGreaterThan(0);
    for (const { source } of mounts) expect(existsSync(source), source).toBe(true);
  });

  it('has Prometheus scrape swx’s /metrics, on the metrics port reachable from other containers, and load the alert rules beside its configuration', () => {
    expect((services.swx as ComposeService).environment?.SWX_METRICS_HOST).toBe('0.0.0.0');
    const prometheus = services.prometheus as ComposeService;
    const configFile = prometheus.command?.find((arg) => arg.startsWith('--config.file='))?.split('=')[1] ?? '';
    const mount = bindMounts(prometheus).find(({ target }) => configFile.startsWith(`${target}/`));
    expect(mount).toBeDefined();
    const config = parse(readFileSync(join(mount?.source ?? '', configFile.slice((mount?.target.length ?? 0) + 1)), 'utf8')) as {
      rule_files: string[];
      scrape_configs: { metrics_path: string; static_configs: { targets: string[] }[] }[];
    };
    const metricsPort = (services.swx as ComposeService).environment?.SWX_METRICS_PORT ?? env.PORT;
    const swxJob = config.scrape_configs.find((job) => job.static_configs.some((group) => group.targets.includes(`swx:${metricsPort}`)));
    expect(swxJob?.metrics_path).toBe('/metrics');
    expect(config.rule_files).toEqual([`${mount?.target}/alerts.yml`]);
  });

  it('provisions Grafana with Prometheus as its datasource and the dashboards of docs/ops/grafana', () => {
    const grafana = bindMounts(services.grafana as ComposeService);
    const provisioning = grafana.find(({ target }) => target === '/etc/grafana/provisioning')?.source ?? '';
    const datasources = parse(readFileSync(join(provisioning, 'datasources', 'prometheus.yml'), 'utf8')) as {
      datasources: { uid: string; type: string; url: string }[];
    };
    expect(datasources.datasources).toEqual([expect.objectContaining({ uid: 'prometheus', type: 'prometheus', url: 'http://prometheus:9090' })]);
    const dashboards = parse(readFileSync(join(provisioning, 'dashboards', 'swx.yml'), 'utf8')) as { providers: { options: { path: string } }[] };
    const dashboardsDir = grafana.find(({ target }) => target === dashboards.providers[0]?.options.path)?.source;
    expect(dashboardsDir).toBe(join(REPOSITORY, 'docs', 'ops', 'grafana'));
  });
});
