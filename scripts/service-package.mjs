// Prints the package.json of the standalone service's production install
// (the container image's `npm ci --omit=dev`), from package.json and the
// build in dist/.
//
// As a package, spaces-service leaves Nest, Fastify, Swagger, terminus and
// pino to the host application: they are peerDependencies or
// devDependencies. The standalone service (dist/main.js) is its own host and
// needs them at run time. Its production dependencies are therefore:
//   - the package's dependencies and peerDependencies;
//   - every devDependency that the built code imports (a bare specifier in
//     dist/**/*.js);
//   - RUNTIME_EXTRAS: devDependencies loaded by a dependency at run time
//     rather than imported by this code.
// Nothing else: no devDependencies field, so neither the build tools nor the
// optional peers that the Prisma client and Swagger accept (prisma,
// typescript) reach the image. Versions come from the lockfile, unchanged:
// the same specs, moved from one field to the other.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** @fastify/static: Swagger UI's assets on Fastify, loaded by @nestjs/swagger when /docs is set up. */
const RUNTIME_EXTRAS = ['@fastify/static'];

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const dev = pkg.devDependencies ?? {};

/** The package a bare specifier names: `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
const packageOf = (specifier) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

function importedPackages(dir, found = new Set()) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) importedPackages(file, found);
    else if (entry.name.endsWith('.js')) {
      const source = readFileSync(file, 'utf8');
      for (const [, , specifier] of source.matchAll(/\b(?:from|import)\s*\(?\s*(['"])([^'"./][^'"]*)\1/g)) {
        if (!specifier.startsWith('node:')) found.add(packageOf(specifier));
      }
    }
  }
  return found;
}

const imported = importedPackages(path.join(root, 'dist'));
if (!imported.has('@nestjs/core')) {
  throw new Error('dist/ holds no build of the service: run `npm run build` first');
}

const names = new Set([
  ...Object.keys(pkg.dependencies ?? {}),
  ...Object.keys(pkg.peerDependencies ?? {}),
  ...[...imported].filter((name) => name in dev),
  ...RUNTIME_EXTRAS,
]);
const dependencies = {};
for (const name of [...names].sort()) {
  const spec = pkg.dependencies?.[name] ?? dev[name] ?? pkg.peerDependencies?.[name];
  if (!spec) throw new Error(`${name}: neither a dependency nor a devDependency of the package`);
  dependencies[name] = spec;
}

// An override that refers to a root dependency (`$typescript`) needs that
// dependency; one for a package outside this tree changes nothing.
const keepOverride = (value) =>
  typeof value === 'string' ? !value.startsWith('$') || value.slice(1) in dependencies : Object.values(value).every(keepOverride);
const overrides = Object.fromEntries(Object.entries(pkg.overrides ?? {}).filter(([, value]) => keepOverride(value)));

const { devDependencies, peerDependencies, scripts, files, ...rest } = pkg;
const service = { ...rest, dependencies, overrides };
process.stdout.write(`${JSON.stringify(service, null, 2)}\n`);
