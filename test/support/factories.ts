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
    const res = await this.http
      .post(`${PREFIX}/users`)
      .set('Authorization', `Bearer ${this.adminToken}`)
      .send({ name })
      .expect(201);
    return { userId: res.body.userId, token: res.body.token };
  }

  async provider(
    options: { capacity?: number | string; name?: string } = {},
  ): Promise<{ providerId: string; token: string }> {
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
    const res = await this.http
      .post(`${PREFIX}/user/spaces/token`)
      .set('Authorization', `Bearer ${userToken}`)
      .send(body)
      .expect(200);
    return res.body.token;
  }
}

/** The id at the end of a Location header. */
export function idFrom(location: string): string {
  return location.slice(location.lastIndexOf('/') + 1);
}
