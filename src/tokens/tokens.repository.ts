import { Injectable } from '@nestjs/common';
import type { Subject } from '../auth/caller.js';
import { prismaErrorCode } from '../common/database-errors.js';
import type { PageRequest } from '../common/pagination/pagination.js';
import { Driver } from '../database/driver.js';
import { PrismaService } from '../database/prisma.service.js';
import type { Tx } from '../database/transactions.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { TokenType } from '../generated/prisma/enums.js';
import type { TokenModel } from '../generated/prisma/models.js';

export type TokenRecord = TokenModel;

export interface NewToken {
  id: string;
  version: 1 | 2;
  name: string;
  type: TokenType;
  subjectType: 'user' | 'provider';
  subjectId: string;
  caveats: string[];
  customMetadata?: Prisma.InputJsonObject;
  revoked?: boolean;
  spaceId?: string | null;
  validUntil?: Date | null;
  usageLimit?: number | null;
  maxSize?: bigint | null;
  groupId?: string | null;
  /** Space privileges carried (bitmask). */
  privileges?: bigint;
  /** Group privileges carried (bitmask). */
  groupPrivileges?: bigint;
}

/** What verifying a stored token needs, read in one statement. */
export interface StoredTokenState {
  id: string;
  version: number;
  type: TokenType;
  subject: Subject;
  spaceId: string | null;
  groupId: string | null;
  /** Epoch milliseconds. */
  validUntil: number | null;
  usageLimit: number | null;
  usageCount: number;
  maxSize: bigint | null;
  privileges: bigint;
  groupPrivileges: bigint;
  revoked: boolean;
  subjectExists: boolean;
}

const SUBJECT_EXISTS = (type: string, id: string) =>
  `CASE ${type} WHEN 'user' THEN EXISTS (SELECT 1 FROM users u WHERE u.id = ${id}) ` +
  `ELSE EXISTS (SELECT 1 FROM providers p WHERE p.id = ${id}) END`;

const STORED_STATE = `SELECT t.id, t.version::text AS version, t.type::text AS type,
    t.subject_type::text AS subject_type, t.subject_id, t.space_id, t.group_id,
    (extract(epoch FROM t.valid_until) * 1000)::bigint::text AS valid_until,
    t.usage_limit::text AS usage_limit, t.usage_count::text AS usage_count, t.max_size::text AS max_size,
    t.privileges::text AS privileges, t.group_privileges::text AS group_privileges, t.revoked::text AS revoked,
    (${SUBJECT_EXISTS('t.subject_type::text', 't.subject_id')})::text AS subject_exists
  FROM tokens t WHERE t.id = $1`;

const GENERATION = `SELECT coalesce((SELECT g.generation FROM temporary_token_generations g
      WHERE g.subject_type = $1::"CallerType" AND g.subject_id = $2), 1)::text AS generation,
    (${SUBJECT_EXISTS('$1', '$2')})::text AS subject_exists`;

const BUMP_GENERATION = `INSERT INTO temporary_token_generations (subject_type, subject_id, generation)
  VALUES ($1::"CallerType", $2, 2)
  ON CONFLICT (subject_type, subject_id) DO UPDATE SET generation = temporary_token_generations.generation + 1`;

const SUBJECT_ROW = `SELECT (${SUBJECT_EXISTS('$1', '$2')})::text AS found`;

/** Does provider $1 support a space that user $2 is an effective member of? */
const SUPPORTS_USER = `SELECT 1 AS found FROM supports s
  JOIN space_eff_users e ON e.space_id = s.space_id AND e.user_id = $2
  WHERE s.provider_id = $1 LIMIT 1`;

const IN_GROUP = 'SELECT 1 AS found FROM group_eff_users WHERE group_id = $1 AND user_id = $2';
const IN_ANY_GROUP = 'SELECT 1 AS found FROM group_eff_users WHERE user_id = $1 LIMIT 1';

/** The user's effective spaces, each with its name and supporting providers. */
const USER_SPACES = `SELECT s.id, s.name,
    (SELECT json_agg(sp.provider_id ORDER BY sp.provider_id) FROM supports sp WHERE sp.space_id = s.id)::text AS providers
  FROM space_eff_users e JOIN spaces s ON s.id = e.space_id
  WHERE e.user_id = $1 ORDER BY s.id`;

const PROVIDER_NAMES = `SELECT p.id, p.name FROM providers p
  WHERE p.id IN (SELECT jsonb_array_elements_text($1::jsonb)) ORDER BY p.id`;

/** Thrown by create and rename when the subject already has a token of that name. */
export class TokenNameTakenError extends Error {}

