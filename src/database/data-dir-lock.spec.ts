import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DataDirInUseError, DataDirLock } from './data-dir-lock.js';

describe('DataDirLock', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'spaces-lock-'));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('names this process, refuses a second open here, and frees the directory on release', async () => {
    const lock = await DataDirLock.acquire(dir);
    expect(readFileSync(path.join(dir, 'spaces.lock'), 'utf8')).toBe(`${process.pid}\n`);
    await expect(DataDirLock.acquire(dir)).rejects.toThrow(DataDirInUseError);
    lock.release();
    (await DataDirLock.acquire(dir)).release();
  });

  it('refuses a directory another running process holds', async () => {
    writeFileSync(path.join(dir, 'spaces.lock'), `${process.ppid}\n`);
    await expect(DataDirLock.acquire(dir)).rejects.toThrow(`is in use by another process (pid ${process.ppid})`);
  });

  it('takes over the lock of a process that is gone', async () => {
    writeFileSync(path.join(dir, 'spaces.lock'), '2147483646\n');
    (await DataDirLock.acquire(dir)).release();
  });

  it("takes over a lock naming this process's pid that this process did not take (a container's PID 1 after a kill)", async () => {
    writeFileSync(path.join(dir, 'spaces.lock'), `${process.pid}\n`);
    const lock = await DataDirLock.acquire(dir);
    expect(readFileSync(path.join(dir, 'spaces.lock'), 'utf8')).toBe(`${process.pid}\n`);
    lock.release();
  });
});
