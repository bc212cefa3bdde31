import { ApiError } from '../common/api-error.js';

/** What separates a space's name from its id in its Marketplace index (names never contain it). */
export const INDEX_SEPARATOR = '\u0000';

/** A space's place in the Marketplace: its name, then its id, so that entries sort by name and then by id. */
export function marketplaceIndex(name: string, spaceId: string): string {
  return `${name}${INDEX_SEPARATOR}${spaceId}`;
}

/** A page token: the unpadded base64url of the last entry's index. */
export function encodeIndexToken(index: string): string {
  return Buffer.from(index, 'utf8').toString('base64url');
}

/** The index a page token holds; 400 unless it is unpadded base64url of UTF-8 text. */
export function decodeIndexToken(token: string): string {
  const bytes = /^[A-Za-z0-9_-]+$/.test(token) && token.length % 4 !== 1 ? Buffer.from(token, 'base64url') : null;
  const text = bytes?.toString('utf8');
  if (!bytes || bytes.toString('base64url') !== token || Buffer.compare(Buffer.from(text!, 'utf8'), bytes) !== 0) {
    throw ApiError.invalidRequest('token must be the nextPageToken of a previous page (unpadded base64url).');
  }
  return text!;
}

/**
 * Where a page starts, as a bound on (name, id) that the database compares
 * bytewise: entries whose index is ≥ `index` (or > it, for a token's). The
 * index is any string; the comparison of `name + NUL + id` with it, byte by
 * byte, comes down to comparing the name with the part before its first NUL
 * and then the id with the rest (cut at a further NUL, after which only a
 * strictly greater id follows).
 */
export interface StartBound {
  name: string;
  id: string;
  /** The id must be strictly greater than `id` (otherwise ≥). */
  strict: boolean;
}

export function startBound(index: string, exclusive: boolean): StartBound {
  const text = wellFormed(index);
  const cut = text.indexOf(INDEX_SEPARATOR);
  if (cut < 0) return { name: text, id: '', strict: false };
  const name = text.slice(0, cut);
  const rest = text.slice(cut + 1);
  const further = rest.indexOf(INDEX_SEPARATOR);
  if (further >= 0) return { name, id: rest.slice(0, further), strict: true };
  return { name, id: rest, strict: exclusive };
}

/** The text with lone surrogates (which UTF-8 cannot hold) replaced by U+FFFD. */
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}
