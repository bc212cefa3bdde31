/**
 * IPv4 addresses and masks as ip caveats use them. Masks are IPv4 only, as in
 * Onezone; a mask written without `/n` means `/32`. Addresses are kept as
 * unsigned 32-bit integers.
 */

/** An IPv4 network: the address as written (host bits may be set) and the prefix length. */
export interface IpMask {
  address: number /* uint32 */;
  bits: number /* 0..32 */;
}

// Decimal, no sign, no leading zero: "010" could be read as octal elsewhere, so it is refused.
const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const IPV4 = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);
const MASK = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}(?:/(3[0-2]|[12]?[0-9]))?$`);
/** The form in which Node reports an IPv4 client on a dual-stack socket. */
const MAPPED_PREFIX = /^::ffff:/i;

function toUint32(octets: string[]): number {
  return octets.reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

/** IPv4 text "a.b.c.d" (also the IPv4-mapped "::ffff:a.b.c.d") → uint32, else null (pure IPv6 → null). */
export function parseIpv4(text: string): number | null {
  if (typeof text !== 'string') return null;
  const plain = MAPPED_PREFIX.test(text) ? text.slice(7) : text;
  const match = IPV4.exec(plain);
  return match ? toUint32(match.slice(1, 5)) : null;
}

/** "a.b.c.d" or "a.b.c.d/n" → mask, else null. */
export function parseMask(text: string): IpMask | null {
  if (typeof text !== 'string') return null;
  const match = MASK.exec(text);
  if (!match) return null;
  return { address: toUint32(match.slice(1, 5)), bits: match[5] === undefined ? 32 : Number(match[5]) };
}

export function isValidMask(mask: IpMask): boolean {
  return (
    typeof mask === 'object' &&
    mask !== null &&
    Number.isInteger(mask.address) &&
    mask.address >= 0 &&
    mask.address <= 0xffffffff &&
    Number.isInteger(mask.bits) &&
    mask.bits >= 0 &&
    mask.bits <= 32
  );
}

export function formatIpv4(address: number): string {
  return [address >>> 24, (address >>> 16) & 0xff, (address >>> 8) & 0xff, address & 0xff].join('.');
}

/** The canonical text of a mask, always with `/n`. */
export function formatMask(mask: IpMask): string {
  if (!isValidMask(mask)) throw new RangeError('invalid IP mask');
  return `${formatIpv4(mask.address)}/${mask.bits}`;
}

/** Whether the address lies in the mask's network (its first `bits` bits are equal). */
export function ipInMask(address: number, mask: IpMask): boolean {
  if (mask.bits <= 0) return true;
  const netmask = mask.bits >= 32 ? 0xffffffff : (0xffffffff << (32 - mask.bits)) >>> 0;
  return (address & netmask) >>> 0 === (mask.address & netmask) >>> 0;
}
