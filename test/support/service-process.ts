import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const MAIN = path.resolve('dist/main.js');

/** The built service (`node dist/main.js`) as a child process; `npm test` builds it first. */
export class ServiceProcess {
  private output = '';
  readonly exited: Promise<number | null>;
  private url?: string;

  private constructor(readonly child: ChildProcess) {
    child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  }

  static start(env: Record<string, string | undefined>, { cwd }: { cwd?: string } = {}): ServiceProcess {
    const child = spawn(process.execPath, [MAIN], {
      cwd,
      env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ServiceProcess(child);
  }

  get log(): string {
    return this.output;
  }

  /** Waits for the "listening on" line; returns the base URL. */
  async ready(timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let exitCode: number | null | undefined;
    void this.exited.then((code) => (exitCode = code));
    while (Date.now() < deadline) {
      const match = /listening on (http:\/\/[^/\s]+)/.exec(this.output);
      if (match) return (this.url = match[1]);
      if (exitCode !== undefined) throw new Error(`service exited (${exitCode}) before listening:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`service not listening after ${timeoutMs} ms:\n${this.output}`);
  }

  get baseUrl(): string {
    if (!this.url) throw new Error('not ready');
    return this.url;
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}
