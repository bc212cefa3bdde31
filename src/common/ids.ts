import { randomFillSync } from 'node:crypto';

const ID_BYTES = 16;
const POOL_IDS = 256;
const pool = Buffer.alloc(ID_BYTES * POOL_IDS);
let next = POOL_IDS;

/**
 * Opaque, URL-safe, random ids: 32 hex characters, as Onezone's. Random bytes
 * are drawn from the CSPRNG 4 KiB at a time (one call per 256 ids rather
 * than one per id); each byte is used once.
 */
export function newId(): string {
  if (next === POOL_IDS) {
    randomFillSync(pool);
    next = 0;
  }
  const start = next * ID_BYTES;
  next += 1;
  return pool.toString('hex', start, start + ID_BYTES);
}
