/**
 * Uploads that would take the server down are parsed on worker threads with a heap and a
 * time limit: the event loop stays free (/health answers while the worst file is parsed), a
 * worker past a limit is killed and the client gets a refusal naming the limit, and nothing
 * is stored.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.ts';
import { startHttpServer } from '../../src/server/http.ts';
import { createLogger } from '../../src/server/observability.ts';
import { resetDatabase, tableCounts, testDb } from '../support/db.ts';
import { testConfig } from '../support/graphql.ts';
import {
  deepHtml,
  deepSelectorsHtml,
  flateBombPdf,
  slowPdf,
  spanBombHtml,
  zipBomb,
} from '../support/hostile-files.ts';

const db = testDb();
afterAll(() => db.$disconnect());
beforeEach(() => resetDatabase(db));

const PDF = fileURLToPath(new URL('../fixtures/formats/report.pdf', import.meta.url));
const validate = /* GraphQL */ `
  query Validate($input: ValidateReportInput!) {
    validateReport(input: $input) {
      __typename
      ... on ReportRejectedError { message problems { code message } }
      ... on ValidateReportPayload { agencyName }
    }
  }
`;

async function serve(env: Record<string, string> = {}) {
  const config = testConfig({ MAX_BODY_BYTES: String(16 * 1024 * 1024), ...env });
  const app = createApp({ db, config });
  const running = await startHttpServer(app, {
    port: 0,
    host: '127.0.0.1',
    maxBodyBytes: config.maxBodyBytes,
    logger: createLogger(config),
  });
  const base = `http://127.0.0.1:${running.port}`;
  const send = async (bytes: Uint8Array) => {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: validate,
        variables: { input: { base64: Buffer.from(bytes).toString('base64'), fileName: 'upload' } },
      }),
    });
    return (await response.json()) as {
      data?: { validateReport: { __typename: string; problems?: { code: string; message: string }[] } };
    };
  };
  return {
    base,
    send,
    close: async () => {
      await running.close();
      await app.close();
    },
  };
}

/** Polls /health while `work` runs; returns the slowest answer in ms. */
async function slowestHealth(base: string, work: Promise<unknown>): Promise<number> {
  let done = false;
  void work.finally(() => {
    done = true;
  });
  let slowest = 0;
  while (!done) {
    const started = performance.now();
    const response = await fetch(`${base}/health`);
    expect(response.status).toBe(200);
    // The pause counts too: the server shares this thread, so a parse that blocked it between
    // two requests would delay the next one, as it would delay another client's.
    await new Promise((r) => setTimeout(r, 10));
    slowest = Math.max(slowest, performance.now() - started - 10);
  }
  return slowest;
}

