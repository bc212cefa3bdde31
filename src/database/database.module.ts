import { Global, Module } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/environment.js';
import { DATABASE, openDatabase } from './database.js';
import { PrismaService } from './prisma.service.js';
import { Transactions } from './transactions.js';

@Global()
@Module({
  providers: [
    { provide: DATABASE, inject: [APP_CONFIG], useFactory: (config: AppConfig) => openDatabase(config) },
    PrismaService,
    Transactions,
  ],
  exports: [PrismaService, Transactions],
})
export class DatabaseModule {}
