import { DropkitError, InvalidArgumentError } from '@dropkit/core';
import { DataFormatError } from './errors.js';

/**
 * Where a reader gets its bytes: a file path or `file:` URL (Node only), or the bytes themselves
 * (e.g. from `fetch` in a browser). Gzipped content is recognised by its magic number and
 * decompressed.
 */
export type ByteSource = string | URL | Uint8Array | ArrayBuffer;

/** Bytes with the name used in error messages. */
export interface NamedBytes {
  readonly bytes: Uint8Array;
  readonly name: string;
  /** True when the bytes were read from a file or decompressed here, so no caller holds them. */
  readonly owned: boolean;
}

/**
 * Imports a Node built-in at run time. The specifier is a variable and the comments tell webpack
 * and Vite to leave it alone, so a browser bundle neither needs a stub for it nor fails on it.
 */
export function importNode<T>(specifier: string): Promise<T> {
  return import(/* webpackIgnore: true */ /* @vite-ignore */ specifier) as Promise<T>;
}

/** True in Node (and runtimes that mimic it), where node: modules can be imported. */
export function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

/** Throws the error a browser gets from a function that needs the file system. */
export function requireNode(what: string, instead: string): void {
  if (!isNode()) {
    throw new DropkitError(`${what} needs Node (a file system); ${instead}`);
  }
}

/** True when `bytes` start with the gzip magic number 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Decompresses gzip data with node:zlib (off the main thread). */
export async function gunzipWithZlib(bytes: Uint8Array): Promise<Uint8Array> {
  const zlib = await importNode<typeof import('node:zlib')>('node:zlib');
  const out = await new Promise<Uint8Array>((resolve, reject) => {
    zlib.gunzip(bytes, (err, result) => (err ? reject(err) : resolve(result)));
  });
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** Decompresses gzip data with the web platform's `DecompressionStream` (browsers, Deno, Node). */
export async function gunzipWithStreams(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * Decompresses gzip data: with node:zlib in Node, with `DecompressionStream` elsewhere.
 *
 * @throws DataFormatError when the stream is corrupt or truncated.
 */
export async function gunzip(bytes: Uint8Array, name: string): Promise<Uint8Array> {
  try {
    return await (isNode() ? gunzipWithZlib(bytes) : gunzipWithStreams(bytes));
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new DataFormatError(
      name,
      `the gzip stream (${bytes.length} compressed bytes) is corrupt or truncated: ${detail}`,
    );
  }
}

/**
 * Reads a {@link ByteSource}, decompressing gzip, and names it for error messages: a path or URL
 * by itself, bytes by `name` (default `"<bytes>"`).
 */
export async function readBytes(source: ByteSource, name?: string): Promise<NamedBytes> {
  let bytes: Uint8Array;
  let label: string;
  let owned = false;
  if (source instanceof Uint8Array) {
    bytes = source;
    label = name ?? '<bytes>';
  } else if (source instanceof ArrayBuffer) {
    bytes = new Uint8Array(source);
    label = name ?? '<bytes>';
  } else if (typeof source === 'string' || source instanceof URL) {
    label = name ?? (typeof source === 'string' ? source : source.href);
    requireNode(
      `Reading the file ${label}`,
      'in a browser, fetch the file and pass its bytes (a Uint8Array or ArrayBuffer).',
    );
    const { readFile } = await importNode<typeof import('node:fs/promises')>('node:fs/promises');
    try {
      const buf = await readFile(source);
      bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
      owned = true;
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      throw new DropkitError(`Cannot read ${label}: ${detail}`);
    }
  } else {
    throw new InvalidArgumentError(
      'source',
      source,
      'a file path, a file: URL, a Uint8Array or an ArrayBuffer',
    );
  }
  if (isGzip(bytes)) {
    bytes = await gunzip(bytes, label);
    owned = true;
  }
  return { bytes, name: label, owned };
}
