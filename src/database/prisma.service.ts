import type { PrismaClient } from '../generated/prisma/client.js';

/**
 * The Prisma client the repositories use, as a DI token: the service's own
 * over the configured database, or a host application's (SpacesModule's
 * `database.prisma`). Only repositories use it.
 */
// The token's type is the client's (declaration merging: no implementation to write).
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export abstract class PrismaService {}
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface PrismaService extends PrismaClient {}
