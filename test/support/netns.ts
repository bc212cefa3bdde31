import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Another machine, as far as a browser can tell: a network namespace joined to
 * this one by a veth pair on a private /30. `hostAddress` is this side's
 * (non-loopback) address; `wrap(binary)` gives an executable that runs the
 * binary inside the namespace. Needs root and iproute2 (`ip`).
 */
export interface OtherMachine {
  hostAddress: string;
  wrap(binary: string): Promise<string>;
  dispose(): Promise<void>;
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: 'pipe' });
}

export async function otherMachine(): Promise<OtherMachine> {
  if (process.getuid?.() !== 0) throw new Error('A network namespace needs root (run the browser tests as root).');
  const tag = `${process.pid % 10000}`;
  const ns = `spaces-${tag}`;
  const outer = `sp${tag}a`;
  const inner = `sp${tag}b`;
  const octet = (process.pid % 250) + 1;
  const hostAddress = `10.213.${octet}.1`;
  const nsAddress = `10.213.${octet}.2`;
  const dir = await mkdtemp(path.join(tmpdir(), 'spaces-netns-'));
  ip('netns', 'add', ns);
  try {
    ip('link', 'add', outer, 'type', 'veth', 'peer', 'name', inner);
    ip('link', 'set', inner, 'netns', ns);
    ip('addr', 'add', `${hostAddress}/30`, 'dev', outer);
    ip('link', 'set', outer, 'up');
    ip('netns', 'exec', ns, 'ip', 'addr', 'add', `${nsAddress}/30`, 'dev', inner);
    ip('netns', 'exec', ns, 'ip', 'link', 'set', inner, 'up');
    ip('netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up');
  } catch (error) {
    ip('netns', 'del', ns);
    throw error;
  }
  return {
    hostAddress,
    async wrap(binary: string) {
      const script = path.join(dir, path.basename(binary));
      await writeFile(script, `#!/bin/sh\nexec ip netns exec ${ns} ${binary} "$@"\n`);
      await chmod(script, 0o755);
      return script;
    },
    async dispose() {
      try {
        ip('link', 'del', outer);
      } catch {
        // Gone with the namespace already.
      }
      ip('netns', 'del', ns);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
