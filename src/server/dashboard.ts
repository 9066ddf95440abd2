/**
 * Serves the dashboard (web/, built by `npm run build:web` into web/dist) at `/`. Only GET and
 * HEAD requests outside the API paths are answered here; everything else goes on to yoga.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'graphql-yoga';

export const DASHBOARD_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));

const API_PATHS = ['/graphql', '/graphiql', '/health', '/ready', '/metrics', '/csv'];

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Dashboard not built</title>
<p>The dashboard has not been built. Run <code>npm run build:web</code> (it also runs on <code>npm install</code>), then reload.
The GraphQL API is at <a href="/graphql">/graphql</a>.</p>`;

const isApiPath = (path: string) => API_PATHS.some((p) => path === p || path.startsWith(`${p}/`));

/** The file under `root` for a URL path, or null when it escapes the root or does not exist. */
async function findFile(root: string, path: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return null;
  }
  const file = normalize(join(root, decoded));
  if (file !== root && !file.startsWith(root + sep)) return null;
  try {
    return (await stat(file)).isFile() ? file : null;
  } catch {
    return null;
  }
}

export function dashboardPlugin(root: string = DASHBOARD_DIR): Plugin {
  return {
    async onRequest({ url, request, endResponse, fetchAPI }) {
      if ((request.method !== 'GET' && request.method !== 'HEAD') || isApiPath(url.pathname)) return;
      // Paths without a file extension are the app's own pages: they all get index.html.
      const wantsPage = url.pathname === '/' || !extname(url.pathname);
      const file = await findFile(root, wantsPage ? '/index.html' : url.pathname);
      if (!file) {
        endResponse(
          wantsPage
            ? new fetchAPI.Response(NOT_BUILT, {
                status: 503,
                headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
              })
            : new fetchAPI.Response('Not found', {
                status: 404,
                headers: { 'content-type': 'text/plain; charset=utf-8' },
              }),
        );
        return;
      }
      const body = await readFile(file);
      // Vite puts a content hash in every asset name under /assets, so those never change.
      const immutable = url.pathname.startsWith('/assets/');
      endResponse(
        new fetchAPI.Response(request.method === 'HEAD' ? null : body, {
          status: 200,
          headers: {
            'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
            'content-length': String(body.byteLength),
            'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
            'x-content-type-options': 'nosniff',
          },
        }),
      );
    },
  };
}
