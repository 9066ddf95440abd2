import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { App } from './app.ts';
import { bodyTooLargeMessage } from './protection.ts';
import { errorBody } from './request-errors.ts';

export interface RunningServer {
  server: Server;
  port: number;
  /** Stops accepting connections and resolves once in-flight requests have finished. */
  close: () => Promise<void>;
}

function reject(res: ServerResponse, status: number, message: string, code: string) {
  res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
  res.end(errorBody(message, code));
}

/**
 * Node HTTP front for the yoga app. Bodies are size-checked from Content-Length before
 * anything is read; bodies without a length are refused, so no request can stream an
 * unbounded body into memory.
 */
export async function startHttpServer(
  app: App,
  options: {
    port: number;
    host?: string;
    maxBodyBytes: number;
    logger: Logger;
    /** How long a stop waits for requests still arriving before it closes their connections. */
    shutdownGraceMs?: number;
  },
): Promise<RunningServer> {
  let inFlight = 0;
  let idle: (() => void) | null = null;
  let closing = false;
  /** Requests being handled: a stop closes those still arriving after its grace. */
  const open = new Set<IncomingMessage>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    open.add(req);
    res.once('close', () => open.delete(req));
    // A response that ends while the server stops (an event stream its subscription's end
    // completes) leaves a keep-alive connection that server.close() would wait out for
    // keepAliveTimeout; it is closed as soon as it is idle instead.
    res.once('finish', () => {
      if (closing) setImmediate(() => server.closeIdleConnections());
    });
    if (req.method === 'POST') {
      const length = req.headers['content-length'];
      if (length === undefined) {
        reject(res, 411, 'Send the request with a Content-Length header.', 'LENGTH_REQUIRED');
        return;
      }
      if (Number(length) > options.maxBodyBytes) {
        reject(res, 413, bodyTooLargeMessage(length, options.maxBodyBytes), 'PAYLOAD_TOO_LARGE');
        return;
      }
    }
    // In flight until the handler is done, not until the socket closes: a client that hangs
    // up (a load test ending) leaves its query running, and the pool must outlive it.
    inFlight++;
    void Promise.resolve(app.handle(req, res))
      .catch(() => {})
      .finally(() => {
        inFlight--;
        if (inFlight === 0) idle?.();
      });
  });
  server.keepAliveTimeout = 5_000;
  // A request (headers and body) must arrive within two minutes: 8 MiB at about 0.6 Mbit/s. A
  // client trickling a byte now and then held its connection for Node's default five.
  server.requestTimeout = 120_000;
  // Requests Node refuses before any handler sees them: it answered a URL or headers past its
  // 16 KB limit (a GET with a long name search) with an empty 431, and malformed HTTP with an
  // empty 400. Each now says why, in the API's error shape.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const [status, message, code] =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? [
            '431 Request Header Fields Too Large',
            'The request line and headers are over 16 KB (a long GET query string?); send the query by POST with a JSON body.',
            'HEADERS_TOO_LARGE',
          ]
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? ['408 Request Timeout', 'The request did not arrive in time.', 'REQUEST_TIMEOUT']
          : ['400 Bad Request', 'The request is not well-formed HTTP.', 'BAD_REQUEST'];
    const body = errorBody(message, code);
    socket.end(
      `HTTP/1.1 ${status}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
  await new Promise<void>((resolve, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    server,
    port,
    // Resolves once no connection is open and no handler is running. Subscriptions end first:
    // an event stream is a handler that would otherwise run until its client leaves.
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        app.live.endSubscriptions();
        let closed = false;
        const done = () => {
          if (closed && inFlight === 0) resolve();
        };
        idle = () => {
          server.closeIdleConnections();
          done();
        };
        server.close(() => {
          closed = true;
          done();
        });
        server.closeIdleConnections();
        if (inFlight > 0) options.logger.info({ inFlight }, 'waiting for in-flight requests');
        // A client still sending its request (slowly, or never) does not hold the stop up: past
        // the grace its connection is closed, and its handler ends on the broken body. Requests
        // whose body has arrived are answered, however long they take.
        const grace = setTimeout(() => {
          const arriving = [...open].filter((req) => !req.complete);
          if (arriving.length === 0) return;
          options.logger.warn(
            { arriving: arriving.length },
            'closing the connections whose requests are still arriving after the shutdown grace',
          );
          for (const req of arriving) req.socket.destroy();
        }, options.shutdownGraceMs ?? 30_000);
        grace.unref();
      }),
  };
}
