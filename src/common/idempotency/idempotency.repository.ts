import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../database/prisma.service.js';
import type { Tx } from '../../database/transactions.js';

export interface IdempotencyRecord {
  callerKey: string;
  key: string;
  fingerprint: string;
  status: number;
  resourceId: string;
}

@Injectable()
export class IdempotencyRepository {
  constructor(private readonly prisma: PrismaService) {}

  find(callerKey: string, key: string): Promise<IdempotencyRecord | null> {
    return this.prisma.idempotencyKey.findUnique({
      where: { callerKey_key: { callerKey, key } },
      select: { callerKey: true, key: true, fingerprint: true, status: true, resourceId: true },
    });
  }

  /** Fails with a unique violation while another transaction holds the same key. */
  async insert(tx: Tx, record: IdempotencyRecord): Promise<void> {
    await tx.idempotencyKey.create({ data: record });
  }

  /** Forgets keys older than `before`; the number forgotten. */
  async purge(before: Date): Promise<number> {
    const { count } = await this.prisma.idempotencyKey.deleteMany({ where: { createdAt: { lt: before } } });
    return count;
  }
}
