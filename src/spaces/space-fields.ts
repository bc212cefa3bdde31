import { Inject, Injectable } from '@nestjs/common';
import type { SpaceMetadata } from '../access/access.repository.js';
import { ApiError } from '../common/api-error.js';
import type { AppConfig } from '../config/environment.js';
import { SPACES_CONFIG } from '../config/spaces-config.js';
import { allowedTags } from '../config/space-tags.js';
import { METADATA_FIELDS, type SpaceMetadataFields } from './dto/space-metadata.dto.js';

/** A new space's descriptive fields before any is given. */
export const EMPTY_METADATA: SpaceMetadata = Object.freeze({
  description: '',
  organizationName: '',
  tags: [],
  advertisedInMarketplace: false,
  marketplaceContactEmail: '',
});

/**
 * The rules of a space's descriptive fields that depend on configuration or
 * on what is stored: tags must be configured ones (repeats dropped, first
 * order kept), and an advertised space needs a description, an organization
 * and a contact email.
 */
@Injectable()
export class SpaceFields {
  private readonly tags: ReadonlySet<string>;

  constructor(@Inject(SPACES_CONFIG) config: AppConfig) {
    this.tags = allowedTags(config.AVAILABLE_SPACE_TAGS);
  }

  /** The fields a (validated) body gives, with its tags checked and without repeats. */
  given(body: SpaceMetadataFields): Partial<SpaceMetadata> {
    const fields: Partial<SpaceMetadata> = {};
    for (const key of METADATA_FIELDS) {
      if (body[key] !== undefined) Object.assign(fields, { [key]: body[key] });
    }
    if (fields.tags) fields.tags = this.checkTags(fields.tags);
    return fields;
  }

  /** Throws 400 unless the stored fields with the changes applied satisfy the advertised rule. */
  checkAdvertised(stored: SpaceMetadata, changes: Partial<SpaceMetadata>): void {
    const merged = { ...stored, ...changes };
    if (!merged.advertisedInMarketplace) return;
    const missing = (['description', 'organizationName', 'marketplaceContactEmail'] as const).filter((k) => merged[k].length === 0);
    if (missing.length > 0) {
      throw ApiError.invalidRequest(
        `An advertised space needs a non-empty ${missing.join(', ')}: set ${missing.length > 1 ? 'them' : 'it'}, or stop advertising the space.`,
      );
    }
  }

  /** The tags, each a configured one (400 otherwise), without repeats. */
  checkTags(tags: string[]): string[] {
    const unknown = tags.filter((t) => !this.tags.has(t));
    if (unknown.length > 0) {
      const shown = [...new Set(unknown)].slice(0, 10).map((t) => JSON.stringify(t));
      throw ApiError.invalidRequest(`tags has tags that are not configured: ${shown.join(', ')} (see GET /configuration).`);
    }
    return [...new Set(tags)];
  }
}
