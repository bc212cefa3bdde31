/** Who is calling, as resolved from the bearer token. */
export type Caller =
  | { type: 'user'; userId: string }
  | { type: 'provider'; providerId: string }
  | { type: 'admin' };

export type CallerType = Caller['type'];

/** A user or a provider: who a token or a creation belongs to. */
export interface Subject {
  type: 'user' | 'provider';
  id: string;
}
