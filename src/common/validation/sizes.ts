import { rule } from './rule.js';

/** PostgreSQL's bigint limit: the largest size the database can hold. */
export const MAX_BYTES = 2n ** 63n - 1n;

/**
 * A size in bytes: a positive integer given as a JSON number or a string of
 * digits (Onezone's documented example shows both 150 and "150"). Numbers must be exact
 * (safe integers); larger sizes go as strings. Null when invalid.
 */
export function parseSize(value: unknown): bigint | null {
  let size: bigint;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) return null;
    size = BigInt(value);
  } else if (typeof value === 'string' && /^\d{1,19}$/.test(value)) {
    size = BigInt(value);
  } else {
    return null;
  }
  return size > 0n && size <= MAX_BYTES ? size : null;
}

export const SIZE_RULE = 'must be a positive integer of bytes, as a JSON number or a string of digits (at most 9223372036854775807)';

export const IsByteSize = rule(
  'isByteSize',
  (value) => parseSize(value) !== null,
  (property) => `${property} ${SIZE_RULE}`,
);

/** OpenAPI schema of a size field: number or digit string. */
export const SIZE_SCHEMA = {
  oneOf: [
    { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
    { type: 'string', pattern: '^[0-9]{1,19}$' },
  ],
};

/** A size in a response: a JSON number when exact, else a string of digits (as sizes are accepted). */
export function sizeJson(size: bigint): number | string {
  return size <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(size) : size.toString();
}

/** OpenAPI schema of a size in a response. */
export const SIZE_OUTPUT_SCHEMA = {
  oneOf: [
    { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
    { type: 'string', pattern: '^[0-9]{1,19}$', description: 'Sizes beyond 2^53 - 1, which JSON numbers cannot carry exactly.' },
  ],
};

/** SIZE_OUTPUT_SCHEMA or null (OpenAPI 3.0 marks each alternative nullable). */
export const NULLABLE_SIZE_OUTPUT_SCHEMA = {
  oneOf: SIZE_OUTPUT_SCHEMA.oneOf.map((alternative) => ({ ...alternative, nullable: true })),
};
