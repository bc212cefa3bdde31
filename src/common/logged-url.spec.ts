import { loggedUrl } from './logged-url.js';

describe('loggedUrl', () => {
  it.each([
    ['/api/spaces/abc', '/api/spaces/abc'],
    ['/api/user/spaces?limit=10', '/api/user/spaces?limit=10'],
    ['/x?access_token=SECRET&limit=5', '/x?access_token=[redacted]&limit=5'],
    ['/x?Token=SECRET', '/x?Token=[redacted]'],
    ['/x?api%5Fkey=SECRET', '/x?api%5Fkey=[redacted]'],
    ['/x?password=SECRET&x', '/x?password=[redacted]&x'],
    ['/x?%E0%A4%A=1&auth=SECRET', '/x?%E0%A4%A=1&auth=[redacted]'],
    [`/spaces/${'a'.repeat(32)}/users`, `/spaces/${'a'.repeat(32)}/users`],
    [`/tokens/AgEHb25lem9uZQIg${'x'.repeat(60)}?limit=1`, '/tokens/[redacted]?limit=1'],
    [`/tokens/${'y'.repeat(64)}`, '/tokens/[redacted]'],
    [`/tokens/${'y'.repeat(63)}`, `/tokens/${'y'.repeat(63)}`],
    [`/spaces/${'a'.repeat(32)}/users/${'b'.repeat(32)}/privileges`, `/spaces/${'a'.repeat(32)}/users/${'b'.repeat(32)}/privileges`],
    [`/a/${'z'.repeat(70)}/b/${'y'.repeat(10)}`, `/a/[redacted]/b/${'y'.repeat(10)}`],
    [`${'w'.repeat(80)}`, '[redacted]'],
  ])('%s is logged as %s', (url, logged) => {
    expect(loggedUrl(url)).toBe(logged);
  });
});
