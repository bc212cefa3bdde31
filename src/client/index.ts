/**
 * `spaces-service/client`: a typed client of the spaces API, for browsers
 * and Node alike (it uses only `fetch`). The types come from the service's
 * OpenAPI document, so a request the API does not take does not compile.
 *
 * ```ts
 * import { createSpacesClient } from 'spaces-service/client';
 * const api = createSpacesClient({ baseUrl: 'https://zone.example/api/v3/onezone', token });
 * const { response } = await api.POST('/user/spaces', { body: { name: 'My space' } });
 * response.headers.get('location'); // /api/v3/onezone/user/spaces/…
 * ```
 */
import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { paths } from '../../client/schema.js';

export type { paths, components, operations } from '../../client/schema.js';

export interface SpacesClientOptions extends Omit<ClientOptions, 'baseUrl'> {
  /** Where the API is served, prefix included: `http://localhost:3000/api/v3/onezone`. */
  baseUrl: string;
  /** The access token sent as `Authorization: Bearer <token>` on every request; none for anonymous calls. */
  token?: string;
}

export type SpacesClient = Client<paths>;

/**
 * An openapi-fetch client of the spaces API that sends the bearer token
 * (unless a request names its own Authorization).
 */
export function createSpacesClient({ baseUrl, token, ...options }: SpacesClientOptions): SpacesClient {
  const client = createClient<paths>({ ...options, baseUrl });
  if (token !== undefined) {
    client.use({
      onRequest({ request }) {
        if (!request.headers.has('authorization')) request.headers.set('Authorization', `Bearer ${token}`);
        return request;
      },
    });
  }
  return client;
}