describe('hostile uploads to the real server', () => {
  it('are refused with the limit named, the server stays up and stores nothing', async () => {
    const server = await serve();
    try {
      const before = await tableCounts(db);
      for (const [bytes, pattern] of [
        [zipBomb(300 * 1024 * 1024), /INPUT_MAX_UNCOMPRESSED_BYTES/],
        [flateBombPdf(200 * 1024 * 1024), /compressed streams .*INPUT_MAX_UNCOMPRESSED_BYTES/],
        [Buffer.from(spanBombHtml(2_000)), /INPUT_MAX_GRID_CELLS/],
        [Buffer.from(deepHtml(100_000)), /INPUT_MAX_HTML_DEPTH/],
      ] as const) {
        const { data } = await server.send(bytes);
        expect(data?.validateReport.__typename).toBe('ReportRejectedError');
        expect(data?.validateReport.problems?.[0]).toMatchObject({
          code: 'TOO_LARGE',
          message: expect.stringMatching(pattern),
        });
      }
      expect((await fetch(`${server.base}/health`)).status).toBe(200);
      expect(await tableCounts(db)).toEqual(before);
    } finally {
      await server.close();
    }
  }, 60_000);

  it('parses off the event loop: /health keeps answering while a file holds a thread for seconds', async () => {
    const server = await serve();
    try {
      // A PDF (pdf.js reads its pages in slices of a few ms, even on the calling thread) and a
      // page that holds a thread for seconds without a pause, as HTML and Word parses do.
      const pdf = readFileSync(PDF);
      const page = Buffer.from(deepSelectorsHtml());
      await server.send(pdf); // the workers start and load the parser
      const started = performance.now();
      const parses = Promise.all([server.send(pdf), server.send(page)]);
      const slowest = await slowestHealth(server.base, parses);
      const results = await parses;
      const parsing = performance.now() - started;
      expect(results.map((r) => r.data?.validateReport.__typename)).toEqual([
        'ValidateReportPayload',
        'ReportRejectedError',
      ]);
      // On the event loop, /health would wait for the page's whole parse, most of `parsing`
      // (PARSE_WORKERS=0: 3.4 s of 8.6 on a loaded machine, or the connection reset). A machine
      // busy enough to stretch the parses (CI runs two suites on two cores) also keeps a request
      // waiting for a core, 100 to 570 ms measured with the parses taking 5 to 18 s, so the
      // bound grows with the parses, a tenth of them.
      expect(slowest).toBeLessThan(Math.max(100, parsing / 10));
    } finally {
      await server.close();
    }
    // Three parses, the first loading pdf.js cold in a fresh worker: 27.7 s at a load average of
    // 12 on 2 cores, near the 60 s it had. What it checks is /health against the parses' time.
  }, 180_000);

  it('a parse past its time limit is stopped and refused, and the next file is parsed', async () => {
    // The limit is far from both files: about 5 s of drawing against a small text that a fresh
    // worker reads cold in well under a second even with both cores busy. At 50 ms against the
    // sample PDF, each refusal replaced the worker, so the text was always read cold, and on a
    // loaded machine every retry ran past the limit too.
    const server = await serve({ PARSE_TIMEOUT_MS: '1500' });
    try {
      const { data } = await server.send(slowPdf(12));
      expect(data?.validateReport.problems?.[0]).toMatchObject({
        code: 'TOO_LARGE',
        message: expect.stringMatching(/took longer than 1500 ms \(PARSE_TIMEOUT_MS\)/),
      });
      expect((await fetch(`${server.base}/health`)).status).toBe(200);
      // A replacement worker takes the next file.
      const text = readFileSync(
        fileURLToPath(new URL('../fixtures/formats/report.tab.txt', import.meta.url)),
      );
      const answer = await server.send(text);
      expect(answer.data?.validateReport.__typename).toBe('ValidateReportPayload');
    } finally {
      await server.close();
    }
  }, 60_000);

  it('a parse past its heap limit kills only its worker, and the client is told which limit', async () => {
    const server = await serve({ PARSE_MEMORY_MB: '24', PARSE_WORKERS: '1' });
    try {
      // 1.5 MB of HTML whose element tree (190,000 paragraphs) needs far more than a 24 MB heap.
      const { data } = await server.send(
        Buffer.from(`<html><body>${'<p>一</p>'.repeat(190_000)}</body></html>`),
      );
      expect(data?.validateReport.problems?.[0]?.message).toMatch(
        /more than 24 MB \(PARSE_MEMORY_MB\)|took longer/,
      );
      expect((await fetch(`${server.base}/health`)).status).toBe(200);
    } finally {
      await server.close();
    }
  }, 60_000);

  it.runIf(existsSync(PDF))(
    'when every worker is busy and the queue is full, a file is refused at once',
    async () => {
      const server = await serve({ PARSE_WORKERS: '1', PARSE_QUEUE: '0' });
      try {
        const bytes = readFileSync(PDF);
        const results = await Promise.all([server.send(bytes), server.send(bytes), server.send(bytes)]);
        const refused = results.filter((r) =>
          r.data?.validateReport.problems?.[0]?.message.includes('PARSE_QUEUE'),
        );
        expect(refused.length).toBeGreaterThan(0);
        expect(results.some((r) => r.data?.validateReport.__typename === 'ValidateReportPayload')).toBe(true);
      } finally {
        await server.close();
      }
    },
    60_000,
  );
});
