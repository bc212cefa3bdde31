import { WindowCounterStorage } from './window-counter.storage.js';

describe('WindowCounterStorage', () => {
  let now = 1_000_000;
  const storage = new WindowCounterStorage(60_000, () => now);
  afterAll(() => storage.close());

  it('counts a key within its window and blocks past the limit until the window ends', async () => {
    const hit = () => storage.increment('user:a', 10_000, 3, 10_000, 'default');
    expect(await hit()).toEqual({ totalHits: 1, timeToExpire: 10, isBlocked: false, timeToBlockExpire: 0 });
    await hit();
    expect((await hit()).isBlocked).toBe(false);
    now += 2_500;
    expect(await hit()).toEqual({ totalHits: 4, timeToExpire: 8, isBlocked: true, timeToBlockExpire: 8 });
    now += 7_500; // the window has ended
    expect(await hit()).toEqual({ totalHits: 1, timeToExpire: 10, isBlocked: false, timeToBlockExpire: 0 });
  });

  it('keeps keys and throttlers apart', async () => {
    await storage.increment('user:b', 10_000, 1, 10_000, 'default');
    expect((await storage.increment('user:b', 10_000, 1, 10_000, 'default')).isBlocked).toBe(true);
    expect((await storage.increment('user:c', 10_000, 1, 10_000, 'default')).isBlocked).toBe(false);
    expect((await storage.increment('user:b', 10_000, 1, 10_000, 'burst')).isBlocked).toBe(false);
  });

  it('sweeps ended windows', async () => {
    expect(storage.size).toBeGreaterThan(0);
    now += 60_000;
    storage.sweep();
    expect(storage.size).toBe(0);
  });

  it('costs the same however many hits a window holds', async () => {
    for (let i = 0; i < 100_000; i++) await storage.increment('user:busy', 60_000, 1_000_000, 60_000, 'default');
    expect(storage.size).toBe(1);
    expect((await storage.increment('user:busy', 60_000, 1_000_000, 60_000, 'default')).totalHits).toBe(100_001);
  });
});
