import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthCheckResult, PrismaHealthIndicator } from '@nestjs/terminus';
import { Public } from '../auth/auth.decorators.js';
import { ApiError } from '../common/api-error.js';
import { PrismaService } from '../database/prisma.service.js';

/** Outside the API prefix, so outside the API document (its server URL is the prefix). */
@ApiExcludeController()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly prismaHealth: PrismaHealthIndicator,
    private readonly prisma: PrismaService,
  ) {}

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

  /** Liveness: the process answers HTTP, whatever the database's state (no I/O). */
  @Get('live')
  @Public()
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
