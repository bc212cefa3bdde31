import { Injectable } from '@nestjs/common';
import { ApiError } from '../common/api-error.js';
import { MAX_PAGE_SIZE } from '../common/pagination/pagination.js';
import { sizeJson } from '../common/validation/sizes.js';
import { SpaceFields } from '../spaces/space-fields.js';
import { unixSeconds } from '../tokens/token-codec.js';
import type { ListMarketplaceDto, MarketplaceListDto, MarketplaceSpaceDto } from './dto/marketplace.dto.js';
import { notAdvertised } from './marketplace.guard.js';
import { decodeIndexToken, encodeIndexToken, marketplaceIndex, startBound } from './marketplace-index.js';
import { MarketplaceRepository } from './marketplace.repository.js';

/** The Space Marketplace: the advertised spaces, in index order, and what it shows of each. */
@Injectable()
export class MarketplaceService {
  constructor(
    private readonly marketplace: MarketplaceRepository,
    private readonly fields: SpaceFields,
  ) {}

  /**
   * One page: the entries from the start (the first at or after `index`, the
   * first after `token`'s, or the first), moved by `offset`, `limit` of them.
   */
  async list(dto: ListMarketplaceDto): Promise<MarketplaceListDto> {
    const { index, token } = dto;
    if (index != null && token != null) throw ApiError.invalidRequest('Give index or token, not both.');
    const bound = token != null ? startBound(decodeIndexToken(token), true) : index != null ? startBound(index, false) : null;
    const tags = dto.tags == null ? null : this.fields.checkTags(dto.tags);
    const limit = dto.limit ?? MAX_PAGE_SIZE;
    if (tags?.length === 0) return { spaces: [], isLast: true, nextPageToken: null };
    const start = Math.max(0, (await this.marketplace.position(tags, bound)) + (dto.offset ?? 0));
    const rows = await this.marketplace.page(tags, start, limit + 1);
    const spaces = rows.slice(0, limit).map((r) => ({ spaceId: r.id, index: marketplaceIndex(r.name, r.id) }));
    const isLast = rows.length <= limit;
    return { spaces, isLast, nextPageToken: isLast ? null : encodeIndexToken(spaces[spaces.length - 1].index) };
  }

  /** An advertised space as the Marketplace shows it (404 for any other, to everyone). */
  async space(spaceId: string): Promise<MarketplaceSpaceDto> {
    const space = await this.marketplace.space(spaceId);
    if (!space) throw notAdvertised();
    return {
      spaceId: space.id,
      name: space.name,
      index: marketplaceIndex(space.name, space.id),
      description: space.description,
      organizationName: space.organizationName,
      tags: [...space.tags],
      providerNames: space.providerNames,
      totalSupportSize: sizeJson(space.totalSupportSize),
      creationTime: unixSeconds(space.createdAt),
    };
  }
}
