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

export function subjectOf(caller: Caller): Subject | null {
  switch (caller.type) {
    case 'user':
      return { type: 'user', id: caller.userId };
    case 'provider':
      return { type: 'provider', id: caller.providerId };
    default:
      return null;
  }
}

export function callerOf(subject: Subject): Caller {
  return subject.type === 'user'
    ? { type: 'user', userId: subject.id }
    : { type: 'provider', providerId: subject.id };
}
