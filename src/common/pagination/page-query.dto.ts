import { ApiPropertyOptional } from '@nestjs/swagger';
import { ValidateIf } from 'class-validator';
import { rule } from '../validation/rule.js';
import { decodePageToken, MAX_PAGE_SIZE, type PageRequest } from './pagination.js';

const IsPageSize = rule(
  'isPageSize',
  (v) => typeof v === 'string' && /^\d{1,4}$/.test(v) && Number(v) >= 1 && Number(v) <= MAX_PAGE_SIZE,
  (property) => `${property} must be an integer from 1 to ${MAX_PAGE_SIZE}`,
);

const IsPageToken = rule(
  'isPageToken',
  (v) => typeof v === 'string' && v.length > 0,
  (property) => `${property} must be the nextPageToken of a previous page`,
);

const given = (key: string) => (o: Record<string, unknown>) => o[key] !== undefined;

/** `?limit=&page_token=` of every list route. */
export class PageQueryDto {
  @ApiPropertyOptional({
    description: `Largest number of items to return (default and maximum ${MAX_PAGE_SIZE}).`,
    type: 'integer',
    minimum: 1,
    maximum: MAX_PAGE_SIZE,
    example: 100,
  })
  @ValidateIf(given('limit'))
  @IsPageSize()
  limit?: string;

  @ApiPropertyOptional({
    name: 'page_token',
    description: 'The `nextPageToken` of the previous page; the list resumes after it.',
    type: 'string',
  })
  @ValidateIf(given('page_token'))
  @IsPageToken()
  page_token?: string;
}

/** The validated query as a repository page request. */
export function pageRequest(query: PageQueryDto): PageRequest {
  return {
    limit: query.limit === undefined ? MAX_PAGE_SIZE : Number(query.limit),
    ...(query.page_token !== undefined && { after: decodePageToken(query.page_token) }),
  };
}

/** The `nextPageToken` every list response may carry. */
export class PageDto {
  @ApiPropertyOptional({ description: 'Present when more items remain: pass it as `page_token` for the next page.' })
  nextPageToken?: string;
}
