/**
 * GraphiQL without a CDN and without a 9 MB page. @graphql-yoga/render-graphiql inlines its
 * whole bundle (editor, workers, styles, icon) into one HTML page that no browser can cache.
 * Here the page is a few hundred bytes and the bundle is served as separate files under a
 * path carrying the package's version, so a browser downloads them once (compressed) and
 * keeps them; the package itself is only loaded when someone opens GraphiQL.
 */
import { createRequire } from 'node:module';
import type { Plugin } from 'graphql-yoga';

const require = createRequire(import.meta.url);
const VERSION = (require('@graphql-yoga/render-graphiql/package.json') as { version: string }).version;

/** Where GraphiQL's files are served; versioned, so they can be cached for good. */
export const GRAPHIQL_ASSETS = `/graphiql/${VERSION}/`;

type Bundle = typeof import('@graphql-yoga/render-graphiql/graphiql');

const FILES: Record<string, { type: string; body: (bundle: Bundle) => string | Uint8Array<ArrayBuffer> }> = {
  'graphiql.js': { type: 'text/javascript; charset=utf-8', body: (b) => b.js },
  'graphiql.css': { type: 'text/css; charset=utf-8', body: (b) => b.css },
  'editor.worker.js': { type: 'text/javascript; charset=utf-8', body: (b) => b.editorWorkerService },
  'json.worker.js': { type: 'text/javascript; charset=utf-8', body: (b) => b.jsonWorker },
  'graphql.worker.js': { type: 'text/javascript; charset=utf-8', body: (b) => b.graphqlWorker },
  'favicon.ico': {
    type: 'image/x-icon',
    body: (b) => new Uint8Array(Buffer.from(b.favicon.slice(b.favicon.indexOf(',') + 1), 'base64')),
  },
};

const escapeScript = (json: string) => json.replace(/</g, '\\u003c');

/** The GraphiQL page: the options inline, everything else by reference. */
export function renderGraphiQLPage(options: { title?: string } & Record<string, unknown>): string {
  const title = (options.title ?? 'GraphiQL').replace(/[<&"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="zh">
<head>
<meta charset="utf-8">
<title>${title}</title>
<link rel="icon" href="${GRAPHIQL_ASSETS}favicon.ico">
<link rel="stylesheet" href="${GRAPHIQL_ASSETS}graphiql.css">
</head>
<body id="body" class="no-focus-outline">
<noscript>GraphiQL needs JavaScript. The API answers POST requests at this address.</noscript>
<div id="root">Loading GraphiQL…</div>
<script>
self.MonacoEnvironment = {
  globalAPI: false,
  getWorkerUrl: (moduleId, label) => '${GRAPHIQL_ASSETS}' + ({ editorWorkerService: 'editor', json: 'json', graphql: 'graphql' }[label] || 'editor') + '.worker.js',
};
</script>
<script src="${GRAPHIQL_ASSETS}graphiql.js" defer></script>
<script type="module">
// A module script runs after the deferred bundle above.
YogaGraphiQL.renderYogaGraphiQL(document.querySelector('#root'), ${escapeScript(JSON.stringify(options))});
</script>
</body>
</html>
`;
}

/** Serves GraphiQL's files under GRAPHIQL_ASSETS (GET and HEAD only). */
export function graphiqlAssetsPlugin(): Plugin {
  let bundle: Promise<Bundle> | null = null;
  return {
    async onRequest({ url, request, endResponse, fetchAPI }) {
      if (!url.pathname.startsWith('/graphiql/')) return;
      const file = url.pathname.startsWith(GRAPHIQL_ASSETS)
        ? FILES[url.pathname.slice(GRAPHIQL_ASSETS.length)]
        : undefined;
      if (!file || (request.method !== 'GET' && request.method !== 'HEAD')) {
        endResponse(
          new fetchAPI.Response('Not found', {
            status: 404,
            headers: { 'content-type': 'text/plain; charset=utf-8' },
          }),
        );
        return;
      }
      bundle ??= import('@graphql-yoga/render-graphiql/graphiql');
      const body = file.body(await bundle);
      endResponse(
        new fetchAPI.Response(request.method === 'HEAD' ? null : body, {
          headers: {
            'content-type': file.type,
            'cache-control': 'public, max-age=31536000, immutable',
            'x-content-type-options': 'nosniff',
          },
        }),
      );
    },
  };
}
