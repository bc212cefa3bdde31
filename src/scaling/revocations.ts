import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Subject } from '../auth/caller.js';
import { connectRedis } from './redis.js';

/** What an instance drops from its bearer cache: one token, every token of a subject, or everything. */
export type Revocation = { tokenId: string } | { subject: Subject } | { all: true };

/**
 * Tells the other instances of the service that tokens were revoked, so that
 * each drops them from its bearer cache at once. Without a shared channel
 * (the default) a revocation reaches the others within TOKEN_CACHE_SECONDS.
 */
export abstract class Revocations {
  /** Announces a revocation that has been committed. Never throws: the cache bound still holds. */
  abstract publish(revocation: Revocation): Promise<void>;
  /** `handler` gets the revocations of the other instances (and `{all}` when some may have been missed). */
  abstract subscribe(handler: (revocation: Revocation) => void): void;
  abstract close(): Promise<void>;
}

export const REVOCATIONS = Symbol('Revocations');

/** One instance: nothing to tell. */
export class LocalRevocations extends Revocations {
  async publish(): Promise<void> {}
  subscribe(): void {}
  async close(): Promise<void> {}
}

/** The channel revocations travel on, in the shared Redis. */
export const REVOCATION_CHANNEL = 'spaces:revocations';

/**
 * Revocations over Redis publish/subscribe. A message lost while an
 * instance's subscription was down cannot be replayed: when it comes back,
 * the instance drops its whole bearer cache (every token is read again once).
 */
export class RedisRevocations extends Revocations {
  private readonly logger = new Logger('Revocations');
  private readonly instance = randomUUID();
  private handler?: (revocation: Revocation) => void;
  private subscribedOnce = false;

  private constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
  ) {
    super();
    this.subscriber.on('ready', () => void this.resubscribe());
    this.subscriber.on('message', (_channel: string, message: string) => this.receive(message));
  }

  static async connect(url: string): Promise<RedisRevocations> {
    return new RedisRevocations(await connectRedis(url, 'revocations-pub'), await connectRedis(url, 'revocations-sub'));
  }

  private async resubscribe(): Promise<void> {
    try {
      await this.subscriber.subscribe(REVOCATION_CHANNEL);
      if (this.subscribedOnce) {
        this.logger.warn('The revocation channel is back: dropping the bearer cache (revocations may have been missed)');
        this.handler?.({ all: true });
      }
      this.subscribedOnce = true;
    } catch (error) {
      this.logger.warn(`Subscribing to revocations failed: ${(error as Error).message}`);
    }
  }

  private receive(message: string): void {
    try {
      const { from, revocation } = JSON.parse(message) as { from: string; revocation: Revocation };
      if (from !== this.instance) this.handler?.(revocation);
    } catch {
      // not ours
    }
  }

  async publish(revocation: Revocation): Promise<void> {
    try {
      await this.publisher.publish(REVOCATION_CHANNEL, JSON.stringify({ from: this.instance, revocation }));
    } catch (error) {
      this.logger.warn(`Publishing a revocation failed (other instances drop it within TOKEN_CACHE_SECONDS): ${(error as Error).message}`);
    }
  }

  subscribe(handler: (revocation: Revocation) => void): void {
    this.handler = handler;
  }

  async close(): Promise<void> {
    this.publisher.disconnect();
    this.subscriber.disconnect();
  }
}
