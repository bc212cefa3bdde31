import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { PrismaClient } from '../generated/prisma/client.js';
import { DATABASE, type Database } from './database.js';

/** The Prisma client over the configured adapter. Only repositories use it. */
@Injectable()
export class PrismaService extends PrismaClient implements OnApplicationShutdown {
  constructor(@Inject(DATABASE) readonly database: Database) {
    super({ adapter: database.adapter });
  }

  /**
   * Last step of shutdown: Nest has already closed the HTTP server and let
   * in-flight requests finish (they still need the database until then).
   */
  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
    await this.database.close();
  }
}
