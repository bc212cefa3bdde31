import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { PrismaClient } from '../generated/prisma/client.js';
import { DATABASE, type Database } from './database.js';
import { Driver } from './driver.js';

/** The Prisma client over the configured adapter. Only repositories use it. */
@Injectable()
export class PrismaService extends PrismaClient implements OnModuleInit, OnApplicationShutdown {
  /** Prisma's connection, for the hottest statements (see Driver). */
  readonly driver: Driver;

  constructor(@Inject(DATABASE) readonly database: Database) {
    const driver = new Driver();
    super({ adapter: driver.capture(database.adapter) });
    this.driver = driver;
  }

  /** Connects now, so that the driver is there for the first request. */
  async onModuleInit(): Promise<void> {
    await this.$connect();
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
