import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';

/** Content types of what a Vite build emits (and a few it may). */
export const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** Options of {@link startStaticServer}. */
export interface StaticServerOptions {
  /** The folder to serve (e.g. `apps/demo/dist`). */
  readonly root: string;
  /** The URL path the folder appears under, starting and ending with `/`. Default `/demo/`. */
  readonly basePath?: string;
  /**
   * Send COOP + COEP so the page is cross-origin isolated (SharedArrayBuffer, wasm threads).
   * Default false: the docs site that publishes the demo is a plain static host that cannot send
   * them, and the test should load the page as it will be served there.
   */
  readonly crossOriginIsolated?: boolean;
}

/** A running server. */
export interface StaticServer {
  /** The absolute URL of `basePath`, ending with `/`. */
  readonly url: string;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/**
 * Serves a folder over HTTP on 127.0.0.1 and an ephemeral port, under a sub-path, the way a static
 * host would: GET and HEAD only, `index.html` for a folder, correct content types (`.wasm` as
 * `application/wasm`, which streaming compilation requires), no caching. Anything outside the
 * sub-path is a 404, so a build that asks for `/assets/...` instead of a relative path fails.
 *
 * @param options - {@link StaticServerOptions}.
 * @returns the server, once it listens.
 */
export async function startStaticServer(options: StaticServerOptions): Promise<StaticServer> {
  const root = resolve(options.root);
  const basePath = options.basePath ?? '/demo/';
  if (!basePath.startsWith('/') || !basePath.endsWith('/')) {
    throw new Error(`basePath must start and end with "/"; received ${JSON.stringify(basePath)}`);
  }

  const headers = (type: string, length: number): Record<string, string | number> => ({
    'Content-Type': type,
    'Content-Length': length,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    // Same-origin everything: harmless for a page that loads only its own files and its wasm.
    'Cross-Origin-Resource-Policy': 'same-origin',
    ...(options.crossOriginIsolated
      ? {
          'Cross-Origin-Opener-Policy': 'same-origin',
          'Cross-Origin-Embedder-Policy': 'require-corp',
        }
      : {}),
  });

  const fail = (res: ServerResponse, status: number, message: string) => {
    const body = `${status} ${message}\n`;
    res.writeHead(status, headers('text/plain; charset=utf-8', Buffer.byteLength(body)));
    res.end(body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      fail(res, 405, 'Method Not Allowed');
      return;
    }
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (`${path}/` === basePath) {
      res.writeHead(301, { Location: basePath, 'Content-Length': 0 });
      res.end();
      return;
    }
    if (!path.startsWith(basePath)) {
      fail(res, 404, 'Not Found');
      return;
    }
    let relative: string;
    try {
      relative = decodeURIComponent(path.slice(basePath.length));
    } catch {
      fail(res, 400, 'Bad Request');
      return;
    }
    let file = resolve(join(root, relative));
    // A path that climbs out of the root (`..`, encoded or not) is not served.
    if (file !== root && !file.startsWith(root + sep)) {
      fail(res, 404, 'Not Found');
      return;
    }
    let info = await stat(file).catch(() => null);
    if (info?.isDirectory()) {
      file = join(file, 'index.html');
      info = await stat(file).catch(() => null);
    }
    if (!info?.isFile()) {
      fail(res, 404, 'Not Found');
      return;
    }
    const type = MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
    res.writeHead(200, headers(type, info.size));
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) fail(res, 500, 'Internal Server Error');
      else res.destroy();
    });
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${basePath}`,
    close: () =>
      new Promise<void>((resolveClose, reject) => {
        server.close((err) => (err ? reject(err) : resolveClose()));
        server.closeAllConnections();
      }),
  };
}
