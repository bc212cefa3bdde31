import type { Caller, Subject } from '../auth/caller.js';

/** What is kept of a verified bearer token. */
export interface CachedBearer<T = unknown> {
  tokenId: string;
  subject: Subject;
  caller: Caller;
  /** What the token is, independently of the request (its caveats are judged again unless timeOnly). */
  established: T;
  /** Only time caveats: the verdict cannot depend on the request. */
  timeOnly: boolean;
  /** The token's earliest expiry (epoch ms), if any. */
  expiresAt: number | null;
}

interface Entry<T> extends CachedBearer<T> {
  subjectKey: string;
  /** Epoch milliseconds after which the entry is not used. */
  until: number;
}

/**
 * Bearer tokens verified recently, by their serialised form: a request with
 * one of them skips the token's row and signature. Entries last at most
 * `ttlMs`, and never past the token's own expiry. Bounded in size: the
 * oldest entry goes first.
 */
export class BearerCache<T = unknown> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(serialized: string, now = Date.now()): CachedBearer<T> | undefined {
    const entry = this.entries.get(serialized);
    if (!entry) return undefined;
    if (entry.until <= now) {
      this.entries.delete(serialized);
      return undefined;
    }
    return entry;
  }

  set(serialized: string, bearer: CachedBearer<T>, now = Date.now()): void {
    if (this.ttlMs <= 0) return;
    const until = Math.min(now + this.ttlMs, bearer.expiresAt ?? Infinity);
    if (until <= now) return;
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(serialized, { ...bearer, subjectKey: subjectKey(bearer.subject), until });
  }

  /** Forgets every form of a token (it may be cached in several confined forms). */
  forget(tokenId: string): void {
    for (const [key, entry] of this.entries) if (entry.tokenId === tokenId) this.entries.delete(key);
  }

  /** Forgets every token of a subject. */
  forgetSubject(subject: Subject): void {
    const key = subjectKey(subject);
    for (const [serialized, entry] of this.entries) if (entry.subjectKey === key) this.entries.delete(serialized);
  }

  /** Forgets everything (revocations may have been missed). */
  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

function subjectKey(subject: Subject): string {
  return `${subject.type}:${subject.id}`;
}
