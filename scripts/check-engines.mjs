#!/usr/bin/env node
/**
 * npm run engines:check: every package the service needs at run time accepts
 * each Node release that package.json's `engines.node` promises.
 *
 * The packages at run time: `dependencies` and (non-optional)
 * `peerDependencies`, and, from each, its `dependencies`,
 * `optionalDependencies` and non-optional `peerDependencies`, as Node
 * resolves them from the installed node_modules. (`npm ls --omit=dev` is not
 * that tree: it drops the peers that are also devDependencies here, such as
 * @nestjs/swagger, and keeps optional peers a consumer never installs, such
 * as the Prisma CLI under @prisma/client.)
 *
 * A package whose range leaves out part of ours is listed with the path that
 * brings it in, and the check fails.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';

const root = fileURLToPath(new URL('..', import.meta.url));
const manifest = (dir) => JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
const own = manifest(root);
const promised = own.engines?.node;
if (!semver.validRange(promised)) {
  console.error(`package.json: engines.node is not a version range (${promised})`);
  process.exit(1);
}

/** The names a package needs at run time; `optional` when it runs without them. */
function runtimeEdges(pkg, { isRoot = false } = {}) {
  const optionalPeer = (name) => pkg.peerDependenciesMeta?.[name]?.optional === true;
  return [
    ...Object.keys(pkg.dependencies ?? {}).map((name) => ({ name, optional: false })),
    ...(isRoot ? [] : Object.keys(pkg.optionalDependencies ?? {}).map((name) => ({ name, optional: true }))),
    ...Object.keys(pkg.peerDependencies ?? {})
      .filter((name) => !optionalPeer(name))
      .map((name) => ({ name, optional: false })),
  ];
}

/** Node's lookup: `name` in node_modules of `from`, then of each folder above it. */
function resolve(from, name) {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (dir === path.dirname(dir)) return undefined;
  }
}

const offenders = [];
const missing = [];
const seen = new Set();
const queue = runtimeEdges(own, { isRoot: true }).map((edge) => ({ ...edge, from: root, via: [] }));
while (queue.length) {
  const { name, optional, from, via } = queue.shift();
  const dir = resolve(from, name);
  if (!dir) {
    if (!optional) missing.push([...via, name].join(' > '));
    continue;
  }
  if (seen.has(dir)) continue;
  seen.add(dir);
  const pkg = manifest(dir);
  const chain = [...via, `${name}@${pkg.version}`];
  const accepted = pkg.engines?.node;
  if (accepted !== undefined && !(semver.validRange(accepted) && semver.subset(promised, accepted))) {
    offenders.push(`${chain.join(' > ')}: engines.node "${accepted}"`);
  }
  queue.push(...runtimeEdges(pkg).map((edge) => ({ ...edge, from: dir, via: chain })));
}

if (missing.length) console.error(`Not installed (run npm ci):\n  ${missing.join('\n  ')}`);
if (offenders.length) {
  console.error(`package.json promises Node ${promised}; these run-time packages do not accept all of it:\n  ${offenders.join('\n  ')}`);
}
if (missing.length || offenders.length) process.exit(1);
console.log(`Node ${promised}: accepted by all ${seen.size} run-time packages.`);
