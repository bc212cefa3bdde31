import { Controller } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import { Public } from '../../auth/auth.decorators.js';

/**
 * GET /metrics (the path is SpacesMetricsModule's `path`): prom-client's
 * default registry in Prometheus' text format. Outside the API document, as
 * /health is, and outside the feature's pipeline: no rate limit (a scrape
 * never uses a caller's allowance, nor is refused under load), no token:
 * expose it to the scraper only (or turn it off).
 */
@ApiExcludeController()
@Public()
@Controller()
export class MetricsController extends PrometheusController {}
