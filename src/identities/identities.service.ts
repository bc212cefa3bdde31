import { Injectable } from '@nestjs/common';
import type { Subject } from '../auth/caller.js';
import { ApiError } from '../common/api-error.js';
import { newId } from '../common/ids.js';
import { parseSize } from '../common/validation/sizes.js';
import { TokensService } from '../tokens/tokens.service.js';
import { IdentitiesRepository } from './identities.repository.js';

/** The service's own identity store, for when it runs alone. */
@Injectable()
export class IdentitiesService {
  constructor(
    private readonly identities: IdentitiesRepository,
    private readonly tokens: TokensService,
  ) {}

  async createUser(name: string): Promise<{ userId: string; name: string; token: string }> {
    const userId = newId();
    await this.identities.createUser(userId, name);
    const token = await this.tokens.issue({ type: 'access', subject: { type: 'user', id: userId } });
    return { userId, name, token };
  }

  async createProvider(name: string, capacity: number | string | undefined): Promise<{ providerId: string; name: string; token: string }> {
    const providerId = newId();
    await this.identities.createProvider(providerId, name, capacity === undefined ? null : parseSize(capacity));
    const token = await this.tokens.issue({ type: 'access', subject: { type: 'provider', id: providerId } });
    return { providerId, name, token };
  }

  /** A new access token for an existing user or provider; 404 if there is none. */
  async mintAccessToken(subject: Subject, ttlSeconds?: number): Promise<string> {
    const exists =
      subject.type === 'user' ? await this.identities.userExists(subject.id) : await this.identities.providerExists(subject.id);
    if (!exists) throw ApiError.notFound(`No ${subject.type} with id ${subject.id}.`);
    const validUntil = ttlSeconds === undefined ? null : new Date(Date.now() + ttlSeconds * 1000);
    return this.tokens.issue({ type: 'access', subject, validUntil });
  }
}
