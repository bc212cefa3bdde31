import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';

/** The lock files this process holds. */
const HELD = new Set<string>();

export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError';
}

/**
 * The embedded database is one process's: a lock file in DATA_DIR names the
 * process that holds it. A lock left by a process that no longer runs (after
 * a crash or kill -9) is taken over, so a restart never waits; so is one
 * naming this process's own pid that this process did not take (a container's
 * PID 1 killed and started again).
 */
export class DataDirLock {
  private constructor(
    private readonly file: string,
    private released = false,
  ) {}

  static async acquire(dir: string): Promise<DataDirLock> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const file = path.resolve(dir, 'spaces.lock');
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = openSync(file, 'wx', 0o600);
        writeSync(fd, `${process.pid}\n`);
        closeSync(fd);
        HELD.add(file);
        return new DataDirLock(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = readHolder(file);
      if (holder !== undefined && holder !== process.pid && isRunning(holder)) {
        throw new DataDirInUseError(
          `DATA_DIR ${dir} is in use by another process (pid ${holder}); ` + 'stop it or choose another DATA_DIR',
        );
      }
      // Our own pid in a lock this process did not take: a previous process that
      // ran with the same pid, as a container's PID 1 always does, and was killed.
      if (holder === process.pid && HELD.has(file)) {
        throw new DataDirInUseError(`DATA_DIR ${dir} is already open in this process`);
      }
      // Stale: the holder is gone. Remove and try again.
      try {
        unlinkSync(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    throw new DataDirInUseError(`DATA_DIR ${dir} is in use: could not take its lock`);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    HELD.delete(this.file);
    if (readHolder(this.file) === process.pid) {
      try {
        unlinkSync(this.file);
      } catch {
        // Already gone: nothing to release.
      }
    }
  }
}

function readHolder(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
