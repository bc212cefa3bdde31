// The container image without a container engine: reads the Dockerfile, runs
// the steps of its stages in order as plain file operations and shell
// commands in a temporary directory, starts the last stage's result the way
// the image's CMD does, and checks it.
//
//   node scripts/container-check.mjs [--ref <commit>] [--keep] [--timeout <seconds>] [--no-kill-restart]
//
// The build context is the working tree, less what .dockerignore leaves out
// (what `docker build .` sends), or with --ref the files of that commit
// (`git archive`). Each stage gets a directory of its own standing for its
// filesystem: WORKDIR /app is <stage>/app. The script knows only the
// instructions the Dockerfile uses and stops at any other, so the two cannot
// drift apart silently.
//
// What it checks:
//   - every base image is pinned by a tag, and this Node runs that tag's major version;
//   - the runtime stage: NODE_ENV=production, a numeric non-root USER, DATA_DIR a VOLUME,
//     a HEALTHCHECK on /health/ready, STOPSIGNAL SIGTERM, and a CMD that runs node with
//     the flags and environment of `npm start`;
//   - no development dependency in the runtime node_modules;
//   - the service starts (as the image's user, as PID 1 of a PID namespace when run as root,
//     with the image's ENV and WORKDIR only, on a fresh DATA_DIR), answers 200 on
//     /health/ready within the timeout, passes the image's HEALTHCHECK command and serves /docs;
//   - on the STOPSIGNAL it exits 0 within its grace period;
//   - unless --no-kill-restart: started again on the same DATA_DIR, killed (SIGKILL), and
//     started once more, it is ready again (a container restarted after an OOM kill).
//
// Not reproduced: the base image's own files. Its Node and npm are this machine's (the major
// version checked), its /etc/passwd is not read (hence a numeric USER), and the cache mount
// of npm's downloads is this machine's npm cache.
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.mjs';

const repo = fileURLToPath(new URL('..', import.meta.url));
const args = parseArgs(process.argv.slice(2));
const started = Date.now();
const log = (line) => process.stdout.write(`container-check: ${line}\n`);
const elapsed = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

class CheckError extends Error {}
const fail = (message) => {
  throw new CheckError(message);
};

function parseArgs(argv) {
  const options = { ref: undefined, keep: false, timeout: 180, killRestart: true };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--ref') options.ref = argv[++i];
    else if (argv[i] === '--keep') options.keep = true;
    else if (argv[i] === '--no-kill-restart') options.killRestart = false;
    else if (argv[i] === '--timeout') options.timeout = Number(argv[++i]);
    else {
      process.stderr.write(
        `unknown argument ${argv[i]}\nusage: container-check.mjs [--ref <commit>] [--keep] [--timeout <seconds>] [--no-kill-restart]\n`,
      );
      process.exit(2);
    }
  }
  return options;
}

// ---------------------------------------------------------------- Dockerfile

/** Instructions as {line, keyword, text}: continuations joined, comments and parser directives dropped. */
function readInstructions(source) {
  const instructions = [];
  let pending;
  source.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    if (/^\s*#/.test(line)) return;
    if (pending === undefined && line.trim() === '') return;
    const continued = /\\\s*$/.test(line);
    const part = continued ? line.replace(/\\\s*$/, '') : line;
    pending = pending === undefined ? { line: index + 1, text: part } : { ...pending, text: `${pending.text} ${part.trim()}` };
    if (continued) return;
    const match = /^\s*(\S+)\s*(.*)$/.exec(pending.text);
    instructions.push({ line: pending.line, keyword: match[1].toUpperCase(), text: match[2].trim() });
    pending = undefined;
  });
  if (pending !== undefined) fail(`Dockerfile line ${pending.line}: the last instruction ends with a continuation`);
  return instructions;
}

/** Leading --name=value flags of an instruction, and the rest. */
function takeFlags(text) {
  const flags = {};
  let rest = text;
  for (let match; (match = /^--([a-z-]+)=(\S+)\s*/.exec(rest)); rest = rest.slice(match[0].length)) {
    flags[match[1]] = match[2];
  }
  return { flags, rest };
}

