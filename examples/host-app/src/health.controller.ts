import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { SpacesHealthIndicator } from 'spaces-service';

/** The host's own health check, with the spaces feature as one of its parts. */
@Controller('health')
export class HostHealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly spaces: SpacesHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check(): Promise<HealthCheckResult> {
    return this.health.check([() => this.spaces.isReady('spaces')]);
  }
}
