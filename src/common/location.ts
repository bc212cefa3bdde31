import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/environment.js';

/**
 * The part of a response a controller writes to. Fastify's reply and
 * Express's response both have it, so the controllers serve either adapter
 * (a host platform may run Express).
 */
export interface ReplyHeaders {
  header(name: string, value: string): unknown;
}

/** Builds path-absolute `Location` values under the API prefix (DESIGN §4). */
@Injectable()
export class Locations {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  of(...segments: string[]): string {
    return `${this.config.API_PREFIX}/${segments.map(encodeURIComponent).join('/')}`;
  }

  /** Sets the response's `Location` to the resource at `segments`. */
  set(reply: ReplyHeaders, ...segments: string[]): void {
    reply.header('Location', this.of(...segments));
  }
}