function jsonArray(text, where) {
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    fail(`${where}: expected the exec form, a JSON array of strings`);
  }
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    fail(`${where}: expected the exec form, a JSON array of strings`);
  }
  return value;
}

function onlyFlags(flags, allowed, where) {
  for (const name of Object.keys(flags)) {
    if (!allowed.includes(name)) fail(`${where}: --${name} is not supported by this check`);
  }
}

/** ENV KEY=value [KEY=value …]; values plain or in double quotes, without $ substitution. */
function parseEnv(text, where) {
  const env = {};
  const pair = /^([A-Za-z_][A-Za-z0-9_]*)=("((?:[^"\\]|\\.)*)"|[^\s"'$\\]*)(?:\s+|$)/;
  let rest = text;
  while (rest.length > 0) {
    const match = pair.exec(rest);
    if (!match) fail(`${where}: only ENV KEY=value pairs (plain or double-quoted, no $) are supported`);
    env[match[1]] = match[3] !== undefined ? match[3].replace(/\\(.)/g, '$1') : match[2];
    rest = rest.slice(match[0].length);
  }
  return env;
}

function parseHealthcheck(text, where) {
  const { flags, rest } = takeFlags(text);
  onlyFlags(flags, ['interval', 'timeout', 'start-period', 'start-interval', 'retries'], where);
  const match = /^CMD\s+(.*)$/s.exec(rest);
  if (!match) fail(`${where}: HEALTHCHECK must be CMD …`);
  const command = match[1].startsWith('[') ? jsonArray(match[1], where) : ['/bin/sh', '-c', match[1]];
  const seconds = (value, fallback) => (value === undefined ? fallback : Number.parseFloat(value));
  return { command, timeout: seconds(flags.timeout, 30), flags };
}

/**
 * The stages, each a list of steps to execute (FROM, WORKDIR, COPY, RUN, ENV)
 * and the image settings that the last one leaves (USER, VOLUME, EXPOSE,
 * HEALTHCHECK, STOPSIGNAL, CMD).
 */
function parseDockerfile(source) {
  const stages = [];
  let stage;
  for (const { line, keyword, text } of readInstructions(source)) {
    const where = `Dockerfile line ${line} (${keyword})`;
    if (keyword === 'FROM') {
      const match = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(text);
      if (!match || match[1].startsWith('--')) fail(`${where}: expected FROM <image>:<tag> [AS <name>]`);
      stage = { index: stages.length, name: match[2] ?? String(stages.length), base: match[1], steps: [], volumes: [], expose: [] };
      stages.push(stage);
      continue;
    }
    if (!stage) fail(`${where}: an instruction before the first FROM`);
    if (/\$/.test(text) && keyword !== 'RUN' && keyword !== 'HEALTHCHECK') {
      fail(`${where}: variable substitution is not supported by this check`);
    }
    switch (keyword) {
      case 'WORKDIR':
      case 'ENV':
        stage.steps.push({ where, keyword, text });
        break;
      case 'COPY': {
        const { flags, rest } = takeFlags(text);
        onlyFlags(flags, ['from'], where);
        if (rest.startsWith('[') || /<</.test(rest)) fail(`${where}: only COPY <src>… <dest> is supported`);
        const parts = rest.split(/\s+/);
        if (parts.length < 2) fail(`${where}: COPY needs a source and a destination`);
        if (parts.some((part) => /[*?[\]]/.test(part))) fail(`${where}: wildcards are not supported by this check`);
        stage.steps.push({ where, keyword, from: flags.from, sources: parts.slice(0, -1), dest: parts.at(-1) });
        break;
      }
      case 'RUN': {
        const { flags, rest } = takeFlags(text);
        onlyFlags(flags, ['mount'], where);
        if (rest.startsWith('[') || /<</.test(rest)) fail(`${where}: only the shell form of RUN is supported`);
        stage.steps.push({ where, keyword, mount: flags.mount, command: rest });
        break;
      }
      case 'USER':
        // The image's user (the last USER); RUN steps run as the USER before them.
        stage.imageUser = { where, text };
        stage.steps.push({ where, keyword, text });
        break;
      case 'VOLUME':
        stage.volumes.push(...(text.startsWith('[') ? jsonArray(text, where) : text.split(/\s+/)));
        break;
      case 'EXPOSE':
        stage.expose.push(...text.split(/\s+/));
        break;
      case 'HEALTHCHECK':
        stage.healthcheck = { where, text, ...parseHealthcheck(text, where) };
        break;
      case 'STOPSIGNAL':
        stage.stopSignal = text;
        break;
      case 'CMD':
        stage.cmd = jsonArray(text, where);
        break;
      default:
        fail(`${where}: ${keyword} is not supported by this check; support it in scripts/container-check.mjs or do without it`);
    }
  }
  if (stages.length === 0) fail('Dockerfile: no FROM');
  return stages;
}

