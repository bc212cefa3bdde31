import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { pgAdapter } from '../database/adapters.js';
import { applyMigrations } from '../database/schema-engine.js';

/**
 * Applies the spaces migrations a database lacks; returns the names applied.
 * For a host that hands SpacesModule its own Prisma client: run it before
 * the application starts (a deploy step, or the host's own migration run).
 * Takes a PostgreSQL URL, or a driver adapter (such as `new PrismaPg(...)`).
 * The history is Prisma's own `_prisma_migrations`, as `prisma migrate
 * deploy` keeps it.
 */
export async function migrateSpacesDatabase(target: string | SqlMigrationAwareDriverAdapterFactory): Promise<string[]> {
  return applyMigrations(typeof target === 'string' ? pgAdapter(target, { max: 1 }) : target);
}
