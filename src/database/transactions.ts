import { Inject, Injectable } from '@nestjs/common';
import { transactionTimeoutMs } from '../common/request-deadline.js';
import { SPACES_CONFIG } from '../config/spaces-config.js';
import type { AppConfig } from '../config/environment.js';
import type { Prisma } from '../generated/prisma/client.js';
import { PrismaService } from './prisma.service.js';

/** A transaction handle, passed from a service to the repositories it calls. */
export type Tx = Prisma.TransactionClient;

/** Lets services group repository calls in one transaction without touching Prisma. */
@Injectable()
export class Transactions {
  private readonly timeout: number;

  constructor(
    private readonly prisma: PrismaService,
    @Inject(SPACES_CONFIG) config: AppConfig,
  ) {
    this.timeout = transactionTimeoutMs(config);
  }

  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(work, { maxWait: 5_000, timeout: this.timeout });
  }
}
