import { Injectable } from '@nestjs/common';
import { type HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { pendingMigrations } from '../database/database.js';
import { PrismaService } from '../database/prisma.service.js';
import { migrationNames } from '../database/schema-engine.js';

/**
 * The spaces feature's health, for @nestjs/terminus: the service's own
 * `/health/ready`, and a host application's health check
 * (`health.check([() => spaces.isReady()])`).
 */
@Injectable()
export class SpacesHealthIndicator {
  /** The migrations this build ships, read once. */
  private readonly shipped = migrationNames();

  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly prisma: PrismaService,
  ) {}

  /**
   * Up when the database holds every migration this build ships; down with
   * the pending ones otherwise. A database that does not answer rejects (the
   * caller's ping check reports it).
   */
  async migrations(key = 'migrations'): Promise<HealthIndicatorResult> {
    const session = this.indicators.check(key);
    const pending = await pendingMigrations(this.prisma, this.shipped);
    return pending.length === 0 ? session.up({ applied: (await this.shipped).length }) : session.down({ pending });
  }

  /**
   * Ready to serve: the database answers within `timeoutMs` and holds every
   * migration. One result under `key`, never a rejection, for a host's check.
   */
  async isReady(key = 'spaces', { timeoutMs = 2_000 }: { timeoutMs?: number } = {}): Promise<HealthIndicatorResult> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    try {
      const result = await Promise.race([this.migrations(key), timeout]);
      if (result === 'timeout') return this.indicators.check(key).down({ database: `no answer within ${timeoutMs} ms` });
      return result;
    } catch {
      return this.indicators.check(key).down({ database: 'unreachable' });
    } finally {
      clearTimeout(timer);
    }
  }
}
