import { ApiError } from '../api-error.js';

/** Largest page a list route returns, and the size of a page when no limit is given. */
export const MAX_PAGE_SIZE = 1000;

/** Where a list resumes: strictly after this id, in id order. */
export interface PageRequest {
  after?: string;
  limit: number;
}

export interface Page<T> {
  items: T[];
  /** Present when more items remain after this page. */
  nextPageToken?: string;
}

const CURSOR_PREFIX = 'v1:';
const CURSOR_ID = /^[0-9a-f]{32}$/;

/**
 * Page tokens are opaque to clients: the last id of a page, versioned and
 * base64url-encoded. Lists are ordered by id, so resuming after it never
 * repeats or skips a row, however many rows are added meanwhile.
 */
export function encodePageToken(lastId: string): string {
  return Buffer.from(`${CURSOR_PREFIX}${lastId}`).toString('base64url');
}

export function decodePageToken(token: string): string {
  const decoded = /^[A-Za-z0-9_-]{1,64}$/.test(token) ? Buffer.from(token, 'base64url').toString('utf8') : '';
  const id = decoded.startsWith(CURSOR_PREFIX) ? decoded.slice(CURSOR_PREFIX.length) : '';
  if (!CURSOR_ID.test(id)) throw ApiError.invalidRequest('page_token is not a token this API returned.');
  return id;
}

/**
 * Turns `limit + 1` rows fetched in id order into a page: the extra row, when
 * present, only says that another page follows.
 */
export function toPage<T>(rows: T[], limit: number, idOf: (row: T) => string): Page<T> {
  if (rows.length <= limit) return { items: rows };
  const items = rows.slice(0, limit);
  return { items, nextPageToken: encodePageToken(idOf(items[items.length - 1])) };
}

/** A page as a list response: `{[key]: items}`, with `nextPageToken` when more remain. */
export function listBody<K extends string, T>(key: K, page: Page<T>): Record<K, T[]> & { nextPageToken?: string } {
  return {
    [key]: page.items,
    ...(page.nextPageToken !== undefined && { nextPageToken: page.nextPageToken }),
  } as Record<K, T[]> & { nextPageToken?: string };
}
