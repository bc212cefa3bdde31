import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/environment.js';

/** Builds path-absolute `Location` values under the API prefix (DESIGN §4). */
@Injectable()
export class Locations {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  of(...segments: string[]): string {
    return `${this.config.API_PREFIX}/${segments.map(encodeURIComponent).join('/')}`;
  }
}
