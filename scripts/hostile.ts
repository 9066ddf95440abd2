/**
 * Hostile-input figures: starts the real server as a child process (NODE_ENV=production, the
 * embedded or DATABASE_URL database), sends each attack anonymously, and prints the time to
 * the refusal, the server's peak RSS and the slowest /health answer while the attack ran.
 * (A file that outgrows the parser's heap is refused too; test/server/hostile-uploads.test.ts
 * shows it with a small PARSE_MEMORY_MB, since the input limits keep real files far below it.)
 *
 *   npm run hostile -- [--port 4392]
 *
 * Thresholds (the run exits 1 when one is missed): every attack refused with the expected
 * code, /health answers within 100 ms throughout, the server's RSS stays under 1,200 MB.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import {
  deepHtml,
  flateBombPdf,
  gridPdf,
  hugeJpeg,
  imagePdf,
  manyPagePdf,
  manyRunsDocx,
  spanBombHtml,
  zipBomb,
} from '../test/support/hostile-files.ts';
import { countOption, scriptArgs } from './script-args.ts';

const THRESHOLDS = { healthMs: 100, rssMb: 1200 };
const port = scriptArgs(
  `Usage: npm run hostile -- [--port 4392]
Starts the server on --port and sends it hostile uploads and queries; exits 1 when one is not
refused cleanly, /health answers slower than ${THRESHOLDS.healthMs} ms or the server passes ${THRESHOLDS.rssMb} MB.`,
  { options: { port: { type: 'string', default: '4392' } } },
  ({ values }) => countOption('--port', values.port),
);
const base = `http://127.0.0.1:${port}`;

const status = (pid: number, field: 'VmRSS' | 'VmHWM') =>
  Math.round(
    Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) /
      1024,
  );

const validate = (bytes: Uint8Array) => ({
  query:
    'query ($input: ValidateReportInput!) { validateReport(input: $input) { __typename ... on ReportRejectedError { problems { code message } } } }',
  variables: { input: { base64: Buffer.from(bytes).toString('base64'), fileName: 'upload' } },
});

interface Attack {
  name: string;
  request: () => Promise<Response>;
  /** What the answer must contain. */
  expect: RegExp;
}

const post = (body: unknown, path = '/graphql', headers: Record<string, string> = {}) => {
  // Built before the clock starts: only the server's time is measured.
  const payload = JSON.stringify(body);
  return () =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: payload,
    });
};

const ATTACKS: Attack[] = [
  {
    name: 'DOCX inflating to 300 MB',
    request: post(validate(zipBomb(300 * 1024 * 1024))),
    expect: /INPUT_MAX_UNCOMPRESSED_BYTES/,
  },
  {
    name: 'HTML, 2,000 rows of rowspan=0 colspan=100',
    request: post(validate(Buffer.from(spanBombHtml(2_000)))),
    expect: /INPUT_MAX_GRID_CELLS/,
  },
  { name: 'PDF of 5,000 pages', request: post(validate(manyPagePdf(5_000))), expect: /INPUT_MAX_PDF_PAGES/ },
  {
    name: 'PDF, 1 MB whose page inflates to 1 GB',
    request: post(validate(flateBombPdf(1024 * 1024 * 1024))),
    expect: /INPUT_MAX_UNCOMPRESSED_BYTES/,
  },
  {
    name: 'PDF, 34 kB ruled into 3,200² cells',
    request: post(validate(gridPdf(3_200))),
    expect: /INPUT_MAX_GRID_CELLS/,
  },
  {
    // Read, not refused: its text is read and the picture never decoded.
    name: 'PDF, 2 kB drawing a 40,000² JPEG',
    request: post(validate(imagePdf(hugeJpeg(40_000, 40_000), 40_000, 40_000, '/DCTDecode'))),
    expect: /NOT_A_REPORT|does not look like a disclosure annual report/,
  },
  {
    // Read, not refused: 40,000 digits are no report.
    name: 'DOCX, one paragraph of 40,000 one-digit runs',
    request: post(validate(manyRunsDocx(40_000))),
    expect: /NOT_A_REPORT|does not look like a disclosure annual report/,
  },
  {
    name: 'HTML nested 100,000 deep',
    request: post(validate(Buffer.from(deepHtml(100_000)))),
    expect: /INPUT_MAX_HTML_DEPTH/,
  },
  {
    name: 'nodes(ids:) with 20,000 ids in variables',
    request: post({
      query: 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }',
      variables: { ids: Array.from({ length: 20_000 }, (_, i) => `QWdlbmN5OjE${i}`) },
    }),
    expect: /the limit is 100/,
  },
  {
    name: 'GET /csv?query=mutation{importReport…}',
    request: () =>
      fetch(
        `${base}/csv?query=${encodeURIComponent('mutation { importReport(input: { text: "x" }) { __typename } }')}`,
      ),
    expect: /never runs a mutation/,
  },
  {
    name: 'CORS preflight from another origin',
    request: async () => {
      const response = await fetch(`${base}/graphql`, {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      });
      return new Response(
        `allow-origin=${response.headers.get('access-control-allow-origin')} credentials=${response.headers.get('access-control-allow-credentials')}`,
      );
    },
    expect: /allow-origin=null credentials=null/,
  },
  {
    name: 'NUL in a string argument',
    request: post({
      query:
        '{ agencies(filter: { nameContains: "a\\u0000" }) { ... on QueryAgenciesConnection { totalCount } } }',
    }),
    expect: /NUL character/,
  },
  {
    name: 'node(id:) of a missing agency',
    request: post({ query: '{ node(id: "QWdlbmN5Ojk4NzY1NA==") { id } }' }),
    expect: /"node":null/,
  },
];

