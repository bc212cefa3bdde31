/** Who is calling, as resolved from the bearer token. */
export type Caller = { type: 'user'; userId: string } | { type: 'provider'; providerId: string } | { type: 'admin' };

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

/** The subject a user or a provider caller is (whom its tokens belong to). */
export function subjectOf(caller: Extract<Caller, { type: 'user' | 'provider' }>): Subject {
  return caller.type === 'user' ? { type: 'user', id: caller.userId } : { type: 'provider', id: caller.providerId };
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
