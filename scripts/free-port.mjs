import { createServer } from 'node:net';

/** A TCP port on loopback that nothing listens on now (the OS picks it; it is free again once returned). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
