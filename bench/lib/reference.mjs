import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { serviceStatements } from '../reference/statements.mjs';
import { embeddedSettings } from './embedded.mjs';
import { rssMB } from './service.mjs';

const SERVER = new URL('../reference/server.mjs', import.meta.url);

/**
 * The reference server (bench/reference/server.mjs), the raw stack, in a
 * process of its own with plain `node`: on PostgreSQL over the service's
 * database with the service's pool size, embedded over a PGlite database of
 * its own in its process. Its one bearer stands for the user `userId`;
 * `driver` ('pg' or 'prepared') is how it sends statements to PostgreSQL.
 */
export class ReferenceServer {
  constructor({ databaseUrl, dataDir, poolSize, userId, driver = 'pg', execArgv = [] }) {
    this.options = { databaseUrl, dataDir, poolSize, userId, driver };
    this.execArgv = execArgv; // plain `node` unless asked (a profiler's flags)
    this.bearer = `raw-${randomBytes(12).toString('hex')}`;
  }

  async start() {
    const config = {
      ...this.options,
      bearer: this.bearer,
      statements: await serviceStatements(),
      ...(!this.options.databaseUrl && { embeddedSettings: await embeddedSettings() }),
    };
    this.child = fork(SERVER, [], { execArgv: this.execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    this.child.stderr.on('data', (d) => (stderr += d));
    const answer = await new Promise((resolve, reject) => {
      this.child.once('message', resolve);
      this.child.once('exit', (code) => reject(new Error(`the reference server exited (${code}): ${stderr}`)));
      this.child.send(config);
    });
    if (answer.error) throw new Error(`the reference server did not start: ${answer.error}`);
    this.port = answer.port;
  }

  url(path) {
    return `http://127.0.0.1:${this.port}/api/v3/onezone${path}`;
  }

  get headers() {
    return { authorization: `Bearer ${this.bearer}` };
  }

  rss() {
    return rssMB(this.child.pid);
  }

  /** A space of the user's, made through the reference server's own creation. */
  async createSpace(name) {
    const res = await fetch(this.url('/user/spaces'), {
      method: 'POST',
      headers: { ...this.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ name }),
    });
    if (res.status !== 201) throw new Error(`reference POST /user/spaces answered ${res.status}: ${await res.text()}`);
    return res.headers.get('location').split('/').pop();
  }

  async stop() {
    if (!this.child || this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    await exited;
  }
}
