import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';

/** Users' zone privileges (a bitmask on the user's row). */
@Injectable()
export class ZonePrivilegesRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The user's zone privileges, or null when there is no such user. */
  async of(userId: string): Promise<number | null> {
    const row = await this.prisma.user.findUnique({ where: { id: userId }, select: { ozPrivileges: true } });
    return row?.ozPrivileges ?? null;
  }

  /** Grants and revokes in one statement (atomic on its own); false when there is no such user. */
  async change(userId: string, grant: number, revoke: number): Promise<boolean> {
    const count = await this.prisma.$executeRaw`
      UPDATE users SET oz_privileges = (oz_privileges | ${grant}::int) & ~${revoke}::int WHERE id = ${userId}`;
    return count === 1;
  }
}
