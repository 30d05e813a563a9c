// docker-compose.yml, checked without a Docker engine: against the Compose Specification's JSON
// schema with ajv, every file it and the Dockerfile name exists, and its k6 service runs the
// pinned k6 with the same Prometheus switches as the runner.
// compose-spec.json beside this file is schema/compose-spec.json of github.com/compose-spec/compose-spec
// (commit 170098ba07d9f53c383a41bfd4c5166b0a4529a6, Apache-2.0), unchanged: no npm package ships
// a current one.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import { nativeHistogramSwitch } from '../../tools/runner/prometheus-output.ts';
import { projectRoot } from '../helpers/paths.ts';
import { COMPOSE_FILE, COMPOSE_SERVER_TARGET, DASHBOARD_DIR, DATASOURCES_FILE, PROMETHEUS_CONFIG, readYaml } from './watch-files.ts';

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  profiles?: string[];
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const compose = readYaml<Compose>(COMPOSE_FILE);
const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { config: { k6Version: string }; scripts: Record<string, string> };

/** ${VAR:-default} → default, the way Compose interpolates with VAR unset. */
function interpolateDefaults(text: string): string {
  return text.replace(/\$\{(\w+)(?::?-([^}]*))?\}/g, (_all, _name: string, fallback?: string) => fallback ?? '');
}

