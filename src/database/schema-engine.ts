import { readFile, readdir, mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm';

/**
 * Prisma's own schema engine, built to WASM, driven through a driver adapter.
 * It writes the same `_prisma_migrations` history as `prisma migrate deploy`,
 * without the native engine binary the Prisma CLI would download.
 */

const require = createRequire(import.meta.url);

export const PRISMA_DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'prisma');
export const MIGRATIONS_DIR = path.join(PRISMA_DIR, 'migrations');
export const SCHEMA_PATH = path.join(PRISMA_DIR, 'schema.prisma');
const LOCKFILE = 'migration_lock.toml';

type EngineClass = typeof SchemaEngine;
let engineClass: Promise<EngineClass> | undefined;

/** wasm-bindgen keeps one instance per process: instantiate the module once. */
function loadEngineClass(): Promise<EngineClass> {
  engineClass ??= (async () => {
    const glue =
      (await import('@prisma/schema-engine-wasm/schema_engine_bg')) as typeof import('@prisma/schema-engine-wasm/schema_engine_bg') & {
        __wbg_set_wasm(exports: WebAssembly.Exports): void;
      };
    const wasmPath = path.join(path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')), 'schema_engine_bg.wasm');
    const module = new WebAssembly.Module(await readFile(wasmPath));
    const instance = new WebAssembly.Instance(module, {
      './schema_engine_bg.js': glue as unknown as WebAssembly.ModuleImports,
    });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue.SchemaEngine;
  })();
  return engineClass;
}

export async function openSchemaEngine(
  adapter: SqlMigrationAwareDriverAdapterFactory,
  log: (line: string) => void = () => undefined,
): Promise<{ engine: SchemaEngine; close: () => Promise<void> }> {
  const Engine = await loadEngineClass();
  // Keep every connection the engine opens, to dispose of them when it is done.
  const opened: SqlDriverAdapter[] = [];
  const tracked: SqlMigrationAwareDriverAdapterFactory = {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    connect: async () => {
      const connection = await adapter.connect();
      opened.push(connection);
      return connection;
    },
    connectToShadowDb: async () => {
      const connection = await adapter.connectToShadowDb();
      opened.push(connection);
      return connection;
    },
  };
  const bound = bindMigrationAwareSqlAdapterFactory(tracked);
  const dispose = async () => {
    await Promise.allSettled(opened.splice(0).map((c) => c.dispose()));
  };
  let engine: SchemaEngine;
  try {
    engine = await Engine.new({ datamodels: undefined }, log, bound);
  } catch (error) {
    await dispose();
    throw unwrapEngineError(bound, error);
  }
  // Errors raised inside the adapter reach JS as opaque ids: map them back.
  const wrapped = new Proxy(engine, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function' || key === 'free') return value;
      return async (...args: unknown[]) => {
        try {
          return await (value as (...a: unknown[]) => unknown).apply(target, args);
        } catch (error) {
          throw unwrapEngineError(bound, error);
        }
      };
    },
  });
  return {
    engine: wrapped,
    close: async () => {
      engine.free();
      await dispose();
    },
  };
}

/**
 * A database error raised inside the adapter crosses the WASM boundary as an id
 * into the adapter's error registry; fetch the original so its message is kept.
 */
function unwrapEngineError(bound: ReturnType<typeof bindMigrationAwareSqlAdapterFactory>, error: unknown): unknown {
  const message = error instanceof Error ? error.message : '';
  const id = /External error id#(\d+)/.exec(message)?.[1];
  const record = id === undefined ? undefined : bound.errorRegistry.consumeError(Number(id));
  if (!record) return error;
  const original = record.error as { message?: unknown } | undefined;
  const detail = typeof original?.message === 'string' ? original.message : JSON.stringify(original);
  const step = /migration_name="([^"]+)"/.exec(message)?.[1];
  return new Error(step ? `Migration ${step} failed: ${detail}` : detail, { cause: record.error });
}