// ---------------------------------------------------------- build context

/** .dockerignore as Docker reads it: patterns from the context's root, `**`, `!` exceptions, the last match wins. */
function dockerignore(file) {
  const rules = [];
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  for (const raw of text.split('\n')) {
    let line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const exception = line.startsWith('!');
    if (exception) line = line.slice(1).trim();
    const pattern = path.posix.normalize(line.replace(/^\/+/, '')).replace(/\/+$/, '');
    let regex = '';
    for (let i = 0; i < pattern.length; i++) {
      const char = pattern[i];
      if (char === '*' && pattern[i + 1] === '*') {
        const slash = pattern[i + 2] === '/';
        regex += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else if (char === '*') regex += '[^/]*';
      else if (char === '?') regex += '[^/]';
      else regex += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
    rules.push({ exception, regex: new RegExp(`^${regex}$`) });
  }
  const matches = (regex, relative) => {
    const parts = relative.split('/');
    return parts.some((_, i) => regex.test(parts.slice(0, i + 1).join('/')));
  };
  const ignored = (relative) => rules.reduce((result, rule) => (matches(rule.regex, relative) ? !rule.exception : result), false);
  return { ignored, hasExceptions: rules.some((rule) => rule.exception) };
}

/** Copies the files of `from` that .dockerignore keeps into `to`. */
function copyContext(from, to) {
  const { ignored, hasExceptions } = dockerignore(path.join(from, '.dockerignore'));
  let files = 0;
  const walk = (relative) => {
    for (const entry of readdirSync(path.join(from, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      const skip = ignored(child);
      if (entry.isDirectory()) {
        if (skip && !hasExceptions) continue;
        walk(child);
      } else if (!skip) {
        const target = path.join(to, child);
        mkdirSync(path.dirname(target), { recursive: true });
        if (entry.isSymbolicLink()) symlinkSync(readlinkSync(path.join(from, child)), target);
        else cpSync(path.join(from, child), target);
        files++;
      }
    }
  };
  walk('');
  return files;
}

function prepareContext(work) {
  const context = path.join(work, 'context');
  mkdirSync(context);
  let source = repo;
  if (args.ref) {
    source = path.join(work, 'archive');
    mkdirSync(source);
    const archive = spawnSync('sh', ['-c', 'git archive --format=tar "$0" | tar -x -C "$1"', args.ref, source], {
      cwd: repo,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (archive.status !== 0) fail(`git archive ${args.ref} failed`);
  }
  const files = copyContext(source, context);
  if (args.ref) rmSync(source, { recursive: true, force: true });
  log(`build context: ${files} files from ${args.ref ? `commit ${args.ref}` : 'the working tree'}, less .dockerignore`);
  return context;
}

// ---------------------------------------------------------------- stages

/**
 * Image paths and where they are on this machine: the top-level directories
 * that the Dockerfile names (WORKDIR, COPY destinations, VOLUME) live in the
 * stage's directory. RUN commands may name those, and no other absolute path
 * (but /dev/null), so that no step writes outside the temporary directory.
 */
function pathMapper(stages) {
  const tops = new Set();
  const addTop = (imagePath) => {
    if (imagePath.startsWith('/')) tops.add(imagePath.split('/')[1]);
  };
  for (const stage of stages) {
    stage.volumes.forEach(addTop);
    for (const step of stage.steps) {
      if (step.keyword === 'WORKDIR') addTop(step.text);
      if (step.keyword === 'COPY') addTop(step.dest);
    }
  }
  const alternatives = [...tops].map((top) => top.replace(/[.+^${}()|[\]\\]/g, '\\$&')).join('|');
  const token = /(^|[\s=:;&|()<>'"])(\/[^\s;&|()<>'"]*)/g;
  return {
    rewrite(text, root, where) {
      return text.replace(token, (whole, before, imagePath) => {
        if (imagePath === '/dev/null') return whole;
        if (alternatives && new RegExp(`^/(?:${alternatives})(?:/|$)`).test(imagePath)) {
          return `${before}${path.join(root, imagePath)}`;
        }
        if (where) fail(`${where}: ${imagePath} is outside the directories this check maps (${[...tops].map((t) => `/${t}`).join(', ')})`);
        return whole;
      });
    },
  };
}

/** The uid and gid of a numeric USER; the base image's /etc/passwd is not at hand to resolve names. */
function numericUser(user) {
  const match = /^(\d+)(?::(\d+))?$/.exec(user.text);
  if (!match) fail(`${user.where}: USER must be numeric (uid[:gid]) for this check`);
  return { uid: Number(match[1]), gid: Number(match[2] ?? match[1]) };
}

const isRoot = process.getuid?.() === 0;
const hostPath = [path.dirname(process.execPath), '/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'].join(':');

/** The environment a step or the service sees: the image's ENV on a bare PATH; proxies pass as Docker passes them to builds. */
function baseEnv(extra) {
  // No variable of this machine's (DATABASE_URL, npm's) reaches a step or the service.
  const env = { PATH: hostPath };
  for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy']) {
    if (process.env[name]) env[name] = process.env[name];
  }
  return { ...env, ...extra };
}

let npmCache;
function cacheMountEnv(mount, where) {
  const options = Object.fromEntries(mount.split(',').map((option) => option.split('=')));
  // RUN steps run as root; /root/.npm is npm's download cache there. It stands
  // for this machine's npm cache, as a cache mount stands for the builder's.
  if (options.type !== 'cache' || options.target !== '/root/.npm' || Object.keys(options).length !== 2) {
    fail(`${where}: only --mount=type=cache,target=/root/.npm (npm's cache) is supported by this check`);
  }
  npmCache ??= spawnSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).stdout.trim() || path.join(os.homedir(), '.npm');
  return { npm_config_cache: npmCache };
}

function copyStep(step, stage, stagesByName, context, mapper) {
  let sourceRoot = context;
  if (step.from !== undefined) {
    const from = stagesByName.get(step.from);
    if (!from || !from.done) fail(`${step.where}: --from=${step.from} names no earlier stage`);
    sourceRoot = from.root;
  }
  const dest = path.posix.resolve(stage.workdir, step.dest);
  const intoDirectory = step.dest.endsWith('/') || step.sources.length > 1;
  for (const source of step.sources) {
    const relative = step.from !== undefined ? path.posix.resolve('/', source) : path.posix.normalize(source);
    if (relative.startsWith('..')) fail(`${step.where}: ${source} is outside the build context`);
    const from = path.join(sourceRoot, relative);
    if (!existsSync(from))
      fail(`${step.where}: ${source} does not exist${step.from ? ` in stage ${step.from}` : ' in the build context (.dockerignore?)'}`);
    const target = mapper(dest);
    const targetIsDirectory = existsSync(target) && statSync(target).isDirectory();
    if (statSync(from).isDirectory()) {
      mkdirSync(target, { recursive: true });
      cpSync(from, target, { recursive: true, verbatimSymlinks: true });
    } else {
      const file = intoDirectory || targetIsDirectory ? path.join(target, path.basename(from)) : target;
      mkdirSync(path.dirname(file), { recursive: true });
      cpSync(from, file);
    }
  }
}

function runStep(step, stage, mapping) {
  const command = mapping.rewrite(step.command, stage.root, step.where);
  const env = baseEnv({
    // This machine's home: its npm settings (registry, proxy) apply to npm ci.
    HOME: os.homedir(),
    ...mapEnv(stage.env, stage.root, mapping),
    ...(step.mount ? cacheMountEnv(step.mount, step.where) : {}),
  });
  const run = ['/bin/sh', '-c', command];
  if (stage.currentUser && isRoot) {
    const { uid, gid } = numericUser(stage.currentUser);
    run.unshift('setpriv', `--reuid=${uid}`, `--regid=${gid}`, '--clear-groups');
  }
  const result = spawnSync(run[0], run.slice(1), {
    cwd: path.join(stage.root, stage.workdir),
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) fail(`${step.where}: exited with ${result.status ?? result.signal}`);
}

function mapEnv(env, root, mapping) {
  return Object.fromEntries(Object.entries(env).map(([name, value]) => [name, mapping.rewrite(value, root)]));
}

function runStages(stages, context, work) {
  const mapping = pathMapper(stages);
  const stagesByName = new Map();
  for (const stage of stages) {
    Object.assign(stage, { root: path.join(work, `stage-${stage.index}-${stage.name}`), workdir: '/', env: {} });
    mkdirSync(stage.root);
    stagesByName.set(stage.name, stage);
    stagesByName.set(String(stage.index), stage);
    const mapper = (imagePath) => path.join(stage.root, imagePath);
    stage.steps.forEach((step, n) => {
      const since = Date.now();
      const label =
        step.keyword === 'RUN'
          ? step.command
          : step.keyword === 'COPY'
            ? `${step.from ? `--from=${step.from} ` : ''}${step.sources.join(' ')} ${step.dest}`
            : step.text;
      log(`[${stage.name} ${n + 1}/${stage.steps.length}] ${step.keyword} ${label}`);
      if (step.keyword === 'WORKDIR') {
        stage.workdir = path.posix.resolve(stage.workdir, step.text);
        mkdirSync(mapper(stage.workdir), { recursive: true });
      } else if (step.keyword === 'ENV') {
        Object.assign(stage.env, parseEnv(step.text, step.where));
      } else if (step.keyword === 'USER') {
        stage.currentUser = { where: step.where, text: step.text };
      } else if (step.keyword === 'COPY') {
        copyStep(step, stage, stagesByName, context, mapper);
      } else {
        runStep(step, stage, mapping);
        log(`  ${elapsed(since)}`);
      }
    });
    stage.done = true;
  }
  return mapping;
}

// ---------------------------------------------------------------- checks

function checkImageSettings(stages, context) {
  for (const stage of stages) {
    const match = /^([^:@\s]+):([^:@\s]+)$/.exec(stage.base);
    if (!match || match[2] === 'latest') fail(`FROM ${stage.base}: pin the base image by a tag`);
    const node = /^(?:docker\.io\/)?(?:library\/)?node:(\d+)/.exec(stage.base);
    const here = process.versions.node.split('.')[0];
    if (node && node[1] !== here) fail(`FROM ${stage.base}: this check runs on Node ${process.versions.node}; run it on Node ${node[1]}`);
  }
  const runtime = stages.at(-1);
  const env = {};
  for (const step of runtime.steps) if (step.keyword === 'ENV') Object.assign(env, parseEnv(step.text, step.where));
  if (env.NODE_ENV !== 'production') fail('the runtime stage must set ENV NODE_ENV=production');
  if (!runtime.imageUser) fail('the runtime stage sets no USER: it would run as root');
  if (numericUser(runtime.imageUser).uid === 0) fail(`${runtime.imageUser.where}: the runtime user is root`);
  if (!env.DATA_DIR || !runtime.volumes.includes(env.DATA_DIR)) fail(`DATA_DIR (${env.DATA_DIR}) must be a VOLUME`);
  if (!runtime.healthcheck || !runtime.healthcheck.text.includes('/health/ready'))
    fail('the runtime stage needs a HEALTHCHECK on /health/ready');
  if (runtime.stopSignal !== 'SIGTERM') fail(`STOPSIGNAL is ${runtime.stopSignal ?? 'unset'}, not SIGTERM`);
  if (!runtime.cmd) fail('the runtime stage has no CMD');

  // The CMD runs what `npm start` runs: its variables are ENV, its command the CMD.
  const start = JSON.parse(readFileSync(path.join(context, 'package.json'), 'utf8')).scripts?.start ?? '';
  const words = start.trim().split(/\s+/);
  const assignments = [];
  while (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0] ?? '')) assignments.push(words.shift());
  if (words.join(' ') !== runtime.cmd.join(' '))
    fail(`CMD ${JSON.stringify(runtime.cmd)} differs from npm start's command: ${words.join(' ')}`);
  for (const assignment of assignments) {
    const [name, value] = assignment.split('=');
    if (env[name] !== value) fail(`npm start sets ${assignment}; the runtime stage's ENV has ${name}=${env[name]}`);
  }
  log(
    `image settings: ${runtime.base}, user ${runtime.imageUser.text}, volume ${runtime.volumes.join(' ')}, stop signal ${runtime.stopSignal}, CMD ${runtime.cmd.join(' ')} with ${assignments.join(' ') || 'no variables'} (= npm start)`,
  );
}

/** Every package under a node_modules tree: name → its package.json. */
function installedPackages(modules, found = new Map()) {
  if (!existsSync(modules)) return found;
  for (const entry of readdirSync(modules)) {
    if (entry.startsWith('.')) continue;
    const dirs = entry.startsWith('@') ? readdirSync(path.join(modules, entry)).map((name) => path.join(entry, name)) : [entry];
    for (const name of dirs) {
      const dir = path.join(modules, name);
      const manifest = path.join(dir, 'package.json');
      if (!existsSync(manifest)) continue;
      found.set(name.split(path.sep).join('/'), JSON.parse(readFileSync(manifest, 'utf8')));
      installedPackages(path.join(dir, 'node_modules'), found);
    }
  }
  return found;
}

/** Build and test tools must not be in the runtime stage; a devDependency is allowed only where a runtime package needs it. */
function checkNoDevDependencies(runtime, context) {
  const app = path.join(runtime.root, runtime.workdir);
  const manifest = JSON.parse(readFileSync(path.join(context, 'package.json'), 'utf8'));
  const service = JSON.parse(readFileSync(path.join(app, 'package.json'), 'utf8'));
  const installed = installedPackages(path.join(app, 'node_modules'));
  const needed = new Set(Object.keys(service.dependencies ?? {}));
  for (const pkg of installed.values()) {
    for (const name of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) needed.add(name);
    for (const name of Object.keys(pkg.peerDependencies ?? {})) {
      if (!pkg.peerDependenciesMeta?.[name]?.optional) needed.add(name);
    }
  }
  const tools = ['jest', 'typescript', 'prisma', '@swc/core', '@nestjs/testing', 'supertest', 'ts-node'];
  const present = tools.filter((name) => installed.has(name));
  if (present.length > 0) fail(`build or test tools in the runtime node_modules: ${present.join(', ')}`);
  const strays = Object.keys(manifest.devDependencies ?? {}).filter((name) => installed.has(name) && !needed.has(name));
  if (strays.length > 0) fail(`devDependencies in the runtime node_modules that no runtime package needs: ${strays.join(', ')}`);
  const size = spawnSync('du', ['-sm', path.join(app, 'node_modules')], { encoding: 'utf8' }).stdout.split(/\s/)[0];
  log(
    `runtime node_modules: ${installed.size} packages, ${size} MB; none of ${tools.join(', ')}; no devDependency that no runtime package needs`,
  );
}

// ---------------------------------------------------------------- start

async function get(url) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return undefined;
  }
}

/** The service's output, kept for a failure report; the admin token's line is never shown. */
function outputBuffer(stream) {
  const lines = [];
  let hideNext = false;
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    for (const line of chunk.split('\n')) {
      if (line === '') continue;
      lines.push(hideNext ? '[admin token]' : line);
      hideNext = /^Admin token/.test(line);
      if (lines.length > 200) lines.shift();
    }
  });
  return lines;
}

/** The image's CMD as a process: its user, PID 1 of a PID namespace when this runs as root and can make one. */
function wrapAsImageUser(command, user) {
  if (!isRoot) return { command, how: `as this user (uid ${process.getuid?.()}): not root, so not as uid ${user.uid}` };
  const unshare = spawnSync('unshare', ['--pid', '--fork', '--kill-child', 'true']).status === 0;
  const setpriv = ['setpriv', `--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', '--'];
  if (unshare)
    return {
      command: ['unshare', '--pid', '--fork', '--kill-child', ...setpriv, ...command],
      how: `as uid ${user.uid}:${user.gid}, PID 1 of a new PID namespace`,
      namespace: true,
    };
  return { command: [...setpriv, ...command], how: `as uid ${user.uid}:${user.gid}` };
}

/** Host pids whose parent is `parent`. */
function childrenOf(parent) {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // pid (comm) state ppid …: comm may hold spaces, so read after its last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent) pids.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

/** The service's pid on this machine: under `unshare --fork` it is unshare's child (setpriv execs it). */
async function serviceProcessId(child, namespace) {
  if (!namespace) return child.pid;
  for (let i = 0; i < 200; i++) {
    const [pid] = childrenOf(child.pid);
    if (pid) return pid;
    await sleep(50);
  }
  fail('the service process did not appear under unshare');
}

/** One start of the image's CMD: its pid on this machine, its exit, its output for a failure report. */
async function launch({ command, namespace, cwd, env }) {
  const since = Date.now();
  const child = spawn(command[0], command.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout = outputBuffer(child.stdout);
  const stderr = outputBuffer(child.stderr);
  const service = { since, exit: undefined };
  service.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve((service.exit = { code, signal }))));
  service.report = () =>
    `\n--- service stdout (last lines)\n${stdout.slice(-40).join('\n')}\n--- service stderr (last lines)\n${stderr.slice(-40).join('\n')}`;
  // Killing unshare kills the namespace (--kill-child).
  service.kill = async () => {
    if (!service.exit) child.kill('SIGKILL');
    await service.exited;
  };
  process.on('exit', () => child.kill('SIGKILL'));
  service.pid = await serviceProcessId(child, namespace);
  return service;
}

async function waitReady(service, base, what) {
  let status;
  while (Date.now() - service.since < args.timeout * 1000) {
    if (service.exit)
      fail(`${what}: the service exited before it was ready (${service.exit.code ?? service.exit.signal})${service.report()}`);
    status = await get(`${base}/health/ready`);
    if (status === 200) return log(`${what}: GET /health/ready 200 after ${elapsed(service.since)}`);
    await sleep(500);
  }
  fail(`${what}: GET /health/ready did not answer 200 within ${args.timeout} s (last: ${status ?? 'no answer'})${service.report()}`);
}

/** As `docker stop` does: the STOPSIGNAL to PID 1; a clean stop is exit 0 within the service's grace. */
async function stop(service, signal) {
  const stopping = Date.now();
  process.kill(service.pid, signal);
  const stopped = await Promise.race([service.exited, sleep(15_000).then(() => undefined)]);
  if (!stopped) fail(`the service did not stop within 15 s of ${signal}${service.report()}`);
  if (stopped.code !== 0) fail(`on ${signal} the service exited with ${stopped.code ?? stopped.signal}, not 0${service.report()}`);
  log(`${signal}: exit 0 after ${elapsed(stopping)}`);
}

async function startAndCheck(runtime, mapping, work) {
  const user = numericUser(runtime.imageUser);
  const home = path.join(work, 'home');
  mkdirSync(home);
  if (isRoot) chownSync(home, user.uid, user.gid);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // As `docker run -e PORT=…` would: a free port, the machine being shared.
  const env = baseEnv({ HOME: home, HOSTNAME: 'container-check', ...mapEnv(runtime.env, runtime.root, mapping), PORT: String(port) });
  const cwd = path.join(runtime.root, runtime.workdir);
  const dataDir = env.DATA_DIR;
  if (!existsSync(dataDir)) fail(`DATA_DIR ${runtime.env.DATA_DIR} does not exist in the image: a new volume would be root's`);
  if (readdirSync(dataDir).length > 0) fail(`DATA_DIR ${dataDir} is not empty before the first start`);
  const { command, how, namespace } = wrapAsImageUser(runtime.cmd, user);
  const start = { command, namespace, cwd, env };
  log(`start: ${runtime.cmd.join(' ')} in ${runtime.workdir} ${how}; DATA_DIR=${runtime.env.DATA_DIR} (fresh), PORT=${port}`);

  let service = await launch(start);
  try {
    await waitReady(service, base, 'first start');
    const uid = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${service.pid}/status`, 'utf8'))?.[1];
    if (isRoot && Number(uid) !== user.uid) fail(`the service runs as uid ${uid}, not ${user.uid}`);

    const health = runtime.healthcheck;
    const probe = isRoot
      ? ['setpriv', `--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', '--', ...health.command]
      : health.command;
    const result = spawnSync(probe[0], probe.slice(1), { cwd, env, timeout: health.timeout * 1000, encoding: 'utf8' });
    if (result.status !== 0)
      fail(`the image's HEALTHCHECK command failed (${result.status ?? result.signal}): ${result.stderr}${service.report()}`);
    log('HEALTHCHECK command: exit 0');

    for (const route of ['/health/live', '/docs']) {
      const answer = await get(`${base}${route}`);
      if (answer !== 200) fail(`GET ${route}: ${answer ?? 'no answer'}, not 200${service.report()}`);
    }
    log('GET /health/live and /docs (Swagger UI): 200');
    if (!existsSync(path.join(dataDir, 'admin-token'))) fail(`the service wrote no admin token in DATA_DIR${service.report()}`);
    await stop(service, runtime.stopSignal);

    if (args.killRestart) {
      // A container killed (OOM, docker kill) and restarted on its volume.
      service = await launch(start);
      await waitReady(service, base, 'second start, same DATA_DIR');
      process.kill(service.pid, 'SIGKILL');
      await service.exited;
      log('SIGKILL');
      service = await launch(start);
      await waitReady(service, base, 'start after SIGKILL');
      await stop(service, runtime.stopSignal);
    }
  } finally {
    await service.kill();
  }
}

// ---------------------------------------------------------------- main

async function main() {
  const work = mkdtempSync(path.join(os.tmpdir(), 'container-check-'));
  // The image's user must reach its files, as in an image.
  chmodSync(work, 0o755);
  try {
    const context = prepareContext(work);
    const stages = parseDockerfile(readFileSync(path.join(context, 'Dockerfile'), 'utf8'));
    checkImageSettings(stages, context);
    const mapping = runStages(stages, context, work);
    const runtime = stages.at(-1);
    checkNoDevDependencies(runtime, context);
    await startAndCheck(runtime, mapping, work);
    log(`passed in ${elapsed(started)}`);
  } finally {
    if (args.keep) log(`kept ${work}`);
    else {
      const since = Date.now();
      rmSync(work, { recursive: true, force: true });
      log(`removed the temporary directory in ${elapsed(since)}`);
    }
  }
}

main().catch((error) => {
  process.stderr.write(`container-check: FAILED: ${error instanceof CheckError ? error.message : (error?.stack ?? error)}\n`);
  process.exitCode = 1;
});
