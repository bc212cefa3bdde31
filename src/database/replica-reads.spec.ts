import type { PrismaClient } from '../generated/prisma/client.js';
import { ReplicaReads } from './replica-reads.js';

describe('ReplicaReads', () => {
  const leader = { name: 'leader' } as unknown as PrismaClient;
  const replica = { name: 'replica' } as unknown as PrismaClient;

  it('without a replica, everything reads from the leader', () => {
    const reads = new ReplicaReads(leader, undefined, 5000);
    reads.noteWrite('user:a');
    expect(reads.forCaller('user:a')).toBe(leader);
    expect(reads.forCaller(undefined)).toBe(leader);
    expect(reads.enabled).toBe(false);
  });

  it("a caller's reads stay on the leader for the window after its write, then go to the replica", () => {
    let now = 1_000_000;
    const reads = new ReplicaReads(leader, replica, 5000, () => now);
    expect(reads.forCaller('user:a')).toBe(replica);
    reads.noteWrite('user:a');
    expect(reads.forCaller('user:a')).toBe(leader);
    expect(reads.forCaller('user:b')).toBe(replica);
    now += 4999;
    expect(reads.forCaller('user:a')).toBe(leader);
    now += 1;
    expect(reads.forCaller('user:a')).toBe(replica);
  });
});
