import { newId } from './ids.js';

describe('newId', () => {
  it('gives 32 lower-case hex characters, never the same twice across pool refills', () => {
    const ids = Array.from({ length: 2000 }, newId);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
