import { codePoints, MAX_TAG_LENGTH } from '../../config/space-tags.js';
import { rule } from './rule.js';

/** Limits of a space's descriptive fields, in characters (code points). */
export const DESCRIPTION_MAX_LENGTH = 100_000;
export const ORGANIZATION_NAME_MAX_LENGTH = 256;
/** At most this many tags in one request (repeats included). */
export const MAX_TAGS = 1000;
export const EMAIL_MAX_BYTES = 254;

/** The email address rule Onezone applies to contact addresses (RFC 5321 length). */
const EMAIL_PATTERN =
  /^[a-zA-Z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-zA-Z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?\.)+[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/;

export function isEmailAddress(value: unknown): value is string {
  return typeof value === 'string' && EMAIL_PATTERN.test(value) && Buffer.byteLength(value, 'utf8') <= EMAIL_MAX_BYTES;
}

const textUpTo = (max: number) => (value: unknown) => typeof value === 'string' && codePoints(value) <= max;

export const IsDescription = rule(
  'isDescription',
  textUpTo(DESCRIPTION_MAX_LENGTH),
  (p) => `${p} must be a string of at most ${DESCRIPTION_MAX_LENGTH} characters`,
);

export const IsOrganizationName = rule(
  'isOrganizationName',
  textUpTo(ORGANIZATION_NAME_MAX_LENGTH),
  (p) => `${p} must be a string of at most ${ORGANIZATION_NAME_MAX_LENGTH} characters`,
);

/** The shape of a tag list; whether each tag is a configured one is checked against the configuration. */
export const IsTagList = rule(
  'isTagList',
  (value) =>
    Array.isArray(value) &&
    value.length <= MAX_TAGS &&
    value.every((t) => typeof t === 'string' && codePoints(t) >= 1 && codePoints(t) <= MAX_TAG_LENGTH),
  (p) => `${p} must be an array of at most ${MAX_TAGS} tags, each 1 to ${MAX_TAG_LENGTH} characters`,
);

/** "" (none) or an email address. */
export const IsContactEmail = rule(
  'isContactEmail',
  (value) => value === '' || isEmailAddress(value),
  (p) => `${p} must be "" or an email address of at most ${EMAIL_MAX_BYTES} bytes`,
);

export const IsStrictBoolean = rule(
  'isStrictBoolean',
  (value) => typeof value === 'boolean',
  (p) => `${p} must be true or false`,
);
