import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { SPACES_CONFIG } from '../../config/spaces-config.js';
import type { AppConfig } from '../../config/environment.js';
import type { Tx } from '../../database/transactions.js';
import { type IdempotencyRecord, IdempotencyRepository } from './idempotency.repository.js';

/** A request that came with an Idempotency-Key and has no outcome yet. */
export type IdempotencyClaim = Omit<IdempotencyRecord, 'status' | 'resourceId'>;

/** How often expired keys are purged. */
const PURGE_EVERY_MS = 60 * 60 * 1000;

/** JSON with object keys sorted, so that `{"a":1,"b":2}` and `{"b":2,"a":1}` are one body. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** What makes two requests the same request: method, path and body. */
export function fingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${canonicalJson(body ?? null)}`)
    .digest('hex');
}

/**
 * Idempotent creations (`Idempotency-Key`). The guard looks up a key
 * and replays its outcome; otherwise it runs the handler with the claim in
 * scope, and the service records the outcome inside the creation's own
 * transaction: the creation and its key are stored together or not at all,
 * and a concurrent request with the same key waits on the key's row.
 */
@Injectable()
export class Idempotency implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Idempotency');
  private readonly claims = new AsyncLocalStorage<IdempotencyClaim>();
  /** Requests running with a claim in scope (see within()). */
  private running = 0;
  private purging?: NodeJS.Timeout;

  constructor(
    private readonly records: IdempotencyRepository,
    @Inject(SPACES_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.purging = setInterval(() => void this.purge(), PURGE_EVERY_MS);
    this.purging.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.purging);
  }

  /** The outcome stored for the caller's key, if any (and not yet expired). */
  previous(callerKey: string, key: string): Promise<IdempotencyRecord | null> {
    return this.records.find(callerKey, key);
  }

  /**
   * Runs the handler `work` returns with the claim in scope, until it settles.
   *
   * On Node 20, an AsyncLocalStorage that has run once hooks every promise the
   * process creates from then on (about three times the cost of each), for
   * every request, keyed or not. So the storage is disabled again whenever no
   * keyed request is running: one client's Idempotency-Key does not slow the
   * rest of the process's life.
   */
  async within<T>(claim: IdempotencyClaim, work: () => T): Promise<Awaited<T>> {
    this.running++;
    try {
      return await this.claims.run(claim, work);
    } finally {
      if (--this.running === 0) this.claims.disable();
    }
  }

  /** Whether a keyed request is running now (its claim's storage is enabled only then). */
  get tracking(): boolean {
    return this.running > 0;
  }

  /** Whether the request being handled came with a key: creations then take their transactional path. */
  get claimed(): boolean {
    return this.claims.getStore() !== undefined;
  }

  /** Inside a creation's transaction: stores its outcome under the request's key, if it has one. */
  async record(tx: Tx, resourceId: string, status = 201): Promise<void> {
    const claim = this.claims.getStore();
    if (claim) await this.records.insert(tx, { ...claim, status, resourceId });
  }

  /** Forgets keys older than IDEMPOTENCY_KEY_HOURS. */
  async purge(now = new Date()): Promise<number> {
    const before = new Date(now.getTime() - this.config.IDEMPOTENCY_KEY_HOURS * 3600 * 1000);
    try {
      return await this.records.purge(before);
    } catch (error) {
      this.logger.warn(`Purging expired idempotency keys failed: ${(error as Error).message}`);
      return 0;
    }
  }
}
