import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthCheckResult, PrismaHealthIndicator } from '@nestjs/terminus';
import { Public } from '../auth/auth.decorators.js';
import { ApiError } from '../common/api-error.js';
import { PrismaService } from '../database/prisma.service.js';
import { SpacesApi } from '../common/spaces-api.decorator.js';
import { SpacesHealthIndicator } from './spaces-health.indicator.js';

/** Outside the API prefix, so outside the API document (its server URL is the prefix). */
@ApiExcludeController()
@SpacesApi()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly prismaHealth: PrismaHealthIndicator,
    private readonly prisma: PrismaService,
    private readonly spaces: SpacesHealthIndicator,
  ) {}

  @Get()
  @Public()
  @HealthCheck({ swaggerDocumentation: false })
  async check(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([() => this.prismaHealth.pingCheck('database', this.prisma, { timeout: 2_000 })]);
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
        () => this.spaces.migrations(),
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

  /** Liveness: the process answers HTTP, whatever the database's state (no I/O). */
  @Get('live')
  @Public()
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
