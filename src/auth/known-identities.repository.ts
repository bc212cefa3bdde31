import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';
import { type Caller, callerKey } from './caller.js';

/** Ids recorded by this process; past this many, the set starts again (a re-insert is harmless). */
const MAX_REMEMBERED = 100_000;

/**
 * Users and providers of a host application, recorded on first sight: a
 * space's members and supporters are rows the service's tables refer to.
 * One insert per caller and process; it does nothing when the row exists
 * (another instance, an earlier start).
 */
@Injectable()
export class KnownIdentitiesRepository {
  private readonly recorded = new Set<string>();

  constructor(private readonly prisma: PrismaService) {}

  async record(caller: Caller, name: string | null): Promise<void> {
    if (caller.type === 'admin') return;
    const key = callerKey(caller);
    if (this.recorded.has(key)) return;
    if (caller.type === 'user') {
      await this.prisma.user.createMany({ data: [{ id: caller.userId, name: name ?? caller.userId }], skipDuplicates: true });
    } else {
      await this.prisma.provider.createMany({
        data: [{ id: caller.providerId, name: name ?? caller.providerId, capacity: null }],
        skipDuplicates: true,
      });
    }
    if (this.recorded.size >= MAX_REMEMBERED) this.recorded.clear();
    this.recorded.add(key);
  }
}
