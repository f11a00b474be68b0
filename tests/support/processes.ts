// Real processes for resilience tests: the server started as it is in production (`node src/server/main.ts`),
// a throwaway PostgreSQL cluster of its own (so the shared server is never restarted), and a TCP proxy that can
// make a connection hang.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process wrote (JSON log lines). */
  output(): string;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** Starts the server as `npm start` does (without building the web app) and waits until it answers. */
export async function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} before it answered:\n${output}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`server did not answer within 60 s:\n${output}`);
    await sleep(100);
  }
  return {
    url,
    child,
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/** A signed-in session against a running server, over real HTTP. */
export class HttpSession {
  private cookie = '';
  private csrf = '';
  constructor(readonly baseUrl: string) {}

  async login(email: string, password: string) {
    const res = await fetch(`${this.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
    this.cookie = /kl_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')![1]!;
    this.csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
    return this;
  }

  async request(method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${this.baseUrl}${url}`, {
      method,
      headers: {
        cookie: `kl_session=${this.cookie}`,
        'x-csrf-token': this.csrf,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, body: json as Record<string, unknown> | undefined, text };
  }
}

const pgBinDir = (() => {
  const result = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  const dir = result.status === 0 ? result.stdout.trim() : '';
  return dir && fs.existsSync(path.join(dir, 'initdb')) ? dir : null;
})();

/** Whether this machine can start a PostgreSQL cluster of its own (server tools present). */
export const canRunOwnCluster = pgBinDir !== null;

// PostgreSQL's server tools refuse to run as root: as root they run as the `postgres` system user.
const asServerUser = (command: string, args: string[]) =>
  process.getuid?.() === 0
    ? { command: 'runuser', args: ['-u', 'postgres', '--', command, ...args] }
    : { command, args };

function pgTool(tool: string, args: string[]) {
  const { command, args: full } = asServerUser(path.join(pgBinDir!, tool), args);
  const result = spawnSync(command, full, { encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) throw new Error(`${tool} failed: ${result.stderr || result.stdout}`);
}

export interface Cluster {
  url: string;
  port: number;
  stop(): void;
  start(): void;
  destroy(): void;
}

/** A throwaway PostgreSQL cluster in a temporary folder, on its own port. */
export async function startCluster(): Promise<Cluster> {
  if (!pgBinDir) throw new Error('PostgreSQL server tools not found (pg_config --bindir)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `kl-cluster-${crypto.randomBytes(3).toString('hex')}-`));
  fs.chmodSync(dir, 0o777);
  const data = path.join(dir, 'data');
  if (process.getuid?.() === 0) spawnSync('chown', ['postgres', dir]);
  const port = await freePort();
  pgTool('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale', 'C']);
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off`;
  const cluster: Cluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start: () => pgTool('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', 'start']),
    stop: () => pgTool('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']),
    destroy() {
      try {
        cluster.stop();
      } catch {
        /* already stopped */
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  cluster.start();
  return cluster;
}

/**
 * A streaming read replica of `primary` in its own folder and on its own port: `pg_basebackup -R` (which writes
 * `standby.signal` and `primary_conninfo`), then started as a hot standby.
 */
export async function startReplica(primary: Cluster): Promise<Cluster> {
  if (!pgBinDir) throw new Error('PostgreSQL server tools not found (pg_config --bindir)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `kl-replica-${crypto.randomBytes(3).toString('hex')}-`));
  fs.chmodSync(dir, 0o777);
  const data = path.join(dir, 'data');
  if (process.getuid?.() === 0) spawnSync('chown', ['postgres', dir]);
  const port = await freePort();
  pgTool('pg_basebackup', [
    '-h',
    '127.0.0.1',
    '-p',
    String(primary.port),
    '-U',
    'postgres',
    '-D',
    data,
    '-R',
    '-X',
    'stream',
  ]);
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off -c hot_standby=on`;
  const replica: Cluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start: () => pgTool('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', 'start']),
    stop: () => pgTool('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']),
    destroy() {
      try {
        replica.stop();
      } catch {
        /* already stopped */
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  replica.start();
  return replica;
}

/**
 * Forwards TCP to PostgreSQL; `hang()` makes every connection, open or new, stop forwarding without closing —
 * what a dead peer behind a firewall looks like. `release()` forwards again (new connections only; the hung ones
 * are closed).
 */
export async function startHangingProxy(target: { host: string; port: number }) {
  let hanging = false;
  const pairs = new Set<[net.Socket, net.Socket]>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    const forward = (from: net.Socket, to: net.Socket) =>
      from.on('data', (chunk: Buffer) => {
        if (!hanging) to.write(chunk);
      });
    forward(client, upstream);
    forward(upstream, client);
    const close = () => {
      client.destroy();
      upstream.destroy();
      pairs.delete(pair);
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    hang: () => void (hanging = true),
    release() {
      hanging = false;
      for (const [client, upstream] of pairs) {
        client.destroy();
        upstream.destroy();
      }
      pairs.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const [client, upstream] of pairs) {
          client.destroy();
          upstream.destroy();
        }
        server.close(() => resolve());
      }),
  };
}
