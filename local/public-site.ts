import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';

/**
 * What a visitor's browser gets from the local server, as CloudFront gives it on AWS: the public root
 * and every collection folder (`categories/x/`) answer with their `index.html`, and a missing page is
 * a small HTML page instead of S3's XML error. Requests signed by the SDK are S3 API calls and pass
 * untouched, so the handler and the CLI see plain S3.
 */

/** The part of Koa's context this middleware uses (s3rver is a Koa app; koa's types are not installed). */
export interface SiteContext {
  method: string;
  path: string;
  querystring: string;
  headers: Record<string, string | string[] | undefined>;
  status: number;
  type: string;
  body: unknown;
  redirect(url: string): void;
  set(field: string, value: string): void;
}

export type SiteMiddleware = (ctx: SiteContext, next: () => Promise<void>) => Promise<void>;

export interface SiteOptions {
  /** The public bucket, served at `/<bucket>/`. */
  bucket: string;
  /** Files served as they are at `/<mount>/<name>` (the demo's images), with no subfolders. */
  files?: { mount: string; dir: string };
}

const MISSING = new Set(['NoSuchKey', 'NoSuchBucket']);

const TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.webp': 'image/webp',
};

export function notFoundPage(root: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Not found</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><h1>Not found</h1><p>Nothing is published at this address. The feeds are at <a href="${root}">${root}</a>.</p></body></html>
`;
}

export function publicSite(options: SiteOptions): SiteMiddleware {
  const root = `/${options.bucket}/`;
  return async (ctx, next) => {
    if (!isBrowserRead(ctx)) return next();
    if (ctx.path === '/' || ctx.path === `/${options.bucket}`) return ctx.redirect(root);
    if (options.files && ctx.path.startsWith(`/${options.files.mount}/`)) {
      return serveFile(ctx, options.files.dir, ctx.path.slice(options.files.mount.length + 2), root);
    }
    if (!ctx.path.startsWith(root)) return notFound(ctx, root);
    if (ctx.path.endsWith('/')) ctx.path = `${ctx.path}index.html`;
    try {
      await next();
    } catch (error) {
      if (!MISSING.has((error as { code?: unknown }).code as string)) throw error;
      notFound(ctx, root);
    }
  };
}

/** A browser or feed reader, not the SDK: no signature in the headers or the query. */
function isBrowserRead(ctx: SiteContext): boolean {
  return (
    (ctx.method === 'GET' || ctx.method === 'HEAD') &&
    ctx.headers.authorization === undefined &&
    !/(?:^|&)x-amz-/i.test(ctx.querystring)
  );
}

function notFound(ctx: SiteContext, root: string): void {
  ctx.status = 404;
  ctx.type = 'text/html; charset=utf-8';
  ctx.body = notFoundPage(root);
}

async function serveFile(ctx: SiteContext, dir: string, name: string, root: string): Promise<void> {
  const type = TYPES[extname(name).toLowerCase()];
  const body =
    /^\w[\w.-]*$/.test(name) && type ? await readFile(join(dir, name)).catch(() => undefined) : undefined;
  if (!body || !type) return notFound(ctx, root);
  ctx.type = type;
  ctx.set('Cache-Control', 'public, max-age=300');
  ctx.body = body;
}