const server = spawn(
  process.execPath,
  ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--sample', '--port', String(port)],
  {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '0',
      VALIDATE_REQUIRES_TOKEN: 'false',
      MAX_BODY_BYTES: String(16 * 1024 * 1024),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  },
);
const failures: string[] = [];
try {
  for (let ready = false, started = Date.now(); !ready; ) {
    if (Date.now() - started > 60_000) throw new Error('server did not become ready');
    ready = await fetch(`${base}/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (!ready) await new Promise((r) => setTimeout(r, 250));
  }
  const pid = server.pid ?? 0;
  console.log(
    `\nHostile input against the real server (NODE_ENV=production), idle RSS ${status(pid, 'VmRSS')} MB\n`,
  );
  console.log(
    `${'attack'.padEnd(44)} ${'refused in'.padStart(10)} ${'peak RSS'.padStart(9)} ${'/health max'.padStart(11)}  answer`,
  );
  for (const attack of ATTACKS) {
    let done = false;
    let slowestHealth = 0;
    const started = performance.now();
    const answer = attack.request().then(async (r) => {
      const text = await r.text();
      done = true;
      return { text, ms: performance.now() - started };
    });
    while (!done) {
      const t = performance.now();
      const ok = await fetch(`${base}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (!ok) failures.push(`${attack.name}: /health failed`);
      slowestHealth = Math.max(slowestHealth, performance.now() - t);
      await new Promise((r) => setTimeout(r, 20));
    }
    const { text, ms } = await answer;
    const peak = status(pid, 'VmHWM');
    const matched = attack.expect.test(text);
    if (!matched) failures.push(`${attack.name}: unexpected answer ${text.slice(0, 200)}`);
    if (slowestHealth > THRESHOLDS.healthMs)
      failures.push(`${attack.name}: /health took ${Math.round(slowestHealth)} ms`);
    if (peak > THRESHOLDS.rssMb) failures.push(`${attack.name}: peak RSS ${peak} MB`);
    const shown = /"message":"([^"]{0,70})/.exec(text)?.[1] ?? text.slice(0, 70);
    console.log(
      `${attack.name.padEnd(44)} ${`${Math.round(ms)} ms`.padStart(10)} ${`${peak} MB`.padStart(9)} ${`${Math.round(slowestHealth)} ms`.padStart(11)}  ${matched ? 'ok' : 'UNEXPECTED'}: ${shown}`,
    );
  }
  const alive = await fetch(`${base}/health`).then(
    (r) => r.ok,
    () => false,
  );
  if (!alive) failures.push('server not answering at the end');
  console.log(failures.length ? `\nMISSED:\n  ${failures.join('\n  ')}` : '\nAll thresholds met.');
  process.exitCode = failures.length ? 1 : 0;
} finally {
  server.kill('SIGTERM');
}
