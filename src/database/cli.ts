import { PGlite } from '@electric-sql/pglite';
import { loadConfig } from '../config/environment.js';
import { pgliteAdapter } from './adapters.js';
import { openDatabase } from './database.js';
import { createMigration } from './schema-engine.js';

/**
 *   migrate        apply pending migrations to the configured database
 *   create <name>  write the next migration from the schema diff
 */
async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'migrate': {
      const database = await openDatabase(loadConfig());
      await database.close();
      const applied = database.appliedMigrations;
      process.stdout.write(
        applied.length ? `Applied ${applied.length} migration(s):\n${applied.map((n) => `  ${n}\n`).join('')}` : 'No pending migrations.\n',
      );
      return 0;
    }
    case 'create': {
      const name = args.join('_');
      if (!name) {
        process.stderr.write('Usage: npm run db:migration -- <name>\n');
        return 2;
      }
      // The diff replays the migrations on a throw-away embedded database.
      const db = new PGlite();
      try {
        const folder = await createMigration(pgliteAdapter(db), name);
        process.stdout.write(folder ? `Created ${folder}/migration.sql\n` : 'The schema and the migrations agree: nothing to create.\n');
      } finally {
        await db.close();
      }
      return 0;
    }
    default:
      process.stderr.write('Usage: cli.js migrate | create <name>\n');
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${(error as Error)?.message ?? String(error)}\n`);
    process.exit(1);
  },
);
