import type { Caller } from '../auth/caller.js';

interface Entry {
  caller: Caller;
  tokenId: string;
  /** Epoch milliseconds after which the entry is not used. */
  until: number;
}

/**
 * Bearer tokens verified recently, by their serialised form: a request with
 * one of them skips the token's row and signature. Entries last at most
 * `ttlMs`, and never past the token's own expiry. Bounded in size: the
 * oldest entry goes first.
 */
export class BearerCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(serialized: string, now = Date.now()): Caller | undefined {
    const entry = this.entries.get(serialized);
    if (!entry) return undefined;
    if (entry.until <= now) {
      this.entries.delete(serialized);
      return undefined;
    }
    return entry.caller;
  }

  /** Remembers a verified token; `expiresAt` is its earliest expiry (epoch ms), if any. */
  set(serialized: string, tokenId: string, caller: Caller, expiresAt: number | null, now = Date.now()): void {
    if (this.ttlMs <= 0) return;
    const until = Math.min(now + this.ttlMs, expiresAt ?? Infinity);
    if (until <= now) return;
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(serialized, { caller, tokenId, until });
  }

  /** Forgets every form of a token (it may be cached in several attenuated forms). */
  forget(tokenId: string): void {
    for (const [key, entry] of this.entries) if (entry.tokenId === tokenId) this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
