/** Query parameters whose values are never logged: a client may put a credential there by mistake. */
const SECRET_PARAMETER = /token|secret|auth|key|pass/i;

/** A path segment that may be a token: a long run of base64url (ids are 32 hex digits). */
const TOKEN_LIKE_SEGMENT = /^[A-Za-z0-9_-]{64,}={0,2}$/;

/** A path in which no segment can be token-like: none is 64 characters long. */
const SHORT_SEGMENTS = /^(?:\/[^/]{0,63})*\/?$/;

/**
 * The URL as logged: path segments that may be tokens, and the values of
 * credential-like query parameters, are redacted.
 */
export function loggedUrl(url: string): string {
  const query = url.indexOf('?');
  // Most URLs: no query, and only short segments, which are logged as they are.
  if (query === -1 && url.length < 64) return url;
  const raw = query === -1 ? url : url.slice(0, query);
  const path = SHORT_SEGMENTS.test(raw)
    ? raw
    : raw
        .split('/')
        .map((segment) => (TOKEN_LIKE_SEGMENT.test(segment) ? '[redacted]' : segment))
        .join('/');
  if (query === -1) return path;
  const params = url
    .slice(query + 1)
    .split('&')
    .map((param) => {
      const name = param.split('=', 1)[0];
      let decoded = name;
      try {
        decoded = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // a malformed escape: judge the name as it came
      }
      return SECRET_PARAMETER.test(decoded) ? `${name}=[redacted]` : param;
    });
  return `${path}?${params.join('&')}`;
}
