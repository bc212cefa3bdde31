import fc from 'fast-check';
import {
  ACCESS_AS_IDENTITY_CAVEATS,
  apiAllowedForService,
  apiAllows,
  type ApiOperation,
  type ApiSpec,
  type Caveat,
  caveatFromJson,
  CaveatSyntaxError,
  caveatToJson,
  confinesToDataAccess,
  consumerAllowed,
  dataPathSpace,
  type Gri,
  ipAllowed,
  ipInMask,
  isDataAccessCaveat,
  objectIdSpace,
  parseCaveat,
  parseIpv4,
  serializeCaveat,
  serviceAllowed,
  SUPPORTED_CAVEATS,
  unverifiedDescription,
} from './caveats.js';
import { formatMask, parseMask } from './ip.js';

const SPACE = '8398219ec0e226045cd7d86c2980410a';
const USER = '5b8a1f0c2d3e4f5061728394a5b6c7d8';
const b64 = (text: string) => Buffer.from(text).toString('base64');

/** CRC-16/ARC (reflected polynomial 0x8005, initial value 0), the checksum of a CDMI object id. */
function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}

/** A file's object id as Oneprovider builds it: CDMI header (enterprise number 0) + the guid's text, in upper hex. */
function objectId(spaceId: string, fileUuid = 'e2f765da329c20cbb590a54eb3a7132d', shareId?: string): string {
  const data = Buffer.from(shareId === undefined ? `guid#${fileUuid}#${spaceId}` : `shareGuid#${fileUuid}#${spaceId}#${shareId}`);
  const header = Buffer.from([0, 0, 0, 0, 0, data.length & 0xff, 0, 0]);
  const crc = crc16(Buffer.concat([header, data]));
  header[6] = crc >> 8;
  header[7] = crc & 0xff;
  return Buffer.concat([header, data]).toString('hex').toUpperCase();
}

/** A file id taken from a real Oneprovider answer. */
const REAL_OBJECT_ID =
  '000000000046600A67756964236532663736356461333239633230636262353930613534656233613731333264' +
  '233833393832313965633065323236303435636437643836633239383034313061';

