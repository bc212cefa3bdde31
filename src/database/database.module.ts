import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { SPACES_CONFIG } from '../config/spaces-config.js';
import type { AppConfig } from '../config/environment.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { DATABASE, type Database, HOST_PRISMA, hostDatabase, openDatabase } from './database.js';
import { Driver } from './driver.js';
import { PrismaService } from './prisma.service.js';
import { ReplicaReads, WriteTracker } from './replica-reads.js';
import { Transactions } from './transactions.js';

/**
 * Closes what the service opened, as the last step of shutdown: Nest has
 * already closed the HTTP server and let the requests in flight finish
 * (they still need the database until then).
 */
@Injectable()
class DatabaseShutdown implements OnApplicationShutdown {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  async onApplicationShutdown(): Promise<void> {
    await this.database.close();
  }
}

@Global()
@Module({
  providers: [
    {
      provide: DATABASE,
      inject: [SPACES_CONFIG, HOST_PRISMA],
      useFactory: (config: AppConfig, host: PrismaClient | null) => (host ? hostDatabase(host) : openDatabase(config)),
    },
    { provide: PrismaService, inject: [DATABASE], useFactory: (database: Database) => database.prisma },
    { provide: Driver, inject: [DATABASE], useFactory: (database: Database) => database.driver },
    {
      provide: ReplicaReads,
      inject: [DATABASE, SPACES_CONFIG],
      useFactory: (database: Database, config: AppConfig) =>
        new ReplicaReads(database.prisma, database.replica, (config.DATABASE_REPLICA_FRESH_SECONDS ?? 5) * 1000),
    },
    WriteTracker,
    DatabaseShutdown,
    Transactions,
  ],
  exports: [DATABASE, PrismaService, Driver, Transactions, ReplicaReads, WriteTracker],
})
export class DatabaseModule {}
