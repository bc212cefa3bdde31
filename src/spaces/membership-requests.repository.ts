import { Injectable } from '@nestjs/common';
import type { PageRequest } from '../common/pagination/pagination.js';
import { PrismaService } from '../database/prisma.service.js';
import type { Tx } from '../database/transactions.js';

/** A membership request as stored. */
export interface MembershipRequestRecord {
  id: string;
  spaceId: string;
  userId: string;
  status: 'pending' | 'rejected';
  contactEmail: string;
  message: string;
  rejectionReason: string;
  lastActivity: Date;
}

/** What a request's submission or reminder writes. */
export interface RequestText {
  contactEmail: string;
  message: string;
}

const SELECT = {
  id: true,
  spaceId: true,
  userId: true,
  status: true,
  contactEmail: true,
  message: true,
  rejectionReason: true,
  lastActivity: true,
} as const;

/**
 * Membership requests through the Marketplace: one row per user and space,
 * pending or rejected. The space's lifecycle (un-advertising, deletion) and
 * the user's joining it some other way remove pending ones, so that a pending
 * row always names an advertised space its user is not a member of.
 */
@Injectable()
export class MembershipRequestsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The user's request to the space (pending or rejected), locked until the transaction ends. */
  async lockOf(tx: Tx, spaceId: string, userId: string): Promise<MembershipRequestRecord | null> {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM space_membership_requests WHERE space_id = ${spaceId} AND user_id = ${userId} FOR UPDATE`;
    if (rows.length === 0) return null;
    return tx.spaceMembershipRequest.findUnique({ where: { id: rows[0].id }, select: SELECT });
  }

  /** A pending request of the space, locked until the transaction ends, or null. */
  async lockPending(tx: Tx, spaceId: string, requestId: string): Promise<MembershipRequestRecord | null> {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM space_membership_requests
      WHERE id = ${requestId} AND space_id = ${spaceId} AND status = 'pending' FOR UPDATE`;
    if (rows.length === 0) return null;
    return tx.spaceMembershipRequest.findUnique({ where: { id: requestId }, select: SELECT });
  }

  /** A pending request of the space with its user's name, or null. */
  async findPending(spaceId: string, requestId: string): Promise<(MembershipRequestRecord & { userName: string }) | null> {
    const row = await this.prisma.spaceMembershipRequest.findFirst({
      where: { id: requestId, spaceId, status: 'pending' },
      select: { ...SELECT, user: { select: { name: true } } },
    });
    if (!row) return null;
    const { user, ...request } = row;
    return { ...request, userName: user.name };
  }

  /**
   * Holds the space (shared: its un-advertising, deletion and grants wait)
   * while a request to it is written; its contact email, or null when it is
   * missing or not advertised.
   */
  async lockAdvertisedSpace(tx: Tx, spaceId: string): Promise<string | null> {
    const rows = await tx.$queryRaw<{ email: string }[]>`
      SELECT marketplace_contact_email AS email FROM spaces WHERE id = ${spaceId} AND advertised_in_marketplace FOR SHARE`;
    return rows[0]?.email ?? null;
  }

  /** Orders one user's submissions (the pending limit counts them one at a time); memberships of the user may still be written. */
  async lockRequester(tx: Tx, userId: string): Promise<void> {
    await tx.$queryRaw`SELECT 1 FROM users WHERE id = ${userId} FOR NO KEY UPDATE`;
  }

  /** How many pending requests the user has. */
  pendingCount(tx: Tx, userId: string): Promise<number> {
    return tx.spaceMembershipRequest.count({ where: { userId, status: 'pending' } });
  }

  /** A first request (replacing a rejected one, whose backoff has passed). */
  async createPending(tx: Tx, request: { id: string; spaceId: string; userId: string } & RequestText): Promise<void> {
    await tx.spaceMembershipRequest.deleteMany({ where: { spaceId: request.spaceId, userId: request.userId } });
    await tx.spaceMembershipRequest.create({ data: { ...request, status: 'pending' } });
  }

  /** A reminder: the same request, with new text and activity. */
  async remind(tx: Tx, requestId: string, text: RequestText): Promise<void> {
    await tx.spaceMembershipRequest.update({ where: { id: requestId }, data: { ...text, lastActivity: new Date() } });
  }

  async remove(tx: Tx, requestId: string): Promise<void> {
    await tx.spaceMembershipRequest.delete({ where: { id: requestId } });
  }

  /**
   * A rejection: the request stays, rejected, with the reason; beyond the
   * user's `keep` latest rejections, the oldest are dropped.
   */
  async reject(tx: Tx, request: MembershipRequestRecord, rejectionReason: string, keep: number): Promise<void> {
    await tx.spaceMembershipRequest.update({
      where: { id: request.id },
      data: { status: 'rejected', rejectionReason, lastActivity: new Date() },
    });
    await tx.$executeRaw`
      DELETE FROM space_membership_requests WHERE id IN (
        SELECT id FROM space_membership_requests WHERE user_id = ${request.userId} AND status = 'rejected'
        ORDER BY last_activity DESC, id DESC OFFSET ${keep})`;
  }

  /** The space's pending requests (cancelled when it stops being advertised or is deleted), removed; returns what they were. */
  async cancelPending(tx: Tx, spaceId: string): Promise<MembershipRequestRecord[]> {
    const pending = await tx.spaceMembershipRequest.findMany({ where: { spaceId, status: 'pending' }, select: SELECT });
    if (pending.length > 0) await tx.spaceMembershipRequest.deleteMany({ where: { spaceId, status: 'pending' } });
    return pending;
  }

  /** The user's pending requests, and the rejections newer than `rejectedSince`, at most `limit` of each. */
  async ofUser(userId: string, rejectedSince: Date, limit: number): Promise<MembershipRequestRecord[]> {
    const [pending, rejected] = await Promise.all([
      this.prisma.spaceMembershipRequest.findMany({
        where: { userId, status: 'pending' },
        orderBy: { spaceId: 'asc' },
        take: limit,
        select: SELECT,
      }),
      this.prisma.spaceMembershipRequest.findMany({
        where: { userId, status: 'rejected', lastActivity: { gt: rejectedSince } },
        orderBy: { lastActivity: 'desc' },
        take: limit,
        select: SELECT,
      }),
    ]);
    return [...pending, ...rejected];
  }

  /** The space's pending requests in id order, `limit + 1` at most (see toPage). */
  pendingOf(spaceId: string, page: PageRequest): Promise<MembershipRequestRecord[]> {
    return this.prisma.spaceMembershipRequest.findMany({
      where: { spaceId, status: 'pending', ...(page.after && { id: { gt: page.after } }) },
      orderBy: { id: 'asc' },
      take: page.limit + 1,
      select: SELECT,
    });
  }
}