const syntaxError = (value: unknown): string => {
  try {
    caveatFromJson(value);
  } catch (error) {
    if (error instanceof CaveatSyntaxError) return error.message;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(value)}`);
};

const spec = (text: string): ApiSpec => {
  const caveat = parseCaveat(`api = ${text}`);
  if (caveat?.type !== 'api') throw new Error(`not an api matchspec: ${text}`);
  return caveat.whitelist[0];
};
const op = (operation: ApiOperation['operation'], gri: string, service: ApiOperation['service'] = 'ozw'): ApiOperation => {
  const [type, id, rest] = gri.split('.');
  const [aspect, scope] = rest.split(':');
  return { service, operation, gri: { type, id: id === 'null' ? null : id, aspect, scope: scope as Gri['scope'] } };
};
const allows = (specs: string[], operation: ApiOperation) => apiAllows(specs.map(spec), operation);

describe('caveats', () => {
  describe('serialized form', () => {
    const examples: [string, Caveat][] = [
      ['time < 1571147494', { type: 'time', validUntil: 1571147494 }],
      ['time < 0', { type: 'time', validUntil: 0 }],
      ['time < 999999999999999', { type: 'time', validUntil: 999_999_999_999_999 }],
      [
        'ip = 189.34.15.0/24|127.0.0.1/32',
        {
          type: 'ip',
          whitelist: [
            { address: 0xbd220f00, bits: 24 },
            { address: 0x7f000001, bits: 32 },
          ],
        },
      ],
      ['ip = 0.0.0.0/0', { type: 'ip', whitelist: [{ address: 0, bits: 0 }] }],
      ['asn = 631|1671', { type: 'asn', whitelist: [631, 1671] }],
      ['asn = 0|4294967295', { type: 'asn', whitelist: [0, 4294967295] }],
      ['geo.country = PL|DE', { type: 'geo.country', filter: 'whitelist', list: ['PL', 'DE'] }],
      ['geo.country != PL', { type: 'geo.country', filter: 'blacklist', list: ['PL'] }],
      ['geo.region = Europe|EU', { type: 'geo.region', filter: 'whitelist', list: ['Europe', 'EU'] }],
      ['geo.region != NorthAmerica', { type: 'geo.region', filter: 'blacklist', list: ['NorthAmerica'] }],
      [
        'service = ozw-onezone|opw-*',
        {
          type: 'service',
          whitelist: [
            { service: 'ozw', id: 'onezone' },
            { service: 'opw', id: '*' },
          ],
        },
      ],
      [
        `consumer = usr-${USER}|grp-*|prv-*|usr-ext:alice@idp.example`,
        {
          type: 'consumer',
          whitelist: [
            { kind: 'usr', id: USER },
            { kind: 'grp', id: '*' },
            { kind: 'prv', id: '*' },
            { kind: 'usr', id: 'ext:alice@idp.example' },
          ],
        },
      ],
      ['interface = rest', { type: 'interface', interface: 'rest' }],
      ['interface = oneclient', { type: 'interface', interface: 'oneclient' }],
      ['interface = graphsync', { type: 'interface', interface: 'graphsync' }],
      [
        `api = ozw/get/space.*.*:*|all/all/token.null.user_named_token,${USER}:private`,
        {
          type: 'api',
          whitelist: [
            { service: 'ozw', operation: 'get', type: 'space', id: '*', aspect: '*', scope: '*' },
            {
              service: 'all',
              operation: 'all',
              type: 'token',
              id: 'null',
              aspect: `user_named_token,${USER}`,
              scope: 'private',
            },
          ],
        },
      ],
      ['data.readonly', { type: 'data.readonly' }],
      [
        `data.path = ${b64(`/${SPACE}`)}|${b64(`/${SPACE}/dir1/file.txt`)}`,
        { type: 'data.path', whitelist: [b64(`/${SPACE}`), b64(`/${SPACE}/dir1/file.txt`)] },
      ],
      [`data.objectid = ${REAL_OBJECT_ID}`, { type: 'data.objectid', whitelist: [REAL_OBJECT_ID] }],
      ['authorization = none', { type: 'authorization.none' }],
    ];

    it.each(examples)('reads %s and writes it back unchanged', (text, caveat) => {
      expect(parseCaveat(text)).toEqual(caveat);
      expect(serializeCaveat(caveat)).toBe(text);
    });

    it('reads a mask without /n as /32, and writes it with /32', () => {
      const caveat = parseCaveat('ip = 127.0.0.1|10.0.0.0/8')!;
      expect(caveat).toEqual({
        type: 'ip',
        whitelist: [
          { address: 0x7f000001, bits: 32 },
          { address: 0x0a000000, bits: 8 },
        ],
      });
      expect(serializeCaveat(caveat)).toBe('ip = 127.0.0.1/32|10.0.0.0/8');
    });

    it('keeps a mask address with host bits as written, as Onezone does', () => {
      expect(serializeCaveat(parseCaveat('ip = 10.1.2.3/8')!)).toBe('ip = 10.1.2.3/8');
    });

    it('reads an api matchspec without scope as scope private, as Onezone does', () => {
      const caveat = parseCaveat('api = ozw/get/space.*.instance')!;
      expect(caveat).toEqual({
        type: 'api',
        whitelist: [{ service: 'ozw', operation: 'get', type: 'space', id: '*', aspect: 'instance', scope: 'private' }],
      });
      expect(serializeCaveat(caveat)).toBe('api = ozw/get/space.*.instance:private');
    });

    it('accepts object ids in lower case hex and share guids', () => {
      expect(parseCaveat(`data.objectid = ${REAL_OBJECT_ID.toLowerCase()}`)).not.toBeNull();
      expect(parseCaveat(`data.objectid = ${objectId(SPACE, 'abc', 'share1')}`)).not.toBeNull();
    });

    it.each([
      // not caveats of this kind at all
      '',
      'type = access',
      'type = space_creation',
      'foo = bar',
      'time',
      'data.readonly ',
      ' data.readonly',
      'data.readonly = true',
      'authorization = full',
      'authorization = none ',
      // time
      'time < ',
      'time <  1571147494',
      'time < 1571147494 ',
      'time <1571147494',
      'time = 1571147494',
      'time > 1571147494',
      'time < 12abc',
      'time < -1',
      'time < +1',
      'time < 01',
      'time < 1.5',
      'time < 1e9',
      'time < 1000000000000000',
      'time < 9999999999999999999999',
      // ip
      'ip = ',
      'ip =',
      'ip = 1.2.3.4|',
      'ip = |1.2.3.4',
      'ip = 1.2.3.4||5.6.7.8',
      'ip = 1.2.3.4 ',
      'ip =  1.2.3.4',
      'ip = 256.1.1.1',
      'ip = 1.2.3',
      'ip = 1.2.3.4.5',
      'ip = 1.2.3.4/33',
      'ip = 1.2.3.4/-1',
      'ip = 1.2.3.4/',
      'ip = 1.2.3.4//24',
      'ip = /24',
      'ip = 1.2.3.4/024',
      'ip = 01.2.3.4',
      'ip = ::1',
      'ip = ::ffff:1.2.3.4',
      'ip = 1.2.3.4/24, 5.6.7.8',
      // asn
      'asn = ',
      'asn = 631|',
      'asn = -1',
      'asn = 0631',
      'asn = 1.5',
      'asn = 4294967296',
      'asn = AS631',
      // geo
      'geo.country = ',
      'geo.country = POL',
      'geo.country = P',
      'geo.country = P1',
      'geo.country = PL|',
      'geo.country == PL',
      'geo.country = != PL',
      'geo.country <> PL',
      'geo.region = Mars',
      'geo.region = europe',
      'geo.region = Europe|',
      // service
      'service = ',
      'service = ozw',
      'service = ozw-',
      'service = xyz-onezone',
      'service = ozw_onezone',
      'service = ozw-one zone',
      'service = ozw-on/ezone',
      'service = OZW-onezone',
      'service = opw-*x',
      `service = opw-${'a'.repeat(129)}`,
      // consumer
      'consumer = ',
      'consumer = usr-',
      'consumer = nobody',
      'consumer = usr',
      'consumer = adm-1',
      'consumer = usr-a b',
      'consumer = usr-*|',
      // interface
      'interface = ',
      'interface = REST',
      'interface = rest|oneclient',
      'interface = cdmi',
      // api
      'api = ',
      'api = ozw/read/space.*.*:*',
      'api = ozw/get/space.*.*:*/',
      'api = ozw/get',
      'api = ozw/get/',
      'api = xyz/get/space.*.*:*',
      'api = ozw/get/spaces.*.*:*',
      'api = ozw/get/null.*.*:*',
      'api = ozw/get/space.*.*:none',
      'api = ozw/get/space.*.*:',
      'api = ozw/get/space.*.*:*:*',
      'api = ozw/get/space.*:*',
      'api = ozw/get/space.a.b.instance:*',
      'api = ozw/get/space..instance:*',
      'api = ozw/get/space.*.:*',
      'api = ozw/get/space.*.a,b,c:*',
      'api = ozw/get/space.*.a,:*',
      'api = ozw/get/space.*.in*:*',
      'api = ozw/get/space.*.*:*|',
      'api = ozw/get/space.*.*:* ',
      // data access
      'data.path = ',
      `data.path = ${b64('/')}`,
      `data.path = ${b64(`/${SPACE}/`)}`,
      `data.path = ${b64(`${SPACE}/dir`)}`,
      `data.path = ${b64(`//${SPACE}`)}`,
      `data.path = ${b64(`/${SPACE}//dir`)}`,
      `data.path = ${b64(`/${SPACE}/./dir`)}`,
      `data.path = ${b64(`/${SPACE}/../other`)}`,
      `data.path = ${b64('/..')}`,
      `data.path = ${b64(`/${SPACE}/a\0b`)}`,
      `data.path = ${b64(`/${SPACE}/d`).replace(/=+$/, '')}`,
      `data.path = ${b64(`/${SPACE}`)}|`,
      `data.path = /${SPACE}`,
      `data.path = ${Buffer.from(`/${SPACE}/a>b?`).toString('base64url')}`,
      'data.path = Lx==',
      'data.objectid = ',
      'data.objectid = 1234',
      `data.objectid = ${REAL_OBJECT_ID}0`,
      `data.objectid = ${REAL_OBJECT_ID}|`,
      `data.objectid = 01${REAL_OBJECT_ID.slice(2)}`,
      `data.objectid = ${REAL_OBJECT_ID.slice(0, 16)}`,
      `data.objectid = ${objectId('')}`,
      `data.objectid = ${Buffer.from(`\0\0\0\0\0\x10\0\0guid#abc`).toString('hex')}`,
      `data.objectid = ${Buffer.from(`\0\0\0\0\0\x10\0\0file#abc#${SPACE}`).toString('hex')}`,
      `data.objectid = ${Buffer.from(`\0\0\0\0\0\x10\0\0guid#a#${SPACE}#x`).toString('hex')}`,
      `data.objectid = ${'0'.repeat(1026)}`,
    ])('treats %j as an unknown caveat', (text) => {
      expect(parseCaveat(text)).toBeNull();
    });

    it('refuses a data path whose base64 is not canonical (non-zero padding bits, whitespace)', () => {
      const canonical = b64(`/${SPACE}/d`);
      expect(canonical).toMatch(/[^=]=$/);
      const last = canonical.at(-2)!;
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
      const sloppy = `${canonical.slice(0, -2)}${alphabet[alphabet.indexOf(last) + 1]}=`;
      expect(Buffer.from(sloppy, 'base64').toString()).toBe(`/${SPACE}/d`);
      expect(parseCaveat(`data.path = ${canonical}`)).not.toBeNull();
      expect(parseCaveat(`data.path = ${sloppy}`)).toBeNull();
      expect(parseCaveat(`data.path = ${canonical.slice(0, 8)} ${canonical.slice(8)}`)).toBeNull();
    });

    it('refuses an entry longer than 1024 characters', () => {
      const long = `/${SPACE}/${'d'.repeat(800)}`;
      expect(b64(long).length).toBeGreaterThan(1024);
      expect(parseCaveat(`data.path = ${b64(long)}`)).toBeNull();
      expect(parseCaveat(`data.path = ${b64(long.slice(0, 700))}`)).not.toBeNull();
    });

    it('never throws, and whatever it reads writes back to the same caveat', () => {
      const alphabet = fc.constantFrom(...'time<>=! ip.0123456789/|asngeo.countryPLEUservicezwp-*consumerugrapi:,'.split(''));
      fc.assert(
        fc.property(fc.oneof(fc.string(), fc.string({ unit: alphabet, maxLength: 40 })), (text) => {
          const caveat = parseCaveat(text);
          if (caveat !== null) expect(parseCaveat(serializeCaveat(caveat))).toEqual(caveat);
        }),
        { numRuns: 2000 },
      );
    });

    it.each([
      ['an empty whitelist', { type: 'ip', whitelist: [] }],
      ['an out-of-range mask', { type: 'ip', whitelist: [{ address: 2 ** 32, bits: 8 }] }],
      ['a mask of 33 bits', { type: 'ip', whitelist: [{ address: 1, bits: 33 }] }],
      ['a fractional time', { type: 'time', validUntil: 1.5 }],
      ['a negative time', { type: 'time', validUntil: -1 }],
      ['an id holding |', { type: 'consumer', whitelist: [{ kind: 'usr', id: 'a|usr-b' }] }],
      ['an empty list', { type: 'geo.country', filter: 'whitelist', list: [] }],
      ['a bad filter', { type: 'geo.country', filter: 'graylist', list: ['PL'] }],
      ['an unknown type', { type: 'bogus' }],
    ])('refuses to write a caveat with %s', (_, caveat) => {
      expect(() => serializeCaveat(caveat as Caveat)).toThrow(CaveatSyntaxError);
      expect(() => caveatToJson(caveat as Caveat)).toThrow(CaveatSyntaxError);
    });
  });

  describe('JSON form', () => {
    const examples: [Record<string, unknown>, Caveat][] = [
      [
        { type: 'time', validUntil: 1571147494 },
        { type: 'time', validUntil: 1571147494 },
      ],
      [
        { type: 'ip', whitelist: ['189.34.15.0/24', '127.0.0.1/32'] },
        {
          type: 'ip',
          whitelist: [
            { address: 0xbd220f00, bits: 24 },
            { address: 0x7f000001, bits: 32 },
          ],
        },
      ],
      [
        { type: 'asn', whitelist: [631, 1671] },
        { type: 'asn', whitelist: [631, 1671] },
      ],
      [
        { type: 'geo.country', filter: 'blacklist', list: ['PL', 'DE'] },
        { type: 'geo.country', filter: 'blacklist', list: ['PL', 'DE'] },
      ],
      [
        { type: 'geo.region', filter: 'whitelist', list: ['Europe', 'Asia'] },
        { type: 'geo.region', filter: 'whitelist', list: ['Europe', 'Asia'] },
      ],
      [
        { type: 'service', whitelist: ['opw-*', 'ozw-onezone'] },
        {
          type: 'service',
          whitelist: [
            { service: 'opw', id: '*' },
            { service: 'ozw', id: 'onezone' },
          ],
        },
      ],
      [
        { type: 'consumer', whitelist: [`usr-${USER}`, 'grp-*'] },
        {
          type: 'consumer',
          whitelist: [
            { kind: 'usr', id: USER },
            { kind: 'grp', id: '*' },
          ],
        },
      ],
      [
        { type: 'interface', interface: 'rest' },
        { type: 'interface', interface: 'rest' },
      ],
      [
        { type: 'api', whitelist: ['ozw/get/space.*.*:*'] },
        {
          type: 'api',
          whitelist: [{ service: 'ozw', operation: 'get', type: 'space', id: '*', aspect: '*', scope: '*' }],
        },
      ],
      [{ type: 'data.readonly' }, { type: 'data.readonly' }],
      [
        { type: 'data.path', whitelist: [b64(`/${SPACE}/dir`)] },
        { type: 'data.path', whitelist: [b64(`/${SPACE}/dir`)] },
      ],
      [
        { type: 'data.objectid', whitelist: [REAL_OBJECT_ID] },
        { type: 'data.objectid', whitelist: [REAL_OBJECT_ID] },
      ],
      [{ scope: 'identityToken' }, { type: 'authorization.none' }],
    ];

    it.each(examples)('reads %j and writes it back', (json, caveat) => {
      expect(caveatFromJson(json)).toEqual(caveat);
      expect(caveatToJson(caveat)).toEqual(json);
    });

    it('writes a mask given without /n with /32', () => {
      const caveat = caveatFromJson({ type: 'ip', whitelist: ['10.0.0.1', '10.0.0.0/8'] });
      expect(caveatToJson(caveat)).toEqual({ type: 'ip', whitelist: ['10.0.0.1/32', '10.0.0.0/8'] });
    });

    it('writes authorization = none as Onezone does, with a scope key and no type', () => {
      expect(caveatToJson({ type: 'authorization.none' })).toEqual({ scope: 'identityToken' });
    });

    it('reads a serialized caveat given as a string', () => {
      expect(caveatFromJson('time < 1571147494')).toEqual({ type: 'time', validUntil: 1571147494 });
      expect(caveatFromJson('ip = 10.0.0.0/8')).toEqual({ type: 'ip', whitelist: [{ address: 0x0a000000, bits: 8 }] });
      expect(caveatFromJson('authorization = none')).toEqual({ type: 'authorization.none' });
    });

    it('calls a string that is not a known caveat unknown, with the reason', () => {
      expect(syntaxError('type = access')).toMatch(/^unknown caveat 'type = access'/);
      expect(syntaxError('time < 12abc')).toMatch(/^unknown caveat/);
      expect(syntaxError('ip = 300.1.1.1')).toMatch(/^unknown caveat 'ip = 300\.1\.1\.1': invalid IPv4 mask '300\.1\.1\.1'/);
      expect(syntaxError('ozw/read/space.*.*:*')).toMatch(/^unknown caveat/);
    });

    it.each([
      // shape
      [null, /object or a serialized caveat/],
      [42, /object or a serialized caveat/],
      [[{ type: 'data.readonly' }], /object or a serialized caveat/],
      [{}, /string type/],
      [{ type: 3 }, /string type/],
      [{ type: 'bogus' }, /unknown caveat type 'bogus'/],
      [{ type: 'toString' }, /unknown caveat type/],
      [{ type: '__proto__' }, /unknown caveat type/],
      [{ type: 'authorization.none' }, /unknown caveat type/],
      [{ type: 'authorizationNone' }, /unknown caveat type/],
      [{ type: 'type', value: 'access' }, /unknown caveat type/],
      [{ scope: 'unlimited' }, /identityToken/],
      [{ scope: 'identityToken', extra: 1 }, /identityToken/],
      [{ type: 'data.readonly', readonly: true }, /unknown field 'readonly' in a data.readonly caveat/],
      [{ type: 'time', validUntil: 1, extra: 1 }, /unknown field 'extra'/],
      [{ type: 'time' }, /must have validUntil/],
      [{ type: 'ip' }, /must have whitelist/],
      [{ type: 'geo.country', list: ['PL'] }, /must have filter/],
      [{ type: 'interface' }, /must have interface/],
      // time
      [{ type: 'time', validUntil: '1571147494' }, /non-negative integer/],
      [{ type: 'time', validUntil: 1.5 }, /non-negative integer/],
      [{ type: 'time', validUntil: -1 }, /non-negative integer/],
      [{ type: 'time', validUntil: null }, /non-negative integer/],
      [{ type: 'time', validUntil: 1e15 }, /too large/],
      // ip
      [{ type: 'ip', whitelist: [] }, /must not be empty/],
      [{ type: 'ip', whitelist: '1.2.3.4' }, /must be an array/],
      [{ type: 'ip', whitelist: [16909060] }, /must be a string/],
      [{ type: 'ip', whitelist: ['::1'] }, /invalid IPv4 mask '::1'/],
      [{ type: 'ip', whitelist: ['1.2.3.4.5'] }, /invalid IPv4 mask/],
      [{ type: 'ip', whitelist: ['256.0.0.0/8'] }, /invalid IPv4 mask/],
      [{ type: 'ip', whitelist: ['1.2.3.4/33'] }, /invalid IPv4 mask/],
      [{ type: 'ip', whitelist: [''] }, /must not be empty/],
      [{ type: 'ip', whitelist: ['1.2.3.4|5.6.7.8'] }, /invalid IPv4 mask/],
      // asn
      [{ type: 'asn', whitelist: [] }, /must not be empty/],
      [{ type: 'asn', whitelist: ['631'] }, /invalid ASN/],
      [{ type: 'asn', whitelist: [-1] }, /invalid ASN/],
      [{ type: 'asn', whitelist: [1.5] }, /invalid ASN/],
      [{ type: 'asn', whitelist: [2 ** 32] }, /invalid ASN/],
      // geo
      [{ type: 'geo.country', filter: 'graylist', list: ['PL'] }, /whitelist or blacklist/],
      [{ type: 'geo.country', filter: 'whitelist', list: [] }, /must not be empty/],
      [{ type: 'geo.country', filter: 'whitelist', list: ['POL'] }, /invalid country code/],
      [{ type: 'geo.country', filter: 'whitelist', list: ['P1'] }, /invalid country code/],
      [{ type: 'geo.country', filter: 'whitelist', list: 'PL' }, /must be an array/],
      [{ type: 'geo.region', filter: 'whitelist', list: ['Mars'] }, /invalid region 'Mars'/],
      [{ type: 'geo.region', filter: 'whitelist', list: ['europe'] }, /invalid region/],
      // service and consumer
      [{ type: 'service', whitelist: [] }, /must not be empty/],
      [{ type: 'service', whitelist: ['onezone'] }, /invalid service/],
      [{ type: 'service', whitelist: ['xyz-1'] }, /invalid service/],
      [{ type: 'service', whitelist: ['opw-'] }, /invalid service/],
      [{ type: 'service', whitelist: ['opw-a|opw-b'] }, /invalid service/],
      [{ type: 'consumer', whitelist: ['nobody'] }, /invalid consumer/],
      [{ type: 'consumer', whitelist: ['usr-a b'] }, /invalid consumer/],
      [{ type: 'consumer', whitelist: ['usr-a/b'] }, /invalid consumer/],
      [{ type: 'consumer', whitelist: [{ kind: 'usr', id: USER }] }, /must be a string/],
      // interface
      [{ type: 'interface', interface: 'cdmi' }, /invalid interface/],
      [{ type: 'interface', interface: ['rest'] }, /invalid interface/],
      // api
      [{ type: 'api', whitelist: [] }, /must not be empty/],
      [{ type: 'api', whitelist: ['ozw/read/space.*.*:*'] }, /operation must be/],
      [{ type: 'api', whitelist: ['xyz/get/space.*.*:*'] }, /service must be/],
      [{ type: 'api', whitelist: ['ozw/get/spaces.*.*:*'] }, /unknown entity type/],
      [{ type: 'api', whitelist: ['ozw/get/space.a.b.instance:*'] }, /GRI must be/],
      [{ type: 'api', whitelist: ['ozw/get/space.*.*:everything'] }, /scope must be/],
      [{ type: 'api', whitelist: ['ozw/get/space.*.a,b,c:*'] }, /invalid aspect/],
      [{ type: 'api', whitelist: ['ozw/get'] }, /three parts/],
      // data access
      [{ type: 'data.readonly', whitelist: [] }, /unknown field/],
      [{ type: 'data.path', whitelist: [] }, /must not be empty/],
      [{ type: 'data.path', whitelist: [b64('/')] }, /invalid data path/],
      [{ type: 'data.path', whitelist: [b64(`/${SPACE}/`)] }, /invalid data path/],
      [{ type: 'data.path', whitelist: [`/${SPACE}`] }, /invalid data path/],
      [{ type: 'data.path', whitelist: [b64(`/${SPACE}/../x`)] }, /invalid data path/],
      [{ type: 'data.objectid', whitelist: ['abc'] }, /invalid object id/],
      [{ type: 'data.objectid', whitelist: [objectId('')] }, /invalid object id/],
      [{ type: 'data.objectid', whitelist: [] }, /must not be empty/],
    ])('refuses %j', (value, reason) => {
      expect(syntaxError(value)).toMatch(reason);
    });
  });

  describe('round trips of generated caveats', () => {
    const uint32 = fc.tuple(fc.nat(0xffff), fc.nat(0xffff)).map(([high, low]) => high * 0x10000 + low);
    const id = fc.oneof(fc.constant('*'), fc.stringMatching(/^[A-Za-z0-9._~:@+-]{1,40}$/));
    const list = <T>(item: fc.Arbitrary<T>) => fc.array(item, { minLength: 1, maxLength: 5 });
    const filter = fc.constantFrom<'whitelist' | 'blacklist'>('whitelist', 'blacklist');
    const segment = fc
      .string({ unit: fc.constantFrom(...'abcXYZ019 ._-ąż#?'.split('')), minLength: 1, maxLength: 12 })
      .filter((s) => s !== '.' && s !== '..');
    const aspectPart = fc.oneof(fc.constant('*'), fc.stringMatching(/^[A-Za-z0-9_~@+-]{1,20}$/));
    const apiSpec: fc.Arbitrary<ApiSpec> = fc.record({
      service: fc.constantFrom('all', 'ozw', 'ozp', 'opw', 'opp'),
      operation: fc.constantFrom('all', 'create', 'get', 'update', 'delete'),
      type: fc.constantFrom('*', 'user', 'group', 'space', 'token', 'provider', 'handleService', 'file', 'op_space'),
      id: fc.oneof(fc.constantFrom('*', 'null', 'self'), fc.stringMatching(/^[A-Za-z0-9_~:@+-]{1,40}$/)),
      aspect: fc.oneof(
        aspectPart,
        fc.tuple(aspectPart, aspectPart).map(([a, b]) => `${a},${b}`),
      ),
      scope: fc.constantFrom('private', 'protected', 'shared', 'public', 'auto', '*'),
    });
    const hexSpace = fc.stringMatching(/^[0-9a-f]{32}$/);
    const caveat: fc.Arbitrary<Caveat> = fc.oneof(
      fc.tuple(fc.nat(999_999), fc.nat(999_999_999)).map(([high, low]): Caveat => ({ type: 'time', validUntil: high * 1e9 + low })),
      list(fc.record({ address: uint32, bits: fc.integer({ min: 0, max: 32 }) })).map((whitelist): Caveat => ({ type: 'ip', whitelist })),
      list(uint32).map((whitelist): Caveat => ({ type: 'asn', whitelist })),
      fc.record({ filter, list: list(fc.stringMatching(/^[A-Za-z]{2}$/)) }).map((c): Caveat => ({ type: 'geo.country', ...c })),
      fc
        .record({
          filter,
          list: list(fc.constantFrom('Africa', 'Antarctica', 'Asia', 'Europe', 'EU', 'NorthAmerica', 'Oceania', 'SouthAmerica')),
        })
        .map((c): Caveat => ({ type: 'geo.region', ...c })),
      list(fc.record({ service: fc.constantFrom('ozw', 'ozp', 'opw', 'opp'), id })).map((whitelist): Caveat => ({
        type: 'service',
        whitelist,
      })),
      list(fc.record({ kind: fc.constantFrom('usr', 'grp', 'prv'), id })).map((whitelist): Caveat => ({ type: 'consumer', whitelist })),
      fc.constantFrom('rest', 'oneclient', 'graphsync').map((i): Caveat => ({ type: 'interface', interface: i })),
      list(apiSpec).map((whitelist): Caveat => ({ type: 'api', whitelist })),
      fc.constant<Caveat>({ type: 'data.readonly' }),
      list(fc.tuple(hexSpace, fc.array(segment, { maxLength: 4 }))).map((paths): Caveat => ({
        type: 'data.path',
        whitelist: paths.map(([s, rest]) => b64(['', s, ...rest].join('/'))),
      })),
      list(fc.tuple(hexSpace, fc.stringMatching(/^[0-9a-f]{1,40}$/), fc.boolean())).map((files): Caveat => ({
        type: 'data.objectid',
        whitelist: files.map(([s, uuid, lower]) => (lower ? objectId(s, uuid).toLowerCase() : objectId(s, uuid))),
      })),
      fc.constant<Caveat>({ type: 'authorization.none' }),
    );

    it('serialize → parse gives the same caveat', () => {
      fc.assert(
        fc.property(caveat, (c) => {
          expect(parseCaveat(serializeCaveat(c))).toEqual(c);
        }),
        { numRuns: 1000 },
      );
    });

    it('toJson → fromJson (through JSON text) gives the same caveat, and so does the serialized string', () => {
      fc.assert(
        fc.property(caveat, (c) => {
          expect(caveatFromJson(JSON.parse(JSON.stringify(caveatToJson(c))))).toEqual(c);
          expect(caveatFromJson(serializeCaveat(c))).toEqual(c);
        }),
        { numRuns: 1000 },
      );
    });
  });

  describe('IPv4 addresses and masks', () => {
    const inMask = (address: string, mask: string) => ipInMask(parseIpv4(address)!, parseMask(mask)!);

    it('parses dotted quads, also IPv4-mapped IPv6', () => {
      expect(parseIpv4('127.0.0.1')).toBe(0x7f000001);
      expect(parseIpv4('255.255.255.255')).toBe(0xffffffff);
      expect(parseIpv4('0.0.0.0')).toBe(0);
      expect(parseIpv4('::ffff:127.0.0.1')).toBe(0x7f000001);
      expect(parseIpv4('::FFFF:10.1.2.3')).toBe(0x0a010203);
    });

    it.each(['::1', 'fe80::1', '::ffff:7f00:1', '1.2.3', '1.2.3.4.5', '256.0.0.1', '01.2.3.4', ' 1.2.3.4', '1.2.3.4/32', ''])(
      'does not read %j as an IPv4 address',
      (text) => {
        expect(parseIpv4(text)).toBeNull();
      },
    );

    it('matches addresses against masks', () => {
      expect(inMask('10.1.2.3', '10.0.0.0/8')).toBe(true);
      expect(inMask('10.255.255.255', '10.0.0.0/8')).toBe(true);
      expect(inMask('11.0.0.1', '10.0.0.0/8')).toBe(false);
      expect(inMask('9.255.255.255', '10.0.0.0/8')).toBe(false);
      expect(inMask('189.34.15.200', '189.34.15.0/24')).toBe(true);
      expect(inMask('189.34.16.1', '189.34.15.0/24')).toBe(false);
      expect(inMask('127.0.0.1', '127.0.0.1')).toBe(true);
      expect(inMask('127.0.0.2', '127.0.0.1/32')).toBe(false);
      expect(inMask('200.1.1.1', '128.0.0.0/1')).toBe(true);
      expect(inMask('127.1.1.1', '128.0.0.0/1')).toBe(false);
      expect(inMask('10.200.0.1', '10.1.2.3/8')).toBe(true);
    });

    it('/0 contains every address', () => {
      fc.assert(
        fc.property(fc.nat(0xffff), fc.nat(0xffff), fc.nat(0xffff), (a, b, m) => {
          expect(ipInMask(a * 0x10000 + b, { address: m * 0x10000, bits: 0 })).toBe(true);
        }),
      );
    });

    it('a /32 mask contains exactly its address', () => {
      fc.assert(
        fc.property(fc.nat(0xffff), fc.nat(0xffff), fc.nat(0xffff), (a, b, c) => {
          const address = a * 0x10000 + b;
          const other = a * 0x10000 + c;
          expect(ipInMask(other, { address, bits: 32 })).toBe(other === address);
        }),
      );
    });

    it('formats masks canonically', () => {
      expect(formatMask({ address: 0xbd220f00, bits: 24 })).toBe('189.34.15.0/24');
      expect(formatMask({ address: 0xffffffff, bits: 32 })).toBe('255.255.255.255/32');
      expect(() => formatMask({ address: -1, bits: 8 })).toThrow(RangeError);
    });

    it('ipAllowed: one mask suffices; a client without IPv4 address matches none', () => {
      const whitelist = [parseMask('10.0.0.0/8')!, parseMask('192.168.1.0/24')!];
      expect(ipAllowed(whitelist, parseIpv4('192.168.1.7'))).toBe(true);
      expect(ipAllowed(whitelist, parseIpv4('192.168.2.7'))).toBe(false);
      expect(ipAllowed(whitelist, parseIpv4('::1'))).toBe(false);
      expect(ipAllowed([{ address: 0, bits: 0 }], null)).toBe(false);
    });
  });

  describe('api matching', () => {
    it('matches the service, the operation and every part of the GRI', () => {
      const specs = ['ozw/get/space.*.*:*'];
      expect(allows(specs, op('get', `space.${SPACE}.instance:protected`))).toBe(true);
      expect(allows(specs, op('get', 'space.null.list:private'))).toBe(true);
      expect(allows(specs, op('create', 'space.null.instance:private'))).toBe(false);
      expect(allows(specs, op('get', `user.${USER}.spaces:private`))).toBe(false);
      expect(allows(specs, op('get', `space.${SPACE}.instance:protected`, 'opw'))).toBe(false);
    });

    it("'all' matches every service and every operation", () => {
      expect(allows(['all/get/space.*.*:*'], op('get', `space.${SPACE}.instance:private`, 'opw'))).toBe(true);
      expect(allows(['all/get/space.*.*:*'], op('update', `space.${SPACE}.instance:private`, 'opw'))).toBe(false);
      for (const operation of ['create', 'get', 'update', 'delete'] as const)
        expect(allows(['ozw/all/*.*.*:*'], op(operation, `token.${SPACE}.instance:private`))).toBe(true);
      expect(allows(['ozw/all/*.*.*:*'], op('get', `token.${SPACE}.instance:private`, 'ozp'))).toBe(false);
    });

    it('compares scopes by name: private does not cover protected, and only auto or * match auto', () => {
      const gri = `space.${SPACE}.instance`;
      expect(allows([`ozw/get/${gri}:private`], op('get', `${gri}:private`))).toBe(true);
      expect(allows([`ozw/get/${gri}:private`], op('get', `${gri}:protected`))).toBe(false);
      expect(allows([`ozw/get/${gri}:protected`], op('get', `${gri}:private`))).toBe(false);
      expect(allows([`ozw/get/${gri}:protected`], op('get', `${gri}:public`))).toBe(false);
      expect(allows([`ozw/get/${gri}:private`], op('get', `${gri}:auto`))).toBe(false);
      expect(allows([`ozw/get/${gri}:auto`], op('get', `${gri}:auto`))).toBe(true);
      expect(allows([`ozw/get/${gri}:*`], op('get', `${gri}:auto`))).toBe(true);
      // no scope in the matchspec means private
      expect(allows([`ozw/get/${gri}`], op('get', `${gri}:private`))).toBe(true);
      expect(allows([`ozw/get/${gri}`], op('get', `${gri}:protected`))).toBe(false);
    });

    it("matches ids: '*' any, 'null' a GRI without id, otherwise exactly", () => {
      expect(allows([`ozw/get/space.${SPACE}.*:*`], op('get', `space.${SPACE}.instance:private`))).toBe(true);
      expect(allows([`ozw/get/space.${SPACE}.*:*`], op('get', `space.${'0'.repeat(32)}.instance:private`))).toBe(false);
      expect(allows(['ozw/create/space.null.instance:private'], op('create', 'space.null.instance:private'))).toBe(true);
      expect(allows(['ozw/create/space.null.instance:private'], op('create', `space.${SPACE}.instance:private`))).toBe(false);
      expect(allows(['ozw/create/space.*.instance:private'], op('create', 'space.null.instance:private'))).toBe(true);
    });

    it('matches types exactly or by *', () => {
      expect(allows(['ozw/get/*.*.instance:*'], op('get', `user.${USER}.instance:private`))).toBe(true);
      expect(allows(['ozw/get/group.*.instance:*'], op('get', `user.${USER}.instance:private`))).toBe(false);
    });

    it('matches compound aspects half by half; a plain pattern never matches a compound aspect', () => {
      const named = op('create', `token.null.user_named_token,${USER}:private`);
      expect(allows([`ozw/create/token.null.user_named_token,${USER}:private`], named)).toBe(true);
      expect(allows(['ozw/create/token.null.user_named_token,*:private'], named)).toBe(true);
      expect(allows([`ozw/create/token.null.*,${USER}:private`], named)).toBe(true);
      expect(allows(['ozw/create/token.null.*,*:private'], named)).toBe(true);
      expect(allows(['ozw/create/token.null.*:private'], named)).toBe(true);
      expect(allows(['ozw/create/token.null.user_named_token:private'], named)).toBe(false);
      expect(allows(['ozw/create/token.null.user_named_token,other:private'], named)).toBe(false);
      expect(allows(['ozw/create/token.null.provider_named_token,*:private'], named)).toBe(false);
      // and a compound pattern never matches a plain aspect
      expect(allows(['ozw/get/space.*.*,*:*'], op('get', `space.${SPACE}.instance:private`))).toBe(false);
      expect(allows(['ozw/get/space.*.instance:*'], op('get', `space.${SPACE}.instance:private`))).toBe(true);
      expect(allows(['ozw/get/space.*.instances:*'], op('get', `space.${SPACE}.instance:private`))).toBe(false);
    });

    it('holds when any entry matches, and never for an empty whitelist', () => {
      const operation = op('get', `user.${USER}.spaces:private`);
      expect(allows(['ozw/get/space.*.*:*', 'ozw/get/user.*.spaces:*'], operation)).toBe(true);
      expect(apiAllows([], operation)).toBe(false);
    });
  });

  describe('service caveats', () => {
    it('leaves the API whole for ozw', () => {
      expect(apiAllowedForService('ozw')).toBeNull();
    });

    it('narrows opw to reading users, groups, spaces and providers (plus shares and handles)', () => {
      const api = apiAllowedForService('opw')!;
      expect(apiAllows(api, op('get', `user.${USER}.instance:private`))).toBe(true);
      expect(apiAllows(api, op('get', `user.${USER}.spaces:private`))).toBe(true);
      expect(apiAllows(api, op('get', `group.${SPACE}.instance:protected`))).toBe(true);
      expect(apiAllows(api, op('get', `space.${SPACE}.instance:protected`))).toBe(true);
      expect(apiAllows(api, op('get', `provider.${USER}.instance:protected`))).toBe(true);
      expect(apiAllows(api, op('update', `share.${SPACE}.instance:private`))).toBe(true);
      expect(apiAllows(api, op('create', `space.${SPACE}.infer_accessible_eff_groups:private`))).toBe(true);
      expect(apiAllows(api, op('create', `user.${USER}.idp_access_token,github:private`))).toBe(true);
      expect(apiAllows(api, op('create', 'space.null.instance:private'))).toBe(false);
      expect(apiAllows(api, op('update', `space.${SPACE}.instance:private`))).toBe(false);
      expect(apiAllows(api, op('delete', `space.${SPACE}.instance:private`))).toBe(false);
      expect(apiAllows(api, op('create', `space.${SPACE}.invite_user_token:private`))).toBe(false);
      expect(apiAllows(api, op('get', `token.${SPACE}.instance:private`))).toBe(false);
      expect(apiAllows(api, op('delete', `file.${SPACE}.instance:private`, 'opw'))).toBe(true);
    });

    it('narrows the panels to reading users, clusters and providers', () => {
      for (const panel of ['ozp', 'opp'] as const) {
        const api = apiAllowedForService(panel)!;
        expect(apiAllows(api, op('get', `user.${USER}.instance:private`))).toBe(true);
        expect(apiAllows(api, op('get', `cluster.${USER}.instance:private`))).toBe(true);
        expect(apiAllows(api, op('get', `provider.${USER}.instance:protected`))).toBe(true);
        expect(apiAllows(api, op('get', `space.${SPACE}.instance:protected`))).toBe(false);
        expect(apiAllows(api, op('create', 'space.null.instance:private'))).toBe(false);
      }
    });

    it('hands out copies', () => {
      apiAllowedForService('opw')![0].service = 'ozw';
      expect(apiAllowedForService('opw')![0].service).toBe('opw');
    });

    it('matches a service by type and id, or by type for *', () => {
      const whitelist = (parseCaveat('service = ozw-onezone|opw-p1') as Extract<Caveat, { type: 'service' }>).whitelist;
      expect(serviceAllowed(whitelist, { service: 'ozw', id: 'onezone' })).toBe(true);
      expect(serviceAllowed(whitelist, { service: 'opw', id: 'p1' })).toBe(true);
      expect(serviceAllowed(whitelist, { service: 'opw', id: 'p2' })).toBe(false);
      expect(serviceAllowed(whitelist, { service: 'opp', id: 'p1' })).toBe(false);
      expect(serviceAllowed([{ service: 'opw', id: '*' }], { service: 'opw', id: 'p2' })).toBe(true);
      expect(serviceAllowed([{ service: 'opw', id: '*' }], { service: 'opp', id: 'p2' })).toBe(false);
    });
  });

  describe('consumer caveats', () => {
    const whitelist = (text: string) => (parseCaveat(`consumer = ${text}`) as Extract<Caveat, { type: 'consumer' }>).whitelist;
    const never = async () => {
      throw new Error('group membership was not needed');
    };

    it('matches users and providers by id, or any of their kind by *', async () => {
      expect(await consumerAllowed(whitelist('usr-u1'), { kind: 'usr', id: 'u1' }, never)).toBe(true);
      expect(await consumerAllowed(whitelist('usr-u1'), { kind: 'usr', id: 'u2' }, async () => false)).toBe(false);
      expect(await consumerAllowed(whitelist('usr-u1'), { kind: 'prv', id: 'u1' }, never)).toBe(false);
      expect(await consumerAllowed(whitelist('usr-*'), { kind: 'usr', id: 'anyone' }, never)).toBe(true);
      expect(await consumerAllowed(whitelist('usr-*'), { kind: 'prv', id: 'p1' }, never)).toBe(false);
      expect(await consumerAllowed(whitelist('prv-*'), { kind: 'prv', id: 'p1' }, never)).toBe(true);
      expect(await consumerAllowed(whitelist('prv-p1|usr-u1'), { kind: 'prv', id: 'p1' }, never)).toBe(true);
    });

    it('asks about group membership only for users, and only when needed', async () => {
      const asked: string[] = [];
      const inGroup = async (groupId: string) => {
        asked.push(groupId);
        return groupId === 'g2';
      };
      expect(await consumerAllowed(whitelist('grp-g1|grp-g2'), { kind: 'usr', id: 'u1' }, inGroup)).toBe(true);
      expect(asked).toEqual(['g1', 'g2']);
      expect(await consumerAllowed(whitelist('grp-g1'), { kind: 'usr', id: 'u1' }, async () => false)).toBe(false);
      expect(await consumerAllowed(whitelist('grp-g2|grp-*'), { kind: 'prv', id: 'p1' }, never)).toBe(false);
      expect(await consumerAllowed(whitelist('grp-g1|usr-u1'), { kind: 'usr', id: 'u1' }, never)).toBe(true);
    });

    it("passes '*' for grp-*, which means: a member of any group", async () => {
      const asked: string[] = [];
      const inGroup = async (groupId: string) => {
        asked.push(groupId);
        return true;
      };
      expect(await consumerAllowed(whitelist('grp-*'), { kind: 'usr', id: 'u1' }, inGroup)).toBe(true);
      expect(asked).toEqual(['*']);
    });
  });

  describe('token kinds and data access', () => {
    it('supports what Onezone supports in each kind', () => {
      expect([...SUPPORTED_CAVEATS.access].sort()).toEqual(
        [
          'time',
          'ip',
          'asn',
          'geo.country',
          'geo.region',
          'service',
          'consumer',
          'interface',
          'api',
          'data.readonly',
          'data.path',
          'data.objectid',
        ].sort(),
      );
      expect([...SUPPORTED_CAVEATS.identity].sort()).toEqual(
        ['time', 'ip', 'asn', 'geo.country', 'geo.region', 'consumer', 'interface'].sort(),
      );
      expect([...SUPPORTED_CAVEATS.invite].sort()).toEqual(['time', 'ip', 'asn', 'geo.country', 'geo.region', 'consumer'].sort());
      expect(SUPPORTED_CAVEATS.access.has('authorization.none')).toBe(false);
      expect(SUPPORTED_CAVEATS.identity.has('authorization.none')).toBe(false);
      expect(ACCESS_AS_IDENTITY_CAVEATS.has('authorization.none')).toBe(true);
      expect(ACCESS_AS_IDENTITY_CAVEATS.size).toBe(SUPPORTED_CAVEATS.identity.size + 1);
    });

    it('tells data-access caveats apart', () => {
      const data = ['data.readonly', `data.path = ${b64(`/${SPACE}`)}`, `data.objectid = ${REAL_OBJECT_ID}`];
      for (const text of data) {
        expect(isDataAccessCaveat(parseCaveat(text)!)).toBe(true);
        expect(confinesToDataAccess(parseCaveat(text)!)).toBe(true);
      }
      for (const text of ['interface = rest', 'interface = oneclient', 'time < 1', 'api = ozw/all/*.*.*:*'])
        expect(isDataAccessCaveat(parseCaveat(text)!)).toBe(false);
      expect(confinesToDataAccess(parseCaveat('interface = oneclient')!)).toBe(true);
      expect(confinesToDataAccess(parseCaveat('interface = rest')!)).toBe(false);
    });

    it('reads the space of a real object id and of one built the way Oneprovider builds it', () => {
      expect(objectId(SPACE)).toBe(REAL_OBJECT_ID);
      expect(objectIdSpace(REAL_OBJECT_ID)).toBe(SPACE);
      expect(objectIdSpace(REAL_OBJECT_ID.toLowerCase())).toBe(SPACE);
      expect(objectIdSpace(objectId('c4a00bdfa54d0dcffec5c40109c7bf65cha5e6', 'd1023012acb4b374c0bcbc9fe5060415cha5e6'))).toBe(
        'c4a00bdfa54d0dcffec5c40109c7bf65cha5e6',
      );
      expect(objectIdSpace(objectId(SPACE, 'f1', 'share1'))).toBe(SPACE);
      expect(objectIdSpace('00000000005273246775696423')).toBeNull();
      expect(objectIdSpace(`zz${REAL_OBJECT_ID.slice(2)}`)).toBeNull();
      expect(objectIdSpace('')).toBeNull();
    });

    it('reads the space of a data path', () => {
      expect(dataPathSpace(b64(`/${SPACE}`))).toBe(SPACE);
      expect(dataPathSpace(b64(`/${SPACE}/dir1/file.txt`))).toBe(SPACE);
      expect(dataPathSpace(b64('/'))).toBeNull();
      expect(dataPathSpace(b64(`/${SPACE}/`))).toBeNull();
    });
  });

  describe('unverified descriptions', () => {
    it.each([
      ['time < 1571147494', /^unverified time caveat: the token expired at 2019-10-15T13:51:34Z$/],
      ['time < 999999999999999', /expired at 999999999999999 \(unix time\)/],
      ['ip = 10.0.0.0/8|127.0.0.1', /^unverified IP caveat: .*'10\.0\.0\.0\/8' or '127\.0\.0\.1\/32'$/],
      ['asn = 631|1671', /^unverified ASN caveat: .*'631' or '1671'$/],
      ['geo.country = PL|DE', /^unverified country caveat: .* is in the country 'PL' or 'DE'$/],
      ['geo.country != PL', /^unverified country caveat: .* is NOT in the country 'PL'$/],
      ['geo.region = Europe', /^unverified region caveat: .* is in the region 'Europe'$/],
      ['service = opw-*', /^unverified service caveat: .*'opw-\*'.*x-onedata-service-token/],
      ['consumer = usr-u1|grp-g1', /^unverified consumer caveat: .*'usr-u1' or 'grp-g1'.*x-onedata-consumer-token.*consumerToken/],
      ['interface = oneclient', /^unverified interface caveat: .*'oneclient' interface$/],
      ['api = ozw/get/space.*.*', /^unverified API caveat: .*'ozw\/get\/space\.\*\.\*:private'$/],
      ['data.readonly', /^unverified data access caveat: .*read-only/],
      [`data.path = ${b64(`/${SPACE}/dir`)}`, new RegExp(`^unverified data path caveat: .*'/${SPACE}/dir'$`)],
      [`data.objectid = ${REAL_OBJECT_ID}`, new RegExp(`^unverified data object id caveat: .*'${REAL_OBJECT_ID}'$`)],
      ['authorization = none', /no authorization.*prove identity/],
    ])('describes %s', (text, description) => {
      expect(unverifiedDescription(parseCaveat(text)!)).toMatch(description);
    });
  });
});
