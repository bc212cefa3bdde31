import { Injectable } from '@nestjs/common';
import type { Prisma } from '../generated/prisma/client.js';
import { PrismaService } from './prisma.service.js';

/** A transaction handle, passed from a service to the repositories it calls. */
export type Tx = Prisma.TransactionClient;

/** Lets services group repository calls in one transaction without touching Prisma. */
@Injectable()
export class Transactions {
  constructor(private readonly prisma: PrismaService) {}

  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(work, { maxWait: 5_000, timeout: 10_000 });
  }
}
