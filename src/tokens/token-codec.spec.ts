import macaroons from 'macaroon';
import {
  appendCaveats,
  checkSignature,
  formatIdentifier,
  type Identifier,
  MAX_TOKEN_LENGTH,
  mintMacaroon,
  mintV1Token,
  parseIdentifier,
  parseToken,
} from './token-codec.js';

const SECRET = 's'.repeat(40);
const ID = '0123456789abcdef0123456789abcdef';
const SPACE = 'feedfacefeedfacefeedfacefeedface';
const NOW = new Date('2026-06-01T00:00:00Z');
const mint = (extra: Partial<Parameters<typeof mintV1Token>[0]> = {}) =>
  mintV1Token({ id: ID, type: 'access', location: 'onezone', secret: SECRET, ...extra });

function attenuate(serialized: string, caveat: string): string {
  const m = macaroons.importMacaroon(new Uint8Array(Buffer.from(serialized, 'base64url')));
  m.addFirstPartyCaveat(caveat);
  return Buffer.from(m.exportBinary()).toString('base64url');
}

/** null when the token parses and its signature holds; else why not. */
const verify = (serialized: string, secret = SECRET) => {
  const parsed = parseToken(serialized);
  if (!parsed) return 'unparsable';
  return checkSignature(parsed, secret, 'onezone');
};

describe('token codec (macaroons)', () => {
  it('mints a v1 token as it always has: the id, the location, type and time caveats', () => {
    const validUntil = new Date(NOW.getTime() + 60_000);
    const serialized = mint({ validUntil });
    expect(serialized).toMatch(/^[A-Za-z0-9_-]+$/);
    const parsed = parseToken(serialized)!;
    expect(parsed.identifier).toEqual({ version: 1, id: ID });
    expect(parsed.macaroon.location).toBe('onezone');
    expect(parsed.caveats).toEqual(['type = access', `time < ${validUntil.getTime() / 1000}`]);
    expect(verify(serialized)).toBeNull();
  });

  it.each<[string, Identifier]>([
    [
      `2/nmd/usr-${'a'.repeat(32)}/act/${ID}`,
      { version: 2, id: ID, persistence: { named: true }, subject: { type: 'user', id: 'a'.repeat(32) }, type: { kind: 'access' } },
    ],
    [
      `2/tmp-3/prv-${'b'.repeat(32)}/idn/${ID}`,
      {
        version: 2,
        id: ID,
        persistence: { named: false, generation: 3 },
        subject: { type: 'provider', id: 'b'.repeat(32) },
        type: { kind: 'identity' },
      },
    ],
    [
      `2/nmd/usr-alice@host/ujs:${SPACE}:/${ID}`,
      {
        version: 2,
        id: ID,
        persistence: { named: true },
        subject: { type: 'user', id: 'alice@host' },
        type: { kind: 'invite', inviteType: 'userJoinSpace', targetId: SPACE },
      },
    ],
    [
      `2/tmp-1/usr-u1/ssp:${SPACE}:ge/${ID}`,
      {
        version: 2,
        id: ID,
        persistence: { named: false, generation: 1 },
        subject: { type: 'user', id: 'u1' },
        type: { kind: 'invite', inviteType: 'supportSpace', targetId: SPACE },
      },
    ],
    [
      `2/nmd/usr-u1/gjg:${SPACE}:/${ID}`,
      {
        version: 2,
        id: ID,
        persistence: { named: true },
        subject: { type: 'user', id: 'u1' },
        type: { kind: 'invite', inviteType: 'groupJoinGroup', targetId: SPACE },
      },
    ],
    [ID, { version: 1, id: ID }],
  ])('reads and writes the identifier %s', (text, identifier) => {
    expect(parseIdentifier(text)).toEqual(identifier);
    expect(formatIdentifier(identifier)).toBe(text);
  });

  it.each([
    ['a v1 id that is not 32 hex', 'not-an-id'],
    ['another version', `3/nmd/usr-u/act/${ID}`],
    ['too few segments', `2/nmd/usr-u/${ID}`],
    ['an unknown persistence', `2/xyz/usr-u/act/${ID}`],
    ['generation 0', `2/tmp-0/usr-u/act/${ID}`],
    ['an unknown subject kind', `2/nmd/grp-u/act/${ID}`],
    ['an empty subject id', `2/nmd/usr-/act/${ID}`],
    ['an unknown type code', `2/nmd/usr-u/xyz/${ID}`],
    ['an invite type this service does not issue', `2/nmd/usr-u/hjs:${SPACE}:/${ID}`],
    ['support parameters missing', `2/nmd/usr-u/ssp:${SPACE}:/${ID}`],
    ['a bad target id', `2/nmd/usr-u/ujs:xyz:/${ID}`],
    ['a bad token id', '2/nmd/usr-u/act/xyz'],
  ])('refuses an identifier with %s', (_, text) => {
    expect(parseIdentifier(text)).toBeNull();
  });

  it('keys each token by its identifier, so a v2 token verifies and re-mints byte for byte', () => {
    const identifier = `2/nmd/usr-u1/act/${ID}`;
    const a = mintMacaroon({ identifier, caveats: ['time < 1900000000'], location: 'onezone', secret: SECRET });
    const b = mintMacaroon({ identifier, caveats: ['time < 1900000000'], location: 'onezone', secret: SECRET });
    expect(a).toBe(b);
    expect(verify(a)).toBeNull();
    expect(verify(a, 'x'.repeat(40))).toMatch(/signature mismatch/);
  });

  it("writes the same bytes as the macaroon library, and long tokens too (the library's buffer fails past 200 bytes)", () => {
    const small = mint({ validUntil: new Date(NOW.getTime() + 60_000) });
    const m = macaroons.importMacaroon(new Uint8Array(Buffer.from(small, 'base64url')));
    expect(Buffer.from(m.exportBinary()).toString('base64url')).toBe(small);
    const caveats = Array.from({ length: 60 }, (_, i) => `ip = 10.${i}.0.0/16|192.168.${i}.0/24|172.16.${i}.1/32`);
    const long = mintMacaroon({ identifier: `2/nmd/usr-${'u'.repeat(128)}/act/${ID}`, caveats, location: 'onezone', secret: SECRET });
    expect(long.length).toBeGreaterThan(4000);
    expect(parseToken(long)!.caveats).toEqual(caveats);
    expect(verify(long)).toBeNull();
    expect(verify(appendCaveats(parseToken(long)!, ['interface = rest']))).toBeNull();
  });

  it('refuses a token signed with another secret', () => {
    const other = mintV1Token({ id: ID, type: 'access', location: 'onezone', secret: 'x'.repeat(40) });
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

  it('lets a holder append caveats without the key; the signature still holds', () => {
    const parsed = parseToken(mint())!;
    const confined = appendCaveats(parsed, ['ip = 10.0.0.0/8', 'interface = rest']);
    expect(parseToken(confined)!.caveats).toEqual(['type = access', 'ip = 10.0.0.0/8', 'interface = rest']);
    expect(verify(confined)).toBeNull();
    expect(verify(attenuate(mint(), 'foo = bar'))).toBeNull(); // the meaning of caveats is checked elsewhere
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
    const other = mintV1Token({ id: ID, type: 'access', location: 'elsewhere', secret: SECRET });
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
});
