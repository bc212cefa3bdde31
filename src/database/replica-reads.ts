import type { ServerResponse } from 'node:http';
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { CALLER, callerKey } from '../auth/caller.js';
import type { HttpRequest } from '../common/http-request.js';
import type { PrismaClient } from '../generated/prisma/client.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Where reads that may lag go (DATABASE_REPLICA_URL): lists are read from the
 * replicas, except a caller's own for DATABASE_REPLICA_FRESH_SECONDS after its
 * last write (read-your-writes, per instance: the caller's writes are noted
 * where they are served). Access checks, writes and reads inside a write's
 * transaction always use the leader's client; without a replica, so does
 * everything.
 */
export class ReplicaReads {
  private readonly lastWrite = new Map<string, number>();

  constructor(
    private readonly leader: PrismaClient,
    private readonly replica: PrismaClient | undefined,
    private readonly freshMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.replica !== undefined;
  }

  /** The client for a read that may lag, on behalf of `caller` (a caller key). */
  forCaller(caller: string | undefined): PrismaClient {
    if (!this.replica) return this.leader;
    if (caller === undefined) return this.replica;
    const last = this.lastWrite.get(caller);
    if (last !== undefined && this.now() - last < this.freshMs) return this.leader;
    if (last !== undefined) this.lastWrite.delete(caller);
    return this.replica;
  }

  /** The caller is writing (or just wrote): its reads stay on the leader for a while. */
  noteWrite(caller: string): void {
    if (!this.replica) return;
    this.lastWrite.delete(caller);
    this.lastWrite.set(caller, this.now());
    // Bounded: the oldest writers go first (they are the least likely to be fresh).
    if (this.lastWrite.size > 100_000) this.lastWrite.delete(this.lastWrite.keys().next().value!);
  }
}

/**
 * Notes every authenticated caller's non-read request, before it runs and
 * once it is answered. One of the guards every route ends with (see
 * SpacesApi), so that a request costs no interceptor when replicas are off.
 */
@Injectable()
export class WriteTracker implements CanActivate {
  constructor(private readonly reads: ReplicaReads) {}

  canActivate(context: ExecutionContext): boolean {
    if (!this.reads.enabled) return true;
    const req = context.switchToHttp().getRequest<HttpRequest>();
    const caller = req?.[CALLER];
    if (!caller || SAFE_METHODS.has(req.method)) return true;
    const key = callerKey(caller);
    this.reads.noteWrite(key);
    const res = context.switchToHttp().getResponse<{ raw?: ServerResponse } & ServerResponse>();
    (res.raw ?? res).once('close', () => this.reads.noteWrite(key));
    return true;
  }
}
