import { HealthIndicatorService } from '@nestjs/terminus';
import type { PrismaService } from '../database/prisma.service.js';
import { migrationNames } from '../database/schema-engine.js';
import { SpacesHealthIndicator } from './spaces-health.indicator.js';

/** A PrismaService whose raw query answers with `answer()`. */
const prismaAnswering = (answer: () => Promise<unknown>) => ({ $queryRawUnsafe: () => answer() }) as unknown as PrismaService;

describe('SpacesHealthIndicator', () => {
  it('is up when every shipped migration is applied', async () => {
    const shipped = await migrationNames();
    const rows = shipped.map((migration_name) => ({ migration_name }));
    const indicator = new SpacesHealthIndicator(
      new HealthIndicatorService(),
      prismaAnswering(async () => rows),
    );
    await expect(indicator.isReady()).resolves.toEqual({ spaces: { status: 'up', applied: shipped.length } });
  });

  it('is down with the pending migrations when one is missing', async () => {
    const shipped = await migrationNames();
    const rows = shipped.slice(1).map((migration_name) => ({ migration_name }));
    const indicator = new SpacesHealthIndicator(
      new HealthIndicatorService(),
      prismaAnswering(async () => rows),
    );
    await expect(indicator.isReady('db')).resolves.toEqual({ db: { status: 'down', pending: [shipped[0]] } });
  });

  it('is down, without rejecting, when the database fails or does not answer in time', async () => {
    const failing = new SpacesHealthIndicator(
      new HealthIndicatorService(),
      prismaAnswering(() => Promise.reject(new Error('connection refused'))),
    );
    await expect(failing.isReady()).resolves.toEqual({ spaces: { status: 'down', database: 'unreachable' } });
    const silent = new SpacesHealthIndicator(
      new HealthIndicatorService(),
      prismaAnswering(() => new Promise(() => undefined)),
    );
    await expect(silent.isReady('spaces', { timeoutMs: 50 })).resolves.toEqual({
      spaces: { status: 'down', database: 'no answer within 50 ms' },
    });
  });
});
