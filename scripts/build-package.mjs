// npm pack's prepack: the package from a clean dist — the Prisma client
// generated, then the build (declarations, no source maps).
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
for (const args of [['scripts/prisma-generate.mjs'], ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json']]) {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
