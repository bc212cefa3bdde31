#!/usr/bin/env node
/**
 * npm run test:package: the package as a host platform gets it. Packs the
 * tarball (npm pack, whose prepack builds it), checks what it holds, installs
 * it into a fresh host project — examples/host-app, with its own package.json
 * and a Nest 12 release other than the one this project locks — builds the
 * host against the package's declarations, checks the host has one
 * @nestjs/core, and runs the host's tests on Express and on Fastify.
 *
 * With --serve (npm run example:host), starts the example host instead.
 * KEEP_HOST=1 keeps the temporary project.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const serve = process.argv.includes('--serve');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const work = mkdtempSync(path.join(os.tmpdir(), 'spaces-host-'));
const host = path.join(work, 'host-app');

function run(command, args, cwd, options = {}) {
  const result = spawnSync(command, args, { cwd, stdio: options.capture ? 'pipe' : 'inherit', encoding: 'utf8', env: process.env });
  if (result.status !== 0) {
    if (options.capture) process.stderr.write(`${result.stdout}${result.stderr}`);
    throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal})`);
  }
  return result.stdout;
}

function fail(message) {
  throw new Error(`The package: ${message}`);
}

/** What the tarball must hold, and must not. */
function checkTarball(pack, unpacked) {
  const files = pack.files.map((file) => file.path);
  for (const needed of [
    'package.json',
    'README.md',
    'LICENSE',
    'dist/index.js',
    'dist/index.d.ts',
    'dist/client/index.js',
    'dist/client/index.d.ts',
    'dist/metrics.js',
    'dist/metrics.d.ts',
    'dist/generated/prisma/client.js',
    'client/schema.d.ts',
    'prisma/schema.prisma',
  ]) {
    if (!files.includes(needed)) fail(`${needed} is missing`);
  }
  if (!files.some((file) => /^prisma\/migrations\/[^/]+\/migration\.sql$/.test(file))) fail('no migration is packed');
  const unwanted = files.filter(
    (file) =>
      /^(test|bench|scripts|examples|src|\.ci)\//.test(file) ||
      /\.(map|tsbuildinfo)$/.test(file) ||
      /\.spec\.|e2e-spec/.test(file) ||
      (file.endsWith('.ts') && !file.endsWith('.d.ts')) ||
      /^dist\/(main|serve|app\.module|app\.setup|observability\/tracing)\./.test(file) ||
      /^dist\/logging\//.test(file),
  );
  if (unwanted.length) fail(`it holds what a consumer has no use for: ${unwanted.join(', ')}`);
  for (const file of files.filter((name) => name.endsWith('.js'))) {
    if (readFileSync(path.join(unpacked, file), 'utf8').includes('sourceMappingURL')) fail(`${file} refers to a source map`);
  }
  const manifest = JSON.parse(readFileSync(path.join(unpacked, 'package.json'), 'utf8'));
  for (const script of ['preinstall', 'install', 'postinstall']) {
    if (manifest.scripts?.[script]) fail(`installing it would run "${script}"`);
  }
  for (const peer of ['@nestjs/common', '@nestjs/core', 'reflect-metadata', 'rxjs']) {
    if (!manifest.peerDependencies?.[peer]) fail(`${peer} is not a peer dependency`);
    if (manifest.dependencies?.[peer]) fail(`${peer} is a dependency`);
  }
}

try {
  console.log('== npm pack (prepack builds the package)');
  // The build's own output comes first; the JSON report last.
  const packed = run(npm, ['pack', '--json', '--pack-destination', work], root, { capture: true });
  const [pack] = JSON.parse(packed.slice(packed.search(/^\[$/m)));
  const tarball = path.join(work, 'spaces-service.tgz');
  renameSync(path.join(work, pack.filename), tarball);
  const unpacked = path.join(work, 'unpacked');
  cpSync(path.join(root, 'examples', 'host-app'), host, {
    recursive: true,
    filter: (source) => !/[\\/](node_modules|dist|data-host)$/.test(source),
  });
  run('mkdir', ['-p', unpacked], work);
  run('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1'], work);
  checkTarball(pack, unpacked);
  console.log(
    `   ${pack.filename}: ${pack.entryCount} files, ${(statSync(tarball).size / 1024).toFixed(0)} kB packed, ${(pack.unpackedSize / 1024).toFixed(0)} kB unpacked`,
  );

  console.log('== a fresh host project installs it (its own package.json, no lockfile)');
  run(npm, ['install', '--no-audit', '--no-fund', '--loglevel=error'], host);
  const hostNest = JSON.parse(readFileSync(path.join(host, 'node_modules', '@nestjs', 'core', 'package.json'), 'utf8')).version;
  const lockedNest = JSON.parse(readFileSync(path.join(root, 'node_modules', '@nestjs', 'core', 'package.json'), 'utf8')).version;
  if (hostNest === lockedNest) fail(`the host runs the locked Nest ${lockedNest}: it must test another release`);
  const cores = run(npm, ['ls', '@nestjs/core', '--all', '--parseable'], host, { capture: true }).trim().split('\n').filter(Boolean);
  const versions = new Set(cores.map((dir) => JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version));
  if (cores.length !== 1) fail(`the host has ${cores.length} copies of @nestjs/core: ${cores.join(', ')}`);
  const platforms = ['platform-express', 'platform-fastify']
    .map(
      (name) =>
        `@nestjs/${name} ${JSON.parse(readFileSync(path.join(host, 'node_modules', '@nestjs', name, 'package.json'), 'utf8')).version}`,
    )
    .join(', ');
  console.log(`   one @nestjs/core (${[...versions].join()}; the project locks ${lockedNest}); ${platforms}`);
  const nested = readdirSync(path.join(host, 'node_modules', 'spaces-service')).includes('node_modules')
    ? readdirSync(path.join(host, 'node_modules', 'spaces-service', 'node_modules'))
    : [];
  if (
    nested.includes('@nestjs') &&
    readdirSync(path.join(host, 'node_modules', 'spaces-service', 'node_modules', '@nestjs')).some((name) =>
      ['core', 'common'].includes(name),
    )
  ) {
    fail('spaces-service brought its own @nestjs/core or @nestjs/common');
  }

  console.log('== the host builds against the package’s declarations');
  run(process.execPath, [path.join(host, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], host);

  if (serve) {
    console.log('== starting the example host (Ctrl-C stops it)');
    run(process.execPath, ['dist/main.js'], host);
  } else {
    console.log('== the host on Express and on Fastify');
    run(process.execPath, ['--test', '--test-reporter=spec', 'test/'], host);
  }
} finally {
  if (process.env.KEEP_HOST) console.log(`(kept ${work})`);
  else rmSync(work, { recursive: true, force: true });
}
