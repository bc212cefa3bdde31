import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  type HealthCheckResult,
  HealthIndicatorService,
  PrismaHealthIndicator,
} from '@nestjs/terminus';
import { Public } from '../auth/auth.decorators.js';
import { ApiError } from '../common/api-error.js';
import { PrismaService } from '../database/prisma.service.js';
import { migrationNames } from '../database/schema-engine.js';
import { SpacesApi } from '../common/spaces-api.decorator.js';

/** Outside the API prefix, so outside the API document (its server URL is the prefix). */
@ApiExcludeController()
@SpacesApi()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly prismaHealth: PrismaHealthIndicator,
    private readonly prisma: PrismaService,
    private readonly indicators: HealthIndicatorService,
  ) {}

  /** The migrations this build ships, read once. */
  private readonly shipped = migrationNames();

  @Get()
  @Public()
  @HealthCheck({ swaggerDocumentation: false })
  async check(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => this.prismaHealth.pingCheck('database', this.prisma, { timeout: 2_000 }),
      ]);
    } catch (error) {
      if (error instanceof ServiceUnavailableException) {
        throw new ApiError('service_unavailable', 'The database is not reachable.');
      }
      throw error;
    }
  }

  /**
   * Readiness: the database answers and holds every migration this build
   * ships. A load balancer sends traffic only to ready instances.
   */
  @Get('ready')
  @Public()
  @HealthCheck({ swaggerDocumentation: false })
  async ready(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => this.prismaHealth.pingCheck('database', this.prisma, { timeout: 2_000 }),
        () => this.migrations(),
      ]);
    } catch (error) {
      if (error instanceof ServiceUnavailableException) {
        const result = error.getResponse() as HealthCheckResult;
        const pending = (result.error?.migrations as { pending?: string[] } | undefined)?.pending;
        throw new ApiError(
          'service_unavailable',
          pending ? `Not ready: ${pending.length} migration(s) not applied yet.` : 'The database is not reachable.',
        );
      }
      throw error;
    }
  }

  private async migrations() {
    const session = this.indicators.check('migrations');
    const rows = await this.prisma.$queryRaw<{ migration_name: string }[]>`
      SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
    const applied = new Set(rows.map((row) => row.migration_name));
    const shipped = await this.shipped;
    const pending = shipped.filter((name) => !applied.has(name));
    return pending.length === 0 ? session.up({ applied: shipped.length }) : session.down({ pending });
  }

  /** Liveness: the process answers HTTP, whatever the database's state (no I/O). */
  @Get('live')
  @Public()
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
