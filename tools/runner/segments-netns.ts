// Each segment of a local segmented run in its own network namespace: a separate "host" with its
// own address, as the runners of a cluster are, made on this machine where root allows it.
//
//   host namespace                         segment i's namespace (lpseg<pid>-<i>)
//   reference server 127.0.0.1:P  <-  relay 10.R.i.1:Q  <-veth->  10.R.i.2  forwarder 127.0.0.1:P  <-  k6
//
// k6 runs under `ip netns exec` and addresses the same loopback URL an unsegmented run does (so
// its configuration, the reference server's defaults and run.json are those of a single run),
// but every connection leaves from the namespace's own address over a veth link this runner made:
// no traffic leaves the machine, and nothing but loopback and these links carries it. The relay
// counts connections by source address, so a test can see that each segment was its own host.
// Everything is removed again in close(), also when a segment fails.
import { spawn, spawnSync } from 'node:child_process';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CliError, EXIT } from '../../cli/errors.ts';
import { projectRoot } from '../install/k6.mjs';

export interface SegmentHost {
  namespace: string;
  /** The segment's own address (its end of the veth link). */
  address: string;
  /** Command prefix k6 runs under. */
  wrap: string[];
  /** Connections the relay took, by the source address they came from. */
  connectionsFrom: Map<string, number>;
}

export interface SegmentHosts {
  hosts: SegmentHost[];
  close(): Promise<void>;
}

/** Why this machine cannot make namespaces, or null when it can. */
export function netnsUnavailable(): string | null {
  if (process.platform !== 'linux') return 'network namespaces exist only on Linux';
  if (process.getuid?.() !== 0) return 'making network namespaces needs root (CAP_NET_ADMIN)';
  const ip = spawnSync('ip', ['-V'], { encoding: 'utf8' });
  if (ip.error || ip.status !== 0) return 'the `ip` command (iproute2) is not installed: apt-get install -y iproute2';
  // Root in a container may still lack CAP_NET_ADMIN: ask the kernel, with a namespace made and removed.
  const probe = `lpprobe${process.pid % 1_000_000}`;
  const made = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
  if (made.status !== 0) return `this machine does not allow making network namespaces (\`ip netns add\`: ${made.stderr.trim()})`;
  spawnSync('ip', ['netns', 'del', probe]);
  return null;
}

/** Namespaces and links this process made and has not removed yet, removed however it ends. */
const made = new Set<{ namespace: string; link: string }>();

function removeSync(entry: { namespace: string; link: string }): void {
  // Deleting the namespace deletes its veth end and with it the pair.
  spawnSync('ip', ['netns', 'del', entry.namespace]);
  spawnSync('ip', ['link', 'del', entry.link]);
  made.delete(entry);
}

let handlersInstalled = false;
function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  // The forwarders end with their stdin; namespaces would outlive an interrupted run.
  process.once('exit', () => {
    for (const e of [...made]) removeSync(e);
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      for (const e of [...made]) removeSync(e);
      // Others listening (the reference server's clean-up) end the process; else end as the signal would.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

function ip(args: string[]): void {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new CliError(`--netns: \`ip ${args.join(' ')}\` failed: ${(r.stderr || r.error?.message || '').trim()}`, EXIT.usage);
}

function relay(address: string, target: { host: string; port: number }, counts: Map<string, number>): Promise<Server> {
  const open = new Set<Socket>();
  const server = createServer((client) => {
    const from = client.remoteAddress ?? '?';
    counts.set(from, (counts.get(from) ?? 0) + 1);
    const upstream = connect(target.port, target.host);
    open.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    for (const s of [client, upstream]) s.on('error', end).on('close', end);
  });
  server.on('close', () => {
    for (const s of open) s.destroy();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, address, () => resolve(server));
  });
}

/** Starts the forwarder inside the namespace and waits for its "listening" line. */
function forwarder(namespace: string, listen: { host: string; port: number }, relayAt: { host: string; port: number }) {
  const child = spawn(
    'ip',
    ['netns', 'exec', namespace, process.execPath, join(projectRoot, 'tools', 'runner', 'segments-forwarder.mjs'), listen.host, String(listen.port), relayAt.host, String(relayAt.port)],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const ready = new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (l) => {
      if (l === 'listening') resolve();
    });
    child.once('exit', (code) => reject(new CliError(`--netns: the forwarder in ${namespace} exited (code ${code}) before listening: ${stderr.trim()}`, EXIT.usage)));
  });
  return { child, ready };
}

/**
 * Makes `count` namespaces, each with a veth link to this one, a relay to `targetUrl` (a loopback
 * URL: the local reference server) and a forwarder on the namespace's loopback at the same port.
 */
export async function makeSegmentHosts(count: number, targetUrl: string): Promise<SegmentHosts> {
  const why = netnsUnavailable();
  if (why) throw new CliError(`--netns: ${why}; run without --netns (all segments then share this host's address)`, EXIT.usage);
  const url = new URL(targetUrl);
  if (url.hostname !== '127.0.0.1') throw new CliError(`--netns runs segments against the local reference server (on 127.0.0.1), not ${url.host}; drop --base-url or --netns`, EXIT.usage);
  const target = { host: '127.0.0.1', port: Number(url.port || 80) };
  // Names and subnets from this process's pid: concurrent runs do not collide.
  const tag = process.pid % 1_000_000;
  const second = 200 + (process.pid % 50);
  const hosts: SegmentHost[] = [];
  const relays: Server[] = [];
  const forwarders: Array<ReturnType<typeof forwarder>['child']> = [];
  const ours: Array<{ namespace: string; link: string }> = [];
  installExitHandlers();
  const close = async () => {
    for (const f of forwarders) {
      f.stdin?.end();
      f.kill();
    }
    await Promise.all(relays.map((r) => new Promise<void>((done) => r.close(() => done()))));
    for (const entry of ours) removeSync(entry);
  };
  try {
    for (let i = 0; i < count; i++) {
      const namespace = `lpseg${tag}-${i + 1}`;
      const link = `lps${tag}h${i + 1}`;
      const peer = `lps${tag}n${i + 1}`;
      const hostSide = `10.${second}.${i + 1}.1`;
      const address = `10.${second}.${i + 1}.2`;
      const entry = { namespace, link };
      made.add(entry);
      ours.push(entry);
      ip(['netns', 'add', namespace]);
      ip(['link', 'add', link, 'type', 'veth', 'peer', 'name', peer]);
      ip(['link', 'set', peer, 'netns', namespace]);
      ip(['addr', 'add', `${hostSide}/30`, 'dev', link]);
      ip(['link', 'set', link, 'up']);
      ip(['netns', 'exec', namespace, 'ip', 'addr', 'add', `${address}/30`, 'dev', peer]);
      ip(['netns', 'exec', namespace, 'ip', 'link', 'set', peer, 'up']);
      ip(['netns', 'exec', namespace, 'ip', 'link', 'set', 'lo', 'up']);
      const connectionsFrom = new Map<string, number>();
      const r = await relay(hostSide, target, connectionsFrom);
      relays.push(r);
      const f = forwarder(namespace, target, { host: hostSide, port: (r.address() as { port: number }).port });
      forwarders.push(f.child);
      await f.ready;
      hosts.push({ namespace, address, wrap: ['ip', 'netns', 'exec', namespace], connectionsFrom });
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { hosts, close };
}
