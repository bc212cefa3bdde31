import type { Http } from './test-app.js';
import { PREFIX } from './test-app.js';

/** Builds users, providers and tokens through the public API, as a client would. */
export class Factories {
  private seq = 0;

  constructor(
    private readonly http: Http,
    private readonly adminToken: string,
  ) {}

  private next(prefix: string): string {
    this.seq += 1;
    return `${prefix} ${this.seq}`;
  }

  async user(name = this.next('User')): Promise<{ userId: string; token: string }> {
    const res = await this.http.post(`${PREFIX}/users`).set('Authorization', `Bearer ${this.adminToken}`).send({ name }).expect(201);
    return { userId: res.body.userId, token: res.body.token };
  }

  async provider(options: { capacity?: number | string; name?: string } = {}): Promise<{ providerId: string; token: string }> {
    const res = await this.http
      .post(`${PREFIX}/providers`)
      .set('Authorization', `Bearer ${this.adminToken}`)
      .send({ name: options.name ?? this.next('Provider'), ...(options.capacity !== undefined && { capacity: options.capacity }) })
      .expect(201);
    return { providerId: res.body.providerId, token: res.body.token };
  }

  /** A provider support token (POST /provider/spaces/token). */
  async supportToken(
    providerToken: string,
    body: { maxSize?: number | string; usageLimit?: number; validUntil?: number } = {},
  ): Promise<string> {
    const res = await this.http
      .post(`${PREFIX}/provider/spaces/token`)
      .set('Authorization', `Bearer ${providerToken}`)
      .send(body)
      .expect(200);
    return res.body.token;
  }

  /** A space creation token (POST /user/spaces/token). */
  async creationToken(userToken: string, body: { validUntil?: number } = {}): Promise<string> {
    const res = await this.http.post(`${PREFIX}/user/spaces/token`).set('Authorization', `Bearer ${userToken}`).send(body).expect(200);
    return res.body.token;
  }
}

/** The id at the end of a Location header. */
export function idFrom(location: string): string {
  return location.slice(location.lastIndexOf('/') + 1);
}

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Requests under the API prefix, authenticated with `token` when given. */
export function api(http: Http, token?: string): Record<Method, (path: string) => ReturnType<Http['get']>> {
  const call = (method: Method) => (path: string) => {
    const req = http[method](`${PREFIX}${path}`);
    return token === undefined ? req : req.set('Authorization', `Bearer ${token}`);
  };
  return { get: call('get'), post: call('post'), put: call('put'), patch: call('patch'), delete: call('delete') };
}

/** Spaces and their members and supports, built through the API. */
export class SpaceFactories {
  constructor(private readonly http: Http) {}

  /** A space owned by the user (POST /user/spaces). */
  async space(ownerToken: string, name = 'Space'): Promise<string> {
    const res = await api(this.http, ownerToken).post('/user/spaces').send({ name }).expect(201);
    return idFrom(res.headers.location);
  }

  /** An invite token to the space. */
  async invite(spaceId: string, issuerToken: string, body: object = {}): Promise<string> {
    const res = await api(this.http, issuerToken).post(`/spaces/${spaceId}/users/token`).send(body).expect(200);
    return res.body.token;
  }

  /** Makes the user a member through an invite, with the given privileges (default: member level). */
  async join(spaceId: string, issuerToken: string, userToken: string, privileges?: string[]): Promise<void> {
    const token = await this.invite(spaceId, issuerToken, privileges ? { privileges } : {});
    await api(this.http, userToken).post('/user/spaces/join').send({ token }).expect(201);
  }

  /** A space support token. */
  async supportToken(spaceId: string, issuerToken: string, body: object = {}): Promise<string> {
    const res = await api(this.http, issuerToken).post(`/spaces/${spaceId}/providers/token`).send(body).expect(200);
    return res.body.token;
  }

  /** Makes the provider support the space with `size` bytes. */
  async support(spaceId: string, issuerToken: string, providerToken: string, size: number | string): Promise<void> {
    const token = await this.supportToken(spaceId, issuerToken);
    await api(this.http, providerToken).post('/provider/spaces/support').send({ token, size }).expect(201);
  }
}

/** A token's id, as POST /tokens/examine tells it. */
export async function tokenIdOf(http: Http, token: string): Promise<string> {
  return (await http.post(`${PREFIX}/tokens/examine`).send({ token }).expect(200)).body.tokenId;
}