/** The names of the migrations in `dir`, in order (the folders `prisma migrate` writes). */
export async function migrationNames(dir = MIGRATIONS_DIR): Promise<string[]> {
  return (await readdir(dir, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory() && /^\d{14}_/.test(entry.name))
    .map((entry) => entry.name)
    .sort();
}

/** Reads prisma/migrations the way the Prisma CLI does. */
export async function readMigrations(dir = MIGRATIONS_DIR): Promise<MigrationList> {
  let entries: string[] = [];
  try {
    entries = (await readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const migrationDirectories = await Promise.all(
    entries.map(async (name) => {
      const file = path.join(dir, name, 'migration.sql');
      const content = await readFile(file, 'utf8').then(
        (value) => ({ tag: 'ok' as const, value }),
        (e: Error) => ({ tag: 'error' as const, value: e.message }),
      );
      return { path: name, migrationFile: { path: 'migration.sql', content } };
    }),
  );
  const lockContent = await readFile(path.join(dir, LOCKFILE), 'utf8').catch(() => null);
  return {
    baseDir: dir,
    lockfile: { path: LOCKFILE, content: lockContent },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}

const NO_FILTER = { externalTables: [], externalEnums: [] };

/**
 * True when every migration in `dir` is recorded as applied and none as
 * failed: then there is nothing for the engine to do, and a start need not
 * load it (compiling its WASM takes about a second and holds memory for the
 * life of the process). Any doubt (no history table, a failed migration)
 * answers false, and the engine decides.
 */
export async function migrationsUpToDate(adapter: SqlMigrationAwareDriverAdapterFactory, dir = MIGRATIONS_DIR): Promise<boolean> {
  const connection = await adapter.connect();
  try {
    const result = await connection.queryRaw({
      sql: 'SELECT migration_name, finished_at IS NOT NULL AS finished FROM _prisma_migrations WHERE rolled_back_at IS NULL',
      args: [],
      argTypes: [],
    });
    const done = new Set<unknown>();
    for (const [name, finished] of result.rows) {
      if (finished !== true) return false;
      done.add(name);
    }
    return (await migrationNames(dir)).every((name) => done.has(name));
  } catch {
    return false;
  } finally {
    await connection.dispose();
  }
}

/** Applies pending migrations; returns the names it applied. */
export async function applyMigrations(adapter: SqlMigrationAwareDriverAdapterFactory, dir = MIGRATIONS_DIR): Promise<string[]> {
  if (await migrationsUpToDate(adapter, dir)) return [];
  const { engine, close } = await openSchemaEngine(adapter);
  try {
    const migrationsList = await readMigrations(dir);
    const out = await engine.applyMigrations({ migrationsList, filters: NO_FILTER });
    return out.appliedMigrationNames;
  } finally {
    await close();
  }
}

async function readSchema(schemaPath: string) {
  return { files: [{ path: schemaPath, content: await readFile(schemaPath, 'utf8') }] };
}

/**
 * The SQL that brings a database built from the migrations to the schema, or
 * null when they agree. The migrations are replayed on the adapter's shadow
 * database (Prisma's `migrate diff --from-migrations --to-schema --script`).
 */
export async function diffMigrationsToSchema(
  adapter: SqlMigrationAwareDriverAdapterFactory,
  dir = MIGRATIONS_DIR,
  schemaPath = SCHEMA_PATH,
): Promise<string | null> {
  const { engine, close } = await openSchemaEngine(adapter);
  try {
    const out = await engine.diff({
      from: { tag: 'migrations', ...(await readMigrations(dir)) },
      to: { tag: 'schemaDatamodel', ...(await readSchema(schemaPath)) },
      script: true,
      exitCode: true,
      filters: NO_FILTER,
    });
    return out.exitCode === 2 && out.stdout ? out.stdout : null;
  } finally {
    await close();
  }
}

/** Prisma's folder name: UTC timestamp, then the name in snake case. */
export function migrationFolderName(name: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const slug = name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!slug) throw new Error('A migration needs a name of letters or digits');
  return `${stamp}_${slug}`;
}

/** Writes the next migration folder from the schema diff; returns its path, or null when nothing changed. */
export async function createMigration(
  adapter: SqlMigrationAwareDriverAdapterFactory,
  name: string,
  dir = MIGRATIONS_DIR,
  schemaPath = SCHEMA_PATH,
): Promise<string | null> {
  const folderName = migrationFolderName(name);
  const lockfile = path.join(dir, LOCKFILE);
  if ((await readFile(lockfile, 'utf8').catch(() => null)) === null) {
    await mkdir(dir, { recursive: true });
    await writeFile(
      lockfile,
      '# Please do not edit this file manually\n' +
        '# It should be added in your version-control system (e.g., Git)\n' +
        'provider = "postgresql"\n',
    );
  }
  const script = await diffMigrationsToSchema(adapter, dir, schemaPath);
  if (!script) return null;
  const folder = path.join(dir, folderName);
  await mkdir(folder, { recursive: true });
  await writeFile(path.join(folder, 'migration.sql'), script);
  return folder;
}
