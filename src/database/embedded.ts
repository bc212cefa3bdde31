import { fork } from 'node:child_process';
import { access, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import { pgliteAdapter } from './adapters.js';
import { applyMigrations } from './schema-engine.js';

/**
 * PostgreSQL settings for the embedded database beyond PGlite's own. Its
 * shared buffers live in the service's memory, and PGlite touches all of them
 * at start: initdb's 128 MB would be resident from the first second. The data
 * files are in the operating system's page cache anyway, so 16 MB costs no
 * measurable throughput (see README, Performance) and saves about 110 MB.
 */
export const EMBEDDED_SETTINGS: readonly string[] = ['-c', 'shared_buffers=16MB'];

/** Where the embedded database keeps its files, inside DATA_DIR. */
export function embeddedDataPath(dataDir: string): string {
  return path.join(dataDir, 'pgdata');
}

/** Opens (or, in an empty folder, creates) the embedded database in `dataPath`, with the service's settings. */
export async function openEmbedded(dataPath: string): Promise<PGlite> {
  const { PGlite } = await import('@electric-sql/pglite'); // not loaded on PostgreSQL
  return PGlite.create(dataPath, { startParams: [...PGlite.defaultStartParams, ...EMBEDDED_SETTINGS] });
}

/** Whether `dataPath` holds a database already (a new one is put there only once complete: see migrateEmbeddedHere). */
export async function embeddedExists(dataPath: string): Promise<boolean> {
  return access(path.join(dataPath, 'PG_VERSION')).then(
    () => true,
    () => false,
  );
}

/**
 * Creates the embedded database if need be and applies its pending
 * migrations, in this process; returns their names. A new database is made
 * and migrated beside `dataPath` (in `<dataPath>.new`) and renamed into place
 * once complete, so that a start interrupted half-way leaves no database
 * behind, only a staging folder the next start replaces.
 */
export async function migrateEmbeddedHere(dataPath: string): Promise<string[]> {
  try {
    const found = await stat(dataPath).catch(() => undefined);
    if (found && !found.isDirectory()) throw new Error('it is not a folder');
    if (await embeddedExists(dataPath)) return await migrate(dataPath);
    const staging = `${dataPath}.new`;
    await rm(staging, { recursive: true, force: true });
    const applied = await migrate(staging);
    await rename(staging, dataPath); // onto nothing, or an empty folder
    return applied;
  } catch (error) {
    throw new Error(`Preparing the embedded database in ${dataPath} failed: ${reason(error)}`, { cause: error });
  }
}

async function migrate(dataPath: string): Promise<string[]> {
  const db = await openEmbedded(dataPath);
  try {
    return await applyMigrations(pgliteAdapter(db));
  } finally {
    await db.close();
  }
}

/** An error's message; PGlite's file system errors carry only a number. */
function reason(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  if (typeof error === 'object' && error !== null && 'errno' in error) return `file system error ${String(error.errno)}`;
  return String(error);
}

/** What the child process reports: the migrations it applied, or why it could not. */
export type PreparedMessage = { applied: string[] } | { error: string };

/** The child's entry, beside this module once built. */
const CHILD = new URL('./prepare-embedded.js', import.meta.url);

/** How much of a child's output an error quotes. */
const OUTPUT_TAIL = 2000;

/**
 * Creates the embedded database if need be and applies its pending
 * migrations in a short-lived child process (dist/database/prepare-embedded.js),
 * never in the service's own: initdb's work and Prisma's schema engine (its
 * WebAssembly, compiled, and the memory its run leaves behind) would stay in
 * the service's RSS for the life of the process, about 50 MB on a first start.
 * The caller holds DATA_DIR's lock and opens nothing in `dataPath` meanwhile;
 * the child exits with it if it goes. Returns the names of the migrations
 * applied; rejects with the child's error.
 *
 * Run from the TypeScript sources (the tests' transform), where there is no
 * built entry to start, the same work runs in this process.
 */
export function prepareEmbedded(dataPath: string): Promise<string[]> {
  if (import.meta.url.endsWith('.ts')) return migrateEmbeddedHere(dataPath);
  return new Promise((resolve, reject) => {
    // Plain `node`: the service's own flags (a profiler's, an inspector's) are not the child's.
    const child = fork(fileURLToPath(CHILD), [dataPath], { execArgv: [], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    let output = '';
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-OUTPUT_TAIL));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    let answer: PreparedMessage | undefined;
    child.on('message', (message: PreparedMessage) => (answer = message));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (answer && 'applied' in answer && code === 0) return resolve(answer.applied);
      if (answer && 'error' in answer) return reject(new Error(answer.error));
      const how = signal ? `was killed (${signal})` : `exited (${code})`;
      reject(
        new Error(`Preparing the embedded database in ${dataPath} failed: its process ${how}${output.trim() ? `:\n${output.trim()}` : ''}`),
      );
    });
  });
}
