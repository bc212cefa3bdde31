import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

const MIGRATIONS = path.resolve('prisma/migrations');

/**
 * The PostgreSQL driver adapter splits a migration script into statements at
 * each semicolon, comments included: a semicolon or an apostrophe in a
 * comment breaks the migration on PostgreSQL while the embedded database,
 * which runs the script whole, applies it.
 */
describe('migration scripts', () => {
  it('have no semicolon or apostrophe in a comment', async () => {
    const folders = (await readdir(MIGRATIONS, { withFileTypes: true })).filter((d) => d.isDirectory());
    expect(folders.length).toBeGreaterThan(3);
    for (const folder of folders) {
      const script = await readFile(path.join(MIGRATIONS, folder.name, 'migration.sql'), 'utf8');
      const bad = script.split('\n').filter((line) => /--.*[;']/.test(line));
      expect({ migration: folder.name, bad }).toEqual({ migration: folder.name, bad: [] });
    }
  });
});
