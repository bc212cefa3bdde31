import { EventEmitter } from 'node:events';
import { pgAdapter } from './adapters.js';

describe('pgAdapter', () => {
  it('gives every pooled connection an error listener for its life: a second error from a dropped connection is not thrown', async () => {
    const adapter = await pgAdapter('postgresql://nobody@127.0.0.1:1/none').connect();
    try {
      const client = new EventEmitter();
      adapter.underlyingDriver().emit('connect', client);
      expect(client.listenerCount('error')).toBe(1);
      const dropped = Object.assign(new Error('terminating connection due to unexpected postmaster exit'), { code: '57P01' });
      expect(() => {
        client.emit('error', dropped);
        client.emit('error', new Error('Connection terminated unexpectedly'));
      }).not.toThrow();
    } finally {
      await adapter.dispose();
    }
  });
});