@Injectable()
export class TokensRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly driver: Driver,
  ) {}

  async create(token: NewToken): Promise<TokenRecord> {
    const { groupPrivileges, ...rest } = token;
    try {
      return await this.prisma.token.create({
        data: { ...rest, ...(groupPrivileges !== undefined && { groupPrivileges: Number(groupPrivileges) }) },
      });
    } catch (error) {
      throw nameTaken(error);
    }
  }

  /** Whether the subject already has a token of this name. */
  async nameTaken(subject: Subject, name: string): Promise<boolean> {
    return (await this.prisma.token.count({ where: { subjectType: subject.type, subjectId: subject.id, name } })) > 0;
  }

  findById(id: string): Promise<TokenRecord | null> {
    return this.prisma.token.findUnique({ where: { id } });
  }

  findByName(subject: Subject, name: string): Promise<TokenRecord | null> {
    return this.prisma.token.findUnique({
      where: { subjectType_subjectId_name: { subjectType: subject.type, subjectId: subject.id, name } },
    });
  }

  async storedState(id: string): Promise<StoredTokenState | null> {
    const [row] = await this.driver.query(STORED_STATE, [id]);
    if (!row) return null;
    return {
      id: row.id!,
      version: Number(row.version),
      type: row.type as TokenType,
      subject: { type: row.subject_type as Subject['type'], id: row.subject_id! },
      spaceId: row.space_id,
      groupId: row.group_id,
      validUntil: row.valid_until === null ? null : Number(row.valid_until),
      usageLimit: row.usage_limit === null ? null : Number(row.usage_limit),
      usageCount: Number(row.usage_count),
      maxSize: row.max_size === null ? null : BigInt(row.max_size),
      privileges: BigInt(row.privileges ?? '0'),
      groupPrivileges: BigInt(row.group_privileges ?? '0'),
      revoked: row.revoked === 'true',
      subjectExists: row.subject_exists === 'true',
    };
  }

  /** The subject's current generation of temporary tokens, and whether the subject exists. */
  async generation(subject: Subject, tx?: Tx): Promise<{ generation: number; subjectExists: boolean }> {
    const args = [subject.type, subject.id];
    const [row] = tx
      ? (await tx.$queryRawUnsafe<{ generation: string; subject_exists: string }[]>(GENERATION, ...args)).map((r) => ({
          generation: String(r.generation),
          subject_exists: String(r.subject_exists),
        }))
      : await this.driver.query(GENERATION, args);
    return { generation: Number(row.generation), subjectExists: row.subject_exists === 'true' };
  }

  /** Revokes every temporary token of the subject: its generation goes up by one. */
  async bumpGeneration(subject: Subject): Promise<void> {
    await this.driver.execute(BUMP_GENERATION, [subject.type, subject.id]);
  }

  async subjectExists(subject: Subject): Promise<boolean> {
    const [row] = await this.driver.query(SUBJECT_ROW, [subject.type, subject.id]);
    return row?.found === 'true';
  }

  async providerSupportsUser(providerId: string, userId: string): Promise<boolean> {
    return (await this.driver.query(SUPPORTS_USER, [providerId, userId])).length > 0;
  }

  /** Is the user an effective member of the group (of any group, for `*`)? */
  async userInGroup(groupId: string, userId: string): Promise<boolean> {
    const rows = groupId === '*' ? await this.driver.query(IN_ANY_GROUP, [userId]) : await this.driver.query(IN_GROUP, [groupId, userId]);
    return rows.length > 0;
  }

  /** Every space the user is an effective member of, with the providers supporting it. */
  async userSpaces(userId: string): Promise<{ id: string; name: string; providers: string[] }[]> {
    return (await this.driver.query(USER_SPACES, [userId])).map((row) => ({
      id: row.id!,
      name: row.name!,
      providers: row.providers === null ? [] : (JSON.parse(row.providers) as string[]),
    }));
  }

  async providerNames(ids: string[]): Promise<Map<string, string>> {
    const rows = await this.driver.query(PROVIDER_NAMES, [JSON.stringify(ids)]);
    return new Map(rows.map((row) => [row.id!, row.name!]));
  }

  /** The subject's tokens in id order, `limit + 1` of them at most (see toPage); every subject's when none is given. */
  listOf(subject: Subject | null, page: PageRequest): Promise<TokenRecord[]> {
    return this.prisma.token.findMany({
      where: {
        ...(subject && { subjectType: subject.type, subjectId: subject.id }),
        ...(page.after && { id: { gt: page.after } }),
      },
      orderBy: { id: 'asc' },
      take: page.limit + 1,
    });
  }

  /** Sets a token's revoked flag, name or custom metadata; false when there is no such token. */
  async update(id: string, change: { revoked?: boolean; name?: string; customMetadata?: Prisma.InputJsonObject }): Promise<boolean> {
    try {
      const { count } = await this.prisma.token.updateMany({ where: { id }, data: change });
      return count === 1;
    } catch (error) {
      throw nameTaken(error);
    }
  }

  /** Revokes one of the subject's tokens; false when the subject has no such token. */
  async revoke(subject: Subject, id: string): Promise<boolean> {
    const { count } = await this.prisma.token.updateMany({
      where: { id, subjectType: subject.type, subjectId: subject.id },
      data: { revoked: true },
    });
    return count === 1;
  }

  async remove(id: string): Promise<boolean> {
    const { count } = await this.prisma.token.deleteMany({ where: { id } });
    return count === 1;
  }

  /** Deletes every token the subject has. */
  async removeAllOf(subject: Subject): Promise<void> {
    await this.prisma.token.deleteMany({ where: { subjectType: subject.type, subjectId: subject.id } });
  }

  /**
   * Records one use, only while the token is unrevoked, unexpired and has
   * uses left. The row lock makes racing uses of the last use see each other:
   * exactly one gets `true`.
   */
  async consume(tx: Tx, id: string, now: Date): Promise<boolean> {
    const { count } = await tx.token.updateMany({
      where: {
        id,
        revoked: false,
        AND: [
          { OR: [{ usageLimit: null }, { usageCount: { lt: this.prisma.token.fields.usageLimit } }] },
          { OR: [{ validUntil: null }, { validUntil: { gt: now } }] },
        ],
      },
      data: { usageCount: { increment: 1 } },
    });
    return count === 1;
  }
}

function nameTaken(error: unknown): unknown {
  return prismaErrorCode(error) === 'P2002' ? new TokenNameTakenError() : error;
}
