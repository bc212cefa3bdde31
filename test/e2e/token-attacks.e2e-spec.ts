import { randomBytes } from 'node:crypto';
import macaroons from 'macaroon';
import { mintV1Token } from '../../src/tokens/token-codec.js';
import { Factories, SpaceFactories, api, tokenIdOf } from '../support/factories.js';
import { PREFIX, disposeEnv, startApp, testEnv, type TestApp } from '../support/test-app.js';

type Answer = { status: number; body: { error?: unknown; error_description?: unknown } };

/** Forged and misused tokens, in every place a token goes. */
describe('token attacks', () => {
  let t: TestApp;
  let alice: { userId: string; token: string };
  let provider: { providerId: string; token: string };
  /** Tokens of every type, each meant for one slot. */
  let tokens: Record<'access' | 'providerAccess' | 'providerSupport' | 'spaceCreation' | 'invite' | 'supportSpace', string>;
  let spaceId: string;
  /** A user who is not a member of the target space. */
  let joiner: string;
  let attacks = 0;
  let slowest = 0;

  beforeAll(async () => {
    t = await startApp(await testEnv());
    const factories = new Factories(t.http, t.env.ADMIN_TOKEN);
    const spaces = new SpaceFactories(t.http);
    alice = await factories.user();
    provider = await factories.provider();
    spaceId = await spaces.space(alice.token, 'Target');
    tokens = {
      access: alice.token,
      providerAccess: provider.token,
      providerSupport: await factories.supportToken(provider.token),
      spaceCreation: await factories.creationToken(alice.token),
      invite: await spaces.invite(spaceId, alice.token),
      supportSpace: await spaces.supportToken(spaceId, alice.token),
    };
    joiner = (await factories.user()).token;
  });

  afterAll(async () => {
    process.stdout.write(`token attacks: ${attacks} tried, slowest answer ${slowest} ms\n`);
    await t.close();
    await disposeEnv(t.env);
  });

  /** Every slot a token goes in, with the token it takes and what a rejection looks like there. */
  const slots = () => [
    { name: 'bearer', legit: tokens.access, rejected: 401, send: (token: string) => api(t.http, token).get('/user/spaces') },
    {
      name: 'POST /user/spaces token',
      legit: tokens.providerSupport,
      rejected: 400,
      send: (token: string) => api(t.http, alice.token).post('/user/spaces').send({ name: 'Forged', token, size: 10 }),
    },
    {
      name: 'POST /spaces token (provider)',
      legit: tokens.spaceCreation,
      rejected: 400,
      send: (token: string) => api(t.http, provider.token).post('/spaces').send({ name: 'Forged', token, size: 10 }),
    },
    {
      name: 'POST /user/spaces/join token',
      legit: tokens.invite,
      rejected: 400,
      send: (token: string) => api(t.http, joiner).post('/user/spaces/join').send({ token }),
    },
    {
      name: 'POST /provider/spaces/support token',
      legit: tokens.supportSpace,
      rejected: 400,
      send: (token: string) => api(t.http, provider.token).post('/provider/spaces/support').send({ token, size: 10 }),
    },
  ];

  async function expectRejected(answer: Promise<Answer>, status: number, label: string) {
    const started = Date.now();
    const res = await answer;
    slowest = Math.max(slowest, Date.now() - started);
    attacks += 1;
    if (res.status !== status) throw new Error(`${label}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
    expect(res.body).toEqual({
      error: expect.stringMatching(/^(invalid_token|unauthorized|invalid_request)$/),
      error_description: expect.any(String),
    });
  }

  /** Nothing was created or used by the attacks. */
  async function expectUntouched() {
    expect(await t.prisma.space.count()).toBe(1);
    expect(await t.prisma.support.count()).toBe(0);
    expect(await t.prisma.membership.count()).toBe(1);
    expect(await t.prisma.token.count({ where: { usageCount: { gt: 0 } } })).toBe(0);
  }

  it('a flipped bit anywhere in a token: rejected in every slot', async () => {
    for (const slot of slots()) {
      const bytes = Buffer.from(slot.legit, 'base64url');
      for (let i = 0; i < bytes.length; i++) {
        const forged = Buffer.from(bytes);
        forged[i] ^= 1 << (i % 8);
        await expectRejected(slot.send(forged.toString('base64url')), slot.rejected, `${slot.name}, byte ${i}`);
      }
    }
    await expectUntouched();
  });

  it('a truncated token, or one with bytes appended: rejected in every slot', async () => {
    for (const slot of slots()) {
      const bytes = Buffer.from(slot.legit, 'base64url');
      for (let length = 0; length < bytes.length; length += 3) {
        const truncated = bytes.subarray(0, length).toString('base64url');
        await expectRejected(
          slot.send(truncated),
          length === 0 && slot.rejected === 401 ? 401 : slot.rejected,
          `${slot.name}, ${length} bytes`,
        );
      }
      await expectRejected(slot.send(slot.legit + 'AAAA'), slot.rejected, `${slot.name}, appended`);
    }
    await expectUntouched();
  });

  /** The token with one more first-party caveat (a holder may always add one). */
  function attenuate(serialized: string, caveat: string): string {
    const m = macaroons.importMacaroon(new Uint8Array(Buffer.from(serialized, 'base64url')));
    const one = Array.isArray(m) ? m[0] : m;
    one.addFirstPartyCaveat(caveat);
    return Buffer.from(one.exportBinary()).toString('base64url');
  }

  /** The token with its caveats changed but its signature kept, as an attacker without the key would. */
  function recaveat(serialized: string, change: (caveats: { i: string }[]) => { i: string }[]): string {
    const m = macaroons.importMacaroon(new Uint8Array(Buffer.from(serialized, 'base64url')));
    const json = (Array.isArray(m) ? m[0] : m).exportJSON() as { c?: { i: string }[] };
    json.c = change(json.c ?? []);
    const forged = macaroons.importMacaroon(json);
    return Buffer.from((Array.isArray(forged) ? forged[0] : forged).exportBinary()).toString('base64url');
  }

  it('caveats removed, reordered or replaced (signature kept): rejected', async () => {
    const limited = await new Factories(t.http, t.env.ADMIN_TOKEN).creationToken(alice.token, {
      validUntil: Math.floor(Date.now() / 1000) + 3600,
    });
    const later = `time < ${Math.floor(Date.now() / 1000) + 3600}`;
    for (const slot of slots()) {
      // Every token carries a caveat here: confined with a time limit, which needs no key.
      const confined = attenuate(slot.legit, later);
      await expectRejected(slot.send(recaveat(confined, () => [])), slot.rejected, `${slot.name}, no caveats`);
      await expectRejected(slot.send(recaveat(confined, (c) => c.slice(0, -1))), slot.rejected, `${slot.name}, confinement removed`);
      await expectRejected(
        slot.send(recaveat(confined, (c) => c.map(() => ({ i: slot.rejected === 401 ? 'type = space_creation' : 'type = access' })))),
        slot.rejected,
        `${slot.name}, type replaced`,
      );
      await expectRejected(
        slot.send(
          recaveat(confined, (c) => c.map((x) => ({ i: x.i.replace(/time < \d+/, `time < ${Math.floor(Date.now() / 1000) + 7200}`) }))),
        ),
        slot.rejected,
        `${slot.name}, time caveat altered`,
      );
    }
    const providerSlot = slots()[2];
    await expectRejected(providerSlot.send(recaveat(limited, (c) => [...c].reverse())), 400, 'caveats reordered');
    await expectRejected(providerSlot.send(recaveat(limited, (c) => c.slice(0, 1))), 400, 'time caveat removed');
    await expectUntouched();
  });

  it('caveats added by attenuation (which needs no key): a type caveat or an unknown caveat is refused', async () => {
    const bearer = slots()[0];
    await expectRejected(bearer.send(attenuate(tokens.access, 'type = provider_support')), 401, 'a type caveat in a v2 token');
    await expectRejected(bearer.send(attenuate(tokens.access, 'type = access')), 401, 'its own type, as a caveat');
    await expectRejected(bearer.send(attenuate(tokens.access, 'foo = bar')), 401, 'unknown caveat');
    await expectRejected(bearer.send(attenuate(tokens.access, 'time < 12abc')), 401, 'malformed time caveat');
    const user = slots()[1];
    await expectRejected(user.send(attenuate(tokens.providerSupport, 'type = access')), 400, 'second type in body');
    await expectUntouched();
  });

  it("another deployment's secret: rejected, though the token's id exists here", async () => {
    const otherSecret = randomBytes(32).toString('hex');
    for (const [slot, type] of [
      [slots()[0], 'access'],
      [slots()[1], 'provider_support'],
      [slots()[2], 'space_creation'],
      [slots()[3], 'user_join_space'],
      [slots()[4], 'support_space'],
    ] as const) {
      const id = await tokenIdOf(t.http, slot.legit);
      const forged = mintV1Token({ id, type, location: 'onezone', secret: otherSecret });
      await expectRejected(slot.send(forged), slot.rejected, `${slot.name}, other secret`);
    }
    await expectUntouched();
  });

  it('a token of the wrong type in every slot: rejected, and nothing is used', async () => {
    for (const slot of slots()) {
      for (const [name, token] of Object.entries(tokens)) {
        if (token === slot.legit || (slot.name === 'bearer' && name === 'providerAccess')) continue;
        await expectRejected(slot.send(token), slot.rejected, `${slot.name} given ${name}`);
      }
    }
    await expectUntouched();
  });

  it('a 1 MiB token: refused as a header (431) and as a body field (413), never 5xx', async () => {
    const huge = 'A'.repeat(1024 * 1024);
    const header = await api(t.http, huge).get('/user/spaces');
    expect(header.status).toBe(431);
    const body = await api(t.http, alice.token).post('/user/spaces').send({ name: 'Huge', token: huge, size: 1 });
    expect(body.status).toBe(413);
    const justUnder = await api(t.http, alice.token)
      .post('/user/spaces')
      .send({ name: 'Big', token: huge.slice(0, 1000 * 1000), size: 1 });
    expect(justUnder.status).toBe(400);
    attacks += 3;
    await expectUntouched();
  });

  it('an expired or revoked token: rejected', async () => {
    const factories = new Factories(t.http, t.env.ADMIN_TOKEN);
    const expiring = await factories.creationToken(alice.token, { validUntil: Math.floor(Date.now() / 1000) + 1 });
    await new Promise((resolve) => setTimeout(resolve, 2100));
    await expectRejected(slots()[2].send(expiring), 400, 'expired');

    const victim = await factories.user();
    const id = await tokenIdOf(t.http, victim.token);
    await api(t.http, victim.token).delete(`/user/tokens/${id}`).expect(204);
    await expectRejected(api(t.http, victim.token).get('/user/spaces'), 401, 'revoked');
    await expectUntouched();
  });

  it('named and temporary tokens: a past generation, a forged generation, a deleted token, caveats reordered: rejected', async () => {
    const factories = new Factories(t.http, t.env.ADMIN_TOKEN);
    const victim = await factories.user();
    const soon = Math.floor(Date.now() / 1000) + 600;
    const temporary = async () =>
      (
        await api(t.http, victim.token)
          .post('/user/tokens/temporary')
          .send({ caveats: [{ type: 'time', validUntil: soon }] })
          .expect(201)
      ).body.token as string;
    const old = await temporary();
    await api(t.http, old).get('/user/spaces').expect(200);
    await api(t.http, victim.token).delete('/user/tokens/temporary').expect(204);
    await expectRejected(api(t.http, old).get('/user/spaces'), 401, 'temporary token of a past generation');
    const current = await temporary();
    await api(t.http, current).get('/user/spaces').expect(200);
    // The generation is written in the identifier, which the signature covers: bumping it by hand breaks it.
    const m = macaroons.importMacaroon(new Uint8Array(Buffer.from(current, 'base64url')));
    const json = (Array.isArray(m) ? m[0] : m).exportJSON() as { i?: string };
    const forgedJson = { ...json, i: json.i!.replace(/^2\/tmp-2\//, '2/tmp-3/') };
    expect(forgedJson.i).not.toBe(json.i);
    const forged = macaroons.importMacaroon(forgedJson);
    const forgedToken = Buffer.from((Array.isArray(forged) ? forged[0] : forged).exportBinary()).toString('base64url');
    await expectRejected(api(t.http, forgedToken).get('/user/spaces'), 401, 'forged generation');

    const named = await api(t.http, victim.token).post('/user/tokens/named').send({ name: 'doomed' }).expect(201);
    await api(t.http, named.body.token).get('/user/spaces').expect(200);
    await api(t.http, victim.token).delete(`/tokens/named/${named.body.tokenId}`).expect(204);
    await expectRejected(api(t.http, named.body.token).get('/user/spaces'), 401, 'named token after delete');

    const twice = attenuate(attenuate(victim.token, `time < ${soon}`), 'interface = rest');
    await api(t.http, twice).get('/user/spaces').expect(200);
    await expectRejected(
      api(
        t.http,
        recaveat(twice, (c) => [...c].reverse()),
      ).get('/user/spaces'),
      401,
      'confinements reordered',
    );
    await expectUntouched();
  });

  it('after all that, the genuine tokens still work once', async () => {
    await api(t.http, alice.token).post('/user/spaces').send({ name: 'Real', token: tokens.providerSupport, size: 10 }).expect(201);
    await api(t.http, alice.token).post('/user/spaces').send({ name: 'Again', token: tokens.providerSupport, size: 10 }).expect(400);
    expect(PREFIX).toBeDefined();
  });
});
