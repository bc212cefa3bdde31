/** Who is calling, as resolved from the bearer token. */
export type Caller =
  | { type: 'user'; userId: string }
  | { type: 'provider'; providerId: string }
  | { type: 'admin' };

export type CallerType = Caller['type'];

/**
 * Where a request keeps its authenticated caller: a symbol, so that a host
 * application's own `request.user` is left as its authentication set it.
 */
export const CALLER = Symbol('spaces.caller');

/** A user or a provider: who a token or a creation belongs to. */
export interface Subject {
  type: 'user' | 'provider';
  id: string;
}

/** One string per caller (`user:<id>`, `provider:<id>`, `admin`): what rate limits and idempotency keys are kept under. */
export function callerKey(caller: Caller): string {
  switch (caller.type) {
    case 'user':
      return `user:${caller.userId}`;
    case 'provider':
      return `provider:${caller.providerId}`;
    case 'admin':
      return 'admin';
  }
}
