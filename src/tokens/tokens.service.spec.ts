import type { AppConfig } from '../config/environment.js';
import type { Secrets } from '../config/secrets.js';
import type { Tx } from '../database/transactions.js';
import { TokenRejectedError } from './token-rejected.error.js';
import type { NewToken, TokenRecord, TokensRepository } from './tokens.repository.js';
import { TokensService } from './tokens.service.js';

/** An in-memory TokensRepository with the real one's contract. */
class FakeTokens implements Pick<TokensRepository, 'create' | 'findById' | 'consume'> {
  readonly rows = new Map<string, TokenRecord>();

  async create(t: NewToken): Promise<TokenRecord> {
    const row: TokenRecord = {
      id: t.id,
      type: t.type,
      subjectType: t.subjectType,
      subjectId: t.subjectId,
      spaceId: t.spaceId ?? null,
      validUntil: t.validUntil ?? null,
      usageLimit: t.usageLimit ?? null,
      usageCount: 0,
      maxSize: t.maxSize ?? null,
      groupId: t.groupId ?? null,
      privileges: t.privileges ?? 0n,
      groupPrivileges: Number(t.groupPrivileges ?? 0n),
      revoked: false,
      createdAt: new Date(),
    };
    this.rows.set(row.id, row);
    return row;
  }

  async findById(id: string) {
    return this.rows.get(id) ?? null;
  }

  async consume(_tx: Tx, id: string, now: Date) {
    const row = this.rows.get(id);
    if (!row || row.revoked) return false;
    if (row.usageLimit !== null && row.usageCount >= row.usageLimit) return false;
    if (row.validUntil && row.validUntil <= now) return false;
    row.usageCount += 1;
    return true;
  }
}

const config = { TOKEN_LOCATION: 'onezone' } as AppConfig;
const secrets: Secrets = { adminToken: 'a'.repeat(32), tokenSecret: 'k'.repeat(40), generatedAdminToken: false };
const tx = {} as Tx;

describe('TokensService', () => {
  let repo: FakeTokens;
  let service: TokensService;
  const alice = { type: 'user' as const, id: 'a'.repeat(32) };

  beforeEach(() => {
    repo = new FakeTokens();
    service = new TokensService(repo as unknown as TokensRepository, config, secrets);
  });

  async function rejection(promise: Promise<unknown>): Promise<string> {
    try {
      await promise;
    } catch (error) {
      if (error instanceof TokenRejectedError) return error.reason;
      throw error;
    }
    throw new Error('expected a rejection');
  }

  it('issues a token that checks out for its type and resolves to its subject', async () => {
    const token = await service.issue({ type: 'access', subject: alice });
    const record = await service.check(token, 'access');
    expect(record.subjectId).toBe(alice.id);
    await expect(service.authenticate(token)).resolves.toEqual({ type: 'user', userId: alice.id });
  });

  it('refuses a token of another type, before looking at the signature', async () => {
    const token = await service.issue({ type: 'space_creation', subject: alice });
    expect(await rejection(service.check(token, 'access'))).toMatch(/is a space_creation token, not access/);
    await expect(service.authenticate(token)).resolves.toBeNull();
  });

  it('refuses an unknown, revoked, used up or expired token', async () => {
    const unknown = await service.issue({ type: 'access', subject: alice });
    repo.rows.clear();
    expect(await rejection(service.check(unknown, 'access'))).toMatch(/unknown token/);

    const revoked = await service.issue({ type: 'access', subject: alice });
    [...repo.rows.values()][0].revoked = true;
    expect(await rejection(service.check(revoked, 'access'))).toMatch(/revoked/);

    const once = await service.issue({ type: 'provider_support', subject: alice, usageLimit: 1 });
    const record = await service.check(once, 'provider_support');
    await service.consume(tx, record);
    expect(await rejection(service.check(once, 'provider_support'))).toMatch(/no uses left/);

    const expiring = await service.issue({ type: 'access', subject: alice, validUntil: new Date(Date.now() + 60_000) });
    expect(await rejection(service.check(expiring, 'access', new Date(Date.now() + 61_000)))).toMatch(/expired/);
  });

  it('refuses a token minted under another secret even when its row exists', async () => {
    const token = await service.issue({ type: 'access', subject: alice });
    const other = new TokensService(repo as unknown as TokensRepository, config, { ...secrets, tokenSecret: 'z'.repeat(40) });
    expect(await rejection(other.check(token, 'access'))).toMatch(/signature mismatch/);
  });

  it('consume fails when a concurrent use took the last one', async () => {
    const token = await service.issue({ type: 'provider_support', subject: alice, usageLimit: 1 });
    const record = await service.check(token, 'provider_support');
    await service.consume(tx, record);
    expect(await rejection(service.consume(tx, record))).toMatch(/used up concurrently/);
  });

  it('stores the limits it was given', async () => {
    const validUntil = new Date(Date.now() + 3_600_000);
    await service.issue({ type: 'provider_support', subject: alice, usageLimit: 3, maxSize: 10n, validUntil, spaceId: null });
    const row = [...repo.rows.values()][0];
    expect(row).toMatchObject({ usageLimit: 3, maxSize: 10n, validUntil, subjectType: 'user' });
    expect(row.id).toMatch(/^[0-9a-f]{32}$/);
  });
});
