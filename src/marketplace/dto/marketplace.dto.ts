import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsInt, IsString, Max, Min, ValidateIf } from 'class-validator';
import { MAX_PAGE_SIZE } from '../../common/pagination/pagination.js';
import { ID_EXAMPLE } from '../../common/subject.dto.js';
import { IsTagList } from '../../common/validation/space-metadata.js';
import { rule } from '../../common/validation/rule.js';
import { SIZE_OUTPUT_SCHEMA } from '../../common/validation/sizes.js';

/** A list option: null counts as absent. */
const given = (key: string) => (o: Record<string, unknown>) => o[key] !== undefined && o[key] !== null;

const LIMIT_RULE = `limit must be an integer from 1 to ${MAX_PAGE_SIZE}`;

const IsOffset = rule(
  'isOffset',
  (v) => typeof v === 'number' && Number.isSafeInteger(v),
  (p) => `${p} must be an integer (it may be negative)`,
);

const IsIndexToken = rule(
  'isIndexToken',
  (v) => typeof v === 'string' && v.length > 0,
  (p) => `${p} must be the nextPageToken of a previous page`,
);

const INDEX_EXAMPLE = `Meteo\u0000${ID_EXAMPLE}`;

@ApiSchema({
  name: 'SpaceMarketplaceListRequest',
  description:
    'Which advertised spaces to list, in index order (by name, then by ID, bytewise). Every option may be omitted or null. ' +
    '`index` and `token` exclude each other.',
})
export class ListMarketplaceDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: MAX_PAGE_SIZE, nullable: true })
  @ValidateIf(given('limit'))
  @IsInt({ message: LIMIT_RULE })
  @Min(1, { message: LIMIT_RULE })
  @Max(MAX_PAGE_SIZE, { message: LIMIT_RULE })
  limit?: number | null;

  @ApiPropertyOptional({
    type: String,
    description: 'Start at the first entry whose index is at least this (inclusive): any string, such as the start of a name.',
    nullable: true,
    example: 'Met',
  })
  @ValidateIf(given('index'))
  @IsString({ message: 'index must be a string' })
  index?: string | null;

  @ApiPropertyOptional({ type: String, description: 'The `nextPageToken` of a previous page: start right after it.', nullable: true })
  @ValidateIf(given('token'))
  @IsIndexToken()
  token?: string | null;

  @ApiPropertyOptional({
    type: 'integer',
    description: 'Move the start by this many entries (negative: back).',
    nullable: true,
    example: 0,
  })
  @ValidateIf(given('offset'))
  @IsOffset()
  offset?: number | null;

  @ApiPropertyOptional({
    description: 'Only spaces carrying at least one of these configured tags ([] lists none).',
    type: 'array',
    items: { type: 'string' },
    nullable: true,
    example: ['open-data'],
  })
  @ValidateIf(given('tags'))
  @IsTagList()
  tags?: string[] | null;
}

@ApiSchema({ name: 'SpaceMarketplaceEntry', description: 'An advertised space and its place in the Marketplace.' })
export class MarketplaceEntryDto {
  @ApiProperty({ example: ID_EXAMPLE })
  spaceId: string;

  @ApiProperty({ description: 'The name, a NUL character (U+0000) and the ID.', example: INDEX_EXAMPLE })
  index: string;
}

@ApiSchema({ name: 'SpaceMarketplaceList', description: 'One page of the Marketplace.' })
export class MarketplaceListDto {
  @ApiProperty({ type: [MarketplaceEntryDto] })
  spaces: MarketplaceEntryDto[];

  @ApiProperty({ description: 'Whether nothing follows this page.', example: true })
  isLast: boolean;

  @ApiProperty({
    type: String,
    nullable: true,
    description: "The last entry's index (unpadded base64url), to pass as `token` for the next page; null when `isLast`.",
    example: null,
  })
  nextPageToken: string | null;
}

@ApiSchema({ name: 'SpaceMarketplaceData', description: 'What the Marketplace shows of an advertised space.' })
export class MarketplaceSpaceDto {
  @ApiProperty({ example: ID_EXAMPLE })
  spaceId: string;

  @ApiProperty({ example: 'Meteo' })
  name: string;

  @ApiProperty({ example: INDEX_EXAMPLE })
  index: string;

  @ApiProperty({ description: 'Markdown, as stored.', example: '# Meteo\nWeather station data.' })
  description: string;

  @ApiProperty({ example: 'ACK Cyfronet AGH' })
  organizationName: string;

  @ApiProperty({ type: [String], example: ['open-data'] })
  tags: string[];

  @ApiProperty({ type: [String], description: "The supporting providers' names, in provider ID order.", example: ['Krakow'] })
  providerNames: string[];

  @ApiProperty({ ...SIZE_OUTPUT_SCHEMA, description: 'The sum of the supports, in bytes.' })
  totalSupportSize: number | string;

  @ApiProperty({ description: 'Unix time (seconds) of creation.', example: 1_795_000_000 })
  creationTime: number;
}
