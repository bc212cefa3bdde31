import macaroons from 'macaroon';
import { describeCaveats, MAX_TOKEN_LENGTH, mintToken, parseToken, verifyToken } from './token-codec.js';

const SECRET = 's'.repeat(40);
const ID = '0123456789abcdef0123456789abcdef';
const NOW = new Date('2026-06-01T00:00:00Z');
const mint = (extra: Partial<Parameters<typeof mintToken>[0]> = {}) =>
  mintToken({ id: ID, type: 'access', location: 'onezone', secret: SECRET, ...extra });

function attenuate(serialized: string, caveat: string): string {
  const m = macaroons.importMacaroon(new Uint8Array(Buffer.from(serialized, 'base64url')));
  m.addFirstPartyCaveat(caveat);
  return Buffer.from(m.exportBinary()).toString('base64url');
}

const verify = (serialized: string, type = 'access', now: Date | null = NOW) => {
  const parsed = parseToken(serialized);
  if (!parsed) return 'unparsable';
  return verifyToken(parsed, SECRET, { type, now, location: 'onezone' });
};

describe('token codec (macaroons)', () => {
  it('mints a v2 macaroon, base64url, with the id, location and type caveat', () => {
    const serialized = mint();
    expect(serialized).toMatch(/^[A-Za-z0-9_-]+$/);
    const parsed = parseToken(serialized)!;
    expect(parsed.id).toBe(ID);
    expect(parsed.macaroon.location).toBe('onezone');
    expect(parsed.caveats).toEqual(['type = access']);
    expect(verify(serialized)).toBeNull();
  });

  it('adds time < when the token is limited, and honours it', () => {
    const validUntil = new Date(NOW.getTime() + 60_000);
    const serialized = mint({ validUntil });
    expect(parseToken(serialized)!.caveats).toEqual(['type = access', `time < ${validUntil.getTime() / 1000}`]);
    expect(verify(serialized)).toBeNull();
    expect(verify(serialized, 'access', validUntil)).toBe('caveat check failed (time < 1780272060): expired');
  });

  it('refuses a token of another type', () => {
    expect(verify(mint({ type: 'space_creation' }), 'access')).toMatch(/type is space_creation, not access/);
  });

  it('refuses a token signed with another secret', () => {
    const other = mintToken({ id: ID, type: 'access', location: 'onezone', secret: 'x'.repeat(40) });
    expect(verify(other)).toMatch(/signature mismatch/);
  });

  it('refuses every single flipped byte', () => {
    const bytes = Buffer.from(mint(), 'base64url');
    for (let i = 0; i < bytes.length; i++) {
      const tampered = Buffer.from(bytes);
      tampered[i] ^= 0x01;
      expect(verify(tampered.toString('base64url'))).not.toBeNull();
    }
  });

  it('refuses truncated tokens', () => {
    const serialized = mint();
    for (let cut = 1; cut < serialized.length; cut += 3) {
      expect(verify(serialized.slice(0, serialized.length - cut))).not.toBeNull();
    }
  });

  it('lets a holder attenuate with time <, which then binds', () => {
    const later = attenuate(mint(), `time < ${NOW.getTime() / 1000 + 30}`);
    expect(verify(later)).toBeNull();
    expect(verify(later, 'access', new Date(NOW.getTime() + 31_000))).toMatch(/expired/);
  });

  it('keeps the earliest bound when attenuated with a later time than the server set', () => {
    const validUntil = new Date(NOW.getTime() + 10_000);
    const widened = attenuate(mint({ validUntil }), `time < ${NOW.getTime() / 1000 + 10_000}`);
    expect(verify(widened, 'access', new Date(NOW.getTime() + 11_000))).toMatch(/expired/);
  });

  it('refuses any caveat it does not know', () => {
    expect(verify(attenuate(mint(), 'ip = 10.0.0.1'))).toMatch(/unknown caveat/);
    expect(verify(attenuate(mint(), 'time <= 99999999999'))).toMatch(/unknown caveat/);
    expect(verify(attenuate(mint(), 'type = space_creation'))).toMatch(/type is space_creation/);
  });

  it('refuses caveats removed or reordered', () => {
    const m = macaroons.importMacaroon(new Uint8Array(Buffer.from(mint({ validUntil: new Date(NOW.getTime() + 60_000) }), 'base64url')));
    const id = Buffer.from(m.identifier).toString();
    const caveats = m.caveats.map((c) => Buffer.from(c.identifier).toString());
    const rebuilt = (list: string[]) => {
      // Same id and signature, caveats edited: the chained HMAC no longer matches.
      const json = {
        v: 2,
        l: 'onezone',
        i: id,
        c: list.map((c) => ({ i: c })),
        s64: Buffer.from(m.signature).toString('base64url'),
      };
      return Buffer.from(macaroons.importMacaroon(json).exportBinary()).toString('base64url');
    };
    expect(verify(rebuilt([caveats[0]]))).toMatch(/signature mismatch/);
    expect(verify(rebuilt([caveats[1], caveats[0]]))).toMatch(/signature mismatch/);
  });

  it('refuses a macaroon without a type caveat', () => {
    const m = macaroons.newMacaroon({ identifier: ID, location: 'onezone', rootKey: new Uint8Array(32), version: 2 });
    const serialized = Buffer.from(m.exportBinary()).toString('base64url');
    const parsed = parseToken(serialized)!;
    // Signed with the right key, but carrying no type.
    const rightKey = mintToken({ id: ID, type: 'access', location: 'onezone', secret: SECRET });
    expect(parsed.caveats).toEqual([]);
    expect(verify(rightKey)).toBeNull();
    expect(verifyToken(parsed, SECRET, { type: 'access', now: NOW, location: 'onezone' })).not.toBeNull();
  });

  it('refuses third-party caveats', () => {
    // Macaroon v2 binary by hand: [version] then fields [type][length][data], 0 ends a section.
    const field = (type: number, data: string | Buffer) => {
      const bytes = Buffer.from(data);
      return Buffer.concat([Buffer.from([type, bytes.length]), bytes]);
    };
    const EOS = Buffer.from([0]);
    const raw = Buffer.concat([
      Buffer.from([2]),
      field(1, 'onezone'),
      field(2, ID),
      EOS,
      field(2, 'type = access'),
      EOS,
      field(1, 'elsewhere'),
      field(2, 'third'),
      field(4, Buffer.alloc(72)),
      EOS,
      EOS,
      field(6, Buffer.alloc(32)),
    ]);
    expect(macaroons.importMacaroon(new Uint8Array(raw)).caveats).toHaveLength(2);
    expect(parseToken(raw.toString('base64url'))).toBeNull();
  });

  it('refuses a token whose location was changed', () => {
    const other = mintToken({ id: ID, type: 'access', location: 'elsewhere', secret: SECRET });
    expect(verify(other)).toBe('location is not onezone');
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'abc$def'],
    ['padding inside', 'ab=cd'],
    ['random base64url', Buffer.from('hello world').toString('base64url')],
    ['too long', 'A'.repeat(MAX_TOKEN_LENGTH + 1)],
    ['a number', 42],
    ['null', null],
  ])('does not parse %s', (_, input) => {
    expect(parseToken(input)).toBeNull();
  });

  it('does not parse a macaroon whose identifier is not a token id', () => {
    const m = macaroons.newMacaroon({ identifier: 'not-an-id', location: 'onezone', rootKey: 'k', version: 2 });
    expect(parseToken(Buffer.from(m.exportBinary()).toString('base64url'))).toBeNull();
  });

  describe('examining (now = null)', () => {
    it('accepts an expired token whose signature holds, and lists its caveats as data', () => {
      const expired = attenuate(mint({ validUntil: new Date(NOW.getTime() - 60_000) }), 'time < 1700000000');
      expect(verify(expired, 'access', NOW)).not.toBeNull();
      expect(verify(expired, 'access', null)).toBeNull();
      expect(describeCaveats(parseToken(expired)!)).toEqual([
        { type: 'type', tokenType: 'access' },
        { type: 'time', validUntil: NOW.getTime() / 1000 - 60 },
        { type: 'time', validUntil: 1700000000 },
      ]);
    });

    it('still refuses a forged signature, another type, or an unknown caveat', () => {
      const bytes = Buffer.from(mint(), 'base64url');
      bytes[bytes.length - 1] ^= 1;
      expect(verify(bytes.toString('base64url'), 'access', null)).not.toBeNull();
      expect(verify(mint(), 'space_creation', null)).not.toBeNull();
      expect(verify(attenuate(mint(), 'ip = 1.2.3.4'), 'access', null)).toBe(
        'caveat check failed (ip = 1.2.3.4): unknown caveat',
      );
    });
  });
});
