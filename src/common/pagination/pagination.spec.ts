import { ApiError } from '../api-error.js';
import { decodePageToken, encodePageToken, toPage } from './pagination.js';

const id = (c: string) => c.repeat(32);

describe('pagination', () => {
  it('round-trips an id through an opaque token', () => {
    const token = encodePageToken(id('a'));
    expect(token).not.toContain(id('a'));
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodePageToken(token)).toBe(id('a'));
  });

  it.each([
    ['not base64url', '***'],
    ['an unversioned id', Buffer.from(id('a')).toString('base64url')],
    ['a cursor that is not an id', Buffer.from('v1:zzz').toString('base64url')],
    ['an id in upper case', Buffer.from(`v1:${id('A')}`).toString('base64url')],
    ['too long', 'a'.repeat(65)],
  ])('refuses %s with 400 invalid_request', (_, token) => {
    expect(() => decodePageToken(token)).toThrow(ApiError);
    try {
      decodePageToken(token);
    } catch (error) {
      expect((error as ApiError).body).toEqual({
        error: 'invalid_request',
        error_description: 'page_token is not a token this API returned.',
      });
    }
  });

  it('makes a page of limit items, with a token only when the extra row shows more remain', () => {
    const rows = ['a', 'b', 'c'].map(id);
    expect(toPage(rows, 3, (r) => r)).toEqual({ items: rows });
    const page = toPage(rows, 2, (r) => r);
    expect(page.items).toEqual(rows.slice(0, 2));
    expect(decodePageToken(page.nextPageToken!)).toBe(id('b'));
    expect(toPage([], 5, (r: string) => r)).toEqual({ items: [] });
  });
});
