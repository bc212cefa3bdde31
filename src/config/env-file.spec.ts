import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { withEnvFile } from './env-file.js';

describe('withEnvFile', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'spaces-env-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads the file's settings; the real environment wins; process.env is untouched", async () => {
    const file = path.join(dir, '.env');
    await writeFile(file, '# settings\nPORT=4000\nRATE_LIMIT="25"\nLOG_LEVEL=debug\n');
    const before = { ...process.env };
    const env = withEnvFile(file, { PORT: '5000', HOME: '/home/x', UNSET: undefined });
    expect(env).toMatchObject({ PORT: '5000', RATE_LIMIT: '25', LOG_LEVEL: 'debug', HOME: '/home/x' });
    expect(process.env).toEqual(before);
  });

  it('is the environment as it is when there is no file', () => {
    const env = { PORT: '1' };
    expect(withEnvFile(path.join(dir, 'missing.env'), env)).toBe(env);
  });

  it('stops on a file it cannot read', () => {
    expect(() => withEnvFile(dir, {})).toThrow(/EISDIR/);
  });
});
