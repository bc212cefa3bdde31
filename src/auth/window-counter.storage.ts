import type { ThrottlerStorage } from '@nestjs/throttler';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

interface Window {
  hits: number;
  /** When this window ends (ms since the epoch). */
  endsAt: number;
}

/**
 * Rate-limit counts as fixed windows: one counter a caller, O(1) a request.
 * (@nestjs/throttler's default storage keeps a timestamp for every hit and
 * filters them on each request: with a limit in the thousands, that is most
 * of a request's CPU, and it grows with the caller's own rate.) Windows that
 * ended are swept every `sweepMs`, so memory follows the active callers.
 */
export class WindowCounterStorage implements ThrottlerStorage {
  private readonly windows = new Map<string, Window>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    sweepMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {
    this.sweeper = setInterval(() => this.sweep(), sweepMs);
    this.sweeper.unref();
  }

  async increment(key: string, ttl: number, limit: number, _blockDuration: number, throttler: string): Promise<ThrottlerStorageRecord> {
    const now = this.now();
    const id = `${throttler}\u0000${key}`;
    let window = this.windows.get(id);
    if (!window || window.endsAt <= now) {
      window = { hits: 0, endsAt: now + ttl };
      this.windows.set(id, window);
    }
    window.hits += 1;
    const secondsLeft = Math.max(1, Math.ceil((window.endsAt - now) / 1000));
    const isBlocked = window.hits > limit;
    return { totalHits: window.hits, timeToExpire: secondsLeft, isBlocked, timeToBlockExpire: isBlocked ? secondsLeft : 0 };
  }

  /** Forgets windows that have ended. */
  sweep(): void {
    const now = this.now();
    for (const [id, window] of this.windows) if (window.endsAt <= now) this.windows.delete(id);
  }

  get size(): number {
    return this.windows.size;
  }

  close(): void {
    clearInterval(this.sweeper);
  }
}
