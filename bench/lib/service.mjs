import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { freePort } from '../../scripts/free-port.mjs';

/** CPU time a process has used (user and system), in µs (Linux). */
export function cpuMicros(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime, the 14th and 15th fields, in clock ticks (100 a second on Linux).
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

/** Resident set size of a process, in MB (NaN once it is gone). */
export function rssMB(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) / 1024;
  } catch {
    return NaN;
  }
}

/**
 * How `npm start` runs the service: its environment assignments (allocator
 * tuning) and its Node flags (heap sizing). BENCH_NODE_FLAGS and BENCH_NODE_ENV
 * ("NAME=value NAME=value") replace them, to try others.
 */
function startCommand(root) {
  const words = JSON.parse(readFileSync(`${root}/package.json`, 'utf8'))
    .scripts.start.split(' ')
    .filter(Boolean);
  const node = words.indexOf('node');
  const assignments = (list) => Object.fromEntries(list.map((word) => word.split(/=(.*)/s).slice(0, 2)));
  return {
    env: assignments(
      process.env.BENCH_NODE_ENV !== undefined
        ? process.env.BENCH_NODE_ENV.split(' ').filter(Boolean)
        : words.slice(0, node).filter((word) => /^[A-Z_][A-Z0-9_]*=/.test(word)),
    ),
    flags:
      process.env.BENCH_NODE_FLAGS !== undefined
        ? process.env.BENCH_NODE_FLAGS.split(' ').filter(Boolean)
        : words.slice(node + 1).filter((word) => word.startsWith('--')),
  };
}

/** The service as users run it (`npm start`), in a process of its own. */
export class ServiceUnderTest {
  /** `options.extraFlags`: Node flags added to `npm start`'s (the profiler's, say); `options.main`: another build's main.js. */
  constructor(root, env, options = {}) {
    this.root = root;
    this.env = env;
    this.extraFlags = options.extraFlags ?? [];
    this.main = options.main ?? 'dist/main.js';
  }

  async start(timeoutMs = 60_000) {
    this.port = await freePort();
    const start = startCommand(this.root);
    this.child = spawn(process.execPath, [...start.flags, ...this.extraFlags, this.main], {
      cwd: this.root,
      env: { PATH: process.env.PATH, ...start.env, ...this.env, PORT: String(this.port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    this.child.stderr.on('data', (d) => (stderr += d));
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`the service exited: ${stderr}`);
      try {
        if ((await fetch(this.url('/health'))).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the service did not start: ${stderr}`);
  }

  url(path) {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** CPU time the service process has used (user and system), in µs. */
  cpuMicros() {
    return cpuMicros(this.child.pid);
  }

  /** Resident set size of the service process, in MB. */
  rss() {
    return rssMB(this.child.pid);
  }

  async call(method, path, token, body) {
    const res = await fetch(this.url(`/api/v3/onezone${path}`), {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body && { 'content-type': 'application/json' }) },
      body: body && JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res;
  }

  async createUser(name) {
    return (await this.call('POST', '/users', this.env.ADMIN_TOKEN, { name })).json();
  }

  async createSpace(token, name) {
    const res = await this.call('POST', '/user/spaces', token, { name });
    return res.headers.get('location').split('/').pop();
  }

  /** A named token of the user's with these caveats (POST /user/tokens/named). */
  async namedToken(token, name, caveats) {
    const res = await this.call('POST', '/user/tokens/named', token, { name, caveats });
    if (res.status !== 201) throw new Error(`POST /user/tokens/named answered ${res.status}: ${await res.text()}`);
    return (await res.json()).token;
  }

  /** One of the user's spaces, from the middle of their list. */
  async sampleSpace(token) {
    const { spaces } = await (await this.call('GET', '/user/spaces?limit=100', token)).json();
    return { spaceId: spaces[Math.floor(spaces.length / 2)] };
  }

  async stop() {
    if (!this.child || this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    await exited;
  }
}