describe('docker-compose.yml', () => {
  it('is valid against the Compose Specification JSON schema', () => {
    const schema = JSON.parse(readFileSync(new URL('./compose-spec.json', import.meta.url), 'utf8')) as { $schema?: string };
    delete schema.$schema; // ajv knows draft-07 under its http:// id
    // Formats the spec names for Docker's own validators (ports, expose, subnets): accepted as strings.
    const ajv = new Ajv({ strict: false, allErrors: true, formats: { ports: true, expose: true, subnet_ip_address: true, duration: true } });
    const validate = ajv.compile(schema);
    const ok = validate(compose);
    assert.ok(ok, `docker-compose.yml does not follow the Compose Specification:\n${ajv.errorsText(validate.errors, { separator: '\n' })}`);
    // The check itself must be able to fail: a misspelt key is rejected.
    assert.equal(validate({ services: { x: { imagee: 'y' } } }), false);
  });

  it('has the reference server, Prometheus, Grafana, and k6 in the "session" profile only', () => {
    assert.deepEqual(Object.keys(compose.services).sort(), ['grafana', 'k6', 'prometheus', 'reference-server']);
    assert.deepEqual(compose.services.k6!.profiles, ['session']);
    for (const name of ['reference-server', 'prometheus', 'grafana']) assert.equal(compose.services[name]!.profiles, undefined, `${name} must start with plain \`docker compose up\``);
  });

  it('publishes every port on loopback only', () => {
    for (const [name, s] of Object.entries(compose.services)) for (const p of s.ports ?? []) assert.match(p, /^127\.0\.0\.1:\d+:\d+$/, `${name} publishes ${p} beyond loopback`);
  });

  it('every file and folder it references exists', () => {
    for (const [name, s] of Object.entries(compose.services)) {
      if (s.build) {
        assert.ok(statSync(resolve(projectRoot, s.build.context)).isDirectory(), `${name}: build context ${s.build.context}`);
        assert.ok(existsSync(resolve(projectRoot, s.build.context, s.build.dockerfile)), `${name}: ${s.build.dockerfile} missing`);
      }
      for (const v of s.volumes ?? []) {
        const source = v.split(':')[0]!;
        if (!source.startsWith('.')) {
          assert.ok(compose.volumes && source in compose.volumes, `${name}: named volume ${source} not declared`);
          continue;
        }
        if (source === './reports') continue; // run output: Compose creates it, runs fill it
        assert.ok(existsSync(resolve(projectRoot, source)), `${name}: ${source} does not exist (for dist/: npm run build)`);
      }
    }
  });

  it('the Dockerfile copies files that exist and runs the server the build compiles', () => {
    const file = join(projectRoot, compose.services['reference-server']!.build!.dockerfile);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^COPY (?!--from)(.+) \S+$/gm)) {
      for (const src of m[1]!.split(/\s+/)) if (src !== '.') assert.ok(existsSync(join(projectRoot, src)), `${file}: COPY ${src} does not exist`);
    }
    assert.match(text, /RUN npm ci\b/);
    assert.match(text, /npm run build/);
    assert.ok(pkg.scripts.build, 'package.json has no build script');
    const cmd = /^CMD (\[.*\])$/m.exec(text);
    assert.ok(cmd, 'no CMD');
    const args = JSON.parse(cmd[1]!) as string[];
    assert.equal(args[0], 'node');
    // dist/node/<path>.js is compiled from <path>.ts.
    const source = args[1]!.replace(/^dist\/node\//, '').replace(/\.js$/, '.ts');
    assert.ok(existsSync(join(projectRoot, source)), `CMD runs ${args[1]}, but ${source} does not exist`);
    assert.ok(args.includes('--data-dir'));
    assert.ok(existsSync(join(projectRoot, '.dockerignore')));
  });

  it('k6 is the official image at the pinned version (package.json config.k6Version)', () => {
    const image = compose.services.k6!.image!;
    const pinned = pkg.config.k6Version.replace(/^v/, '');
    assert.equal(image, `grafana/k6:${pinned}`, `docker-compose.yml runs ${image}, the project pins k6 ${pkg.config.k6Version}: keep them equal`);
  });

  it('the k6 service streams a bundled workload to Prometheus with native histograms and a testid tag', () => {
    const k6 = compose.services.k6!;
    const cmd = k6.command!.map(interpolateDefaults);
    assert.equal(cmd[0], 'run');
    const out = cmd.indexOf('-o');
    assert.equal(cmd[out + 1], 'experimental-prometheus-rw');
    const tag = cmd[cmd.indexOf('--tag') + 1]!;
    assert.match(tag, /^testid=\S+$/);
    const sw = nativeHistogramSwitch(pkg.config.k6Version);
    for (const a of sw.args) assert.ok(cmd.includes(a), `k6 ${pkg.config.k6Version} needs ${a}`);
    for (const [k, v] of Object.entries(sw.env)) assert.equal(k6.environment?.[k], v, `k6 ${pkg.config.k6Version} needs ${k}=${v}`);
    const script = cmd[cmd.length - 1]!;
    assert.match(script, /^\/scripts\/[\w-]+\.js$/);
    const mount = k6.volumes!.find((v) => v.split(':')[1] === '/scripts')!;
    assert.equal(mount.split(':')[0], './dist');
    assert.ok(existsSync(join(projectRoot, 'dist', script.replace('/scripts/', ''))), `${script}: no such bundle in dist/ (npm run build)`);
    const rw = new URL(k6.environment!.K6_PROMETHEUS_RW_SERVER_URL!);
    assert.equal(rw.hostname, 'prometheus');
    assert.equal(rw.pathname, '/api/v1/write');
  });

  it('Prometheus runs the repo config with the remote-write receiver and native histograms, and scrapes the server', () => {
    const prom = compose.services.prometheus!;
    assert.ok(prom.command!.includes('--web.enable-remote-write-receiver'));
    assert.ok(prom.command!.includes('--enable-feature=native-histograms'));
    const configFile = /^--config\.file=(.+)$/.exec(prom.command!.find((c) => c.startsWith('--config.file='))!)![1];
    const mount = prom.volumes!.find((v) => v.split(':')[1] === configFile)!;
    assert.equal(resolve(projectRoot, mount.split(':')[0]!), PROMETHEUS_CONFIG);
    const config = readYaml<{ scrape_configs: Array<{ metrics_path?: string; static_configs: Array<{ targets: string[] }> }> }>(PROMETHEUS_CONFIG);
    const job = config.scrape_configs.find((j) => j.static_configs.some((s) => s.targets.includes(COMPOSE_SERVER_TARGET)));
    assert.ok(job, `prometheus.yml does not scrape ${COMPOSE_SERVER_TARGET}`);
    assert.equal(job.metrics_path ?? '/metrics', '/metrics');
    assert.ok(compose.services[COMPOSE_SERVER_TARGET.split(':')[0]!], 'the scrape target is not a service of the stack');
  });

  it('Grafana mounts the provisioning and the dashboards, and its datasource points at the Prometheus service', () => {
    const grafana = compose.services.grafana!;
    const mounts = Object.fromEntries(grafana.volumes!.map((v) => [v.split(':')[1]!, resolve(projectRoot, v.split(':')[0]!)]));
    assert.equal(mounts['/etc/grafana/provisioning'], resolve(DATASOURCES_FILE, '..', '..'));
    assert.equal(mounts['/var/lib/grafana/dashboards/ledger-perf'], DASHBOARD_DIR);
    const home = grafana.environment!.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH!;
    assert.ok(existsSync(join(DASHBOARD_DIR, home.replace('/var/lib/grafana/dashboards/ledger-perf/', ''))), `home dashboard ${home} is not in the dashboards folder`);
    const ds = readYaml<{ datasources: Array<{ url: string }> }>(DATASOURCES_FILE).datasources[0]!;
    assert.equal(new URL(ds.url).host, 'prometheus:9090');
  });
});
