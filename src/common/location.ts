import { Inject, Injectable } from '@nestjs/common';
import { ApplicationConfig } from '@nestjs/core';
import { SPACES_CONFIG } from '../config/spaces-config.js';
import type { AppConfig } from '../config/environment.js';

/**
 * The part of a response a controller writes to. Fastify's reply and
 * Express's response both have it, so the controllers serve either adapter
 * (a host platform may run Express).
 */
export interface ReplyHeaders {
  header(name: string, value: string): unknown;
}

/**
 * Builds path-absolute `Location` values: under the
 * application's global prefix (the standalone service's API_PREFIX, or a
 * host's own), then the feature's route prefix.
 */
@Injectable()
export class Locations {
  private prefix?: string;

  constructor(
    @Inject(SPACES_CONFIG) private readonly config: AppConfig,
    private readonly application: ApplicationConfig,
  ) {}

  of(...segments: string[]): string {
    // Read on first use: the global prefix is set after the modules are built.
    this.prefix ??= `${normalize(this.application.getGlobalPrefix())}${this.config.API_PREFIX}`;
    return `${this.prefix}/${segments.map(encodeURIComponent).join('/')}`;
  }

  /** Sets the response's `Location` to the resource at `segments`. */
  set(reply: ReplyHeaders, ...segments: string[]): void {
    reply.header('Location', this.of(...segments));
  }
}

/** `api/v1/` → `/api/v1`; `` → ``. */
function normalize(prefix: string): string {
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  return trimmed ? `/${trimmed}` : '';
}
