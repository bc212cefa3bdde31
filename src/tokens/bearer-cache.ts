import type { Caller, Subject } from '../auth/caller.js';

interface Entry {
  caller: Caller;
  tokenId: string;
  subject: string;
  /** Epoch milliseconds after which the entry is not used. */
  until: number;
}

/**
 * Bearer tokens verified recently, by their serialised form: a request with
 * one of them skips the token's row and signature. Only tokens whose verdict
 * cannot depend on the request are kept (the service decides which). Entries
 * last at most `ttlMs`, and never past the token's own expiry. Bounded in
 * size: the oldest entry goes first.
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
  set(serialized: string, tokenId: string, subject: Subject, caller: Caller, expiresAt: number | null, now = Date.now()): void {
    if (this.ttlMs <= 0) return;
    const until = Math.min(now + this.ttlMs, expiresAt ?? Infinity);
    if (until <= now) return;
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(serialized, { caller, tokenId, subject: subjectKey(subject), until });
  }

  /** Forgets every form of a token (it may be cached in several confined forms). */
  forget(tokenId: string): void {
    for (const [key, entry] of this.entries) if (entry.tokenId === tokenId) this.entries.delete(key);
  }

  /** Forgets every token of a subject. */
  forgetSubject(subject: Subject): void {
    const key = subjectKey(subject);
    for (const [serialized, entry] of this.entries) if (entry.subject === key) this.entries.delete(serialized);
  }

  get size(): number {
    return this.entries.size;
  }
}

function subjectKey(subject: Subject): string {
  return `${subject.type}:${subject.id}`;
}
