import { createHash, createHmac, randomUUID } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Invalidate } from './ports.js';
import { escapeMarkup } from './render/escape.js';
import { doubling, retry } from './retry.js';

/** What the signer takes as credentials: fixed keys, or a provider such as the S3 client's own. */
export type Credentials = ConstructorParameters<typeof SignatureV4>[0]['credentials'];

export interface CloudFrontOptions {
  distributionId: string;
  credentials: Credentials;
  /** Only for a test's stand-in server; CloudFront's API has one global endpoint. */
  endpoint?: string;
  /** Per attempt: a slow API must not hold the batch. */
  timeoutMs?: number;
  /** The waits before further tries (see retry.ts). */
  delaysMs?: readonly number[];
  /** Names each batch; random by default, chosen by tests. */
  callerReference?: () => string;
}

const API_VERSION = '2020-05-31';
const ENDPOINT = 'https://cloudfront.amazonaws.com';
/** CloudFront's API is global and signs in us-east-1 whatever region the stack is in. */
const SIGNING_REGION = 'us-east-1';
/**
 * CloudFront takes at most 3,000 individual paths in progress per distribution; a batch that changed
 * more (a burst across many collections) invalidates everything as one wildcard path, which costs one.
 */
export const MAX_PATHS = 3_000;

/** CloudFront refused or could not be reached, after the retries; `cause` is the last error. */
export class InvalidationError extends Error {
  override readonly name = 'InvalidationError';
  constructor(
    message: string,
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * The URL paths through which CloudFront serves the changed keys, as readers request them: each key's
 * path as a URL serializes it (the feeds link to themselves the same way, non-ASCII percent-encoded),
 * and `/` beside the root `index.html`, which the distribution's default root object serves there
 * (cdk/site.ts). A collection's folder (`/categories/x/`) is not served as its page on AWS (a default
 * root object applies to the root only), so it is not invalidated.
 */
export function cdnPaths(keys: readonly string[]): string[] {
  const paths = new Set<string>();
  for (const key of keys) {
    paths.add(new URL(key, 'https://cdn.invalid/').pathname);
    if (key === 'index.html') paths.add('/');
  }
  const sorted = [...paths].sort();
  return sorted.length > MAX_PATHS ? ['/*'] : sorted;
}

/** The CreateInvalidation request body (CloudFront API 2020-05-31). */
export function invalidationBatch(paths: readonly string[], callerReference: string): string {
  const items = paths.map((path) => `<Path>${escapeMarkup(path)}</Path>`).join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<InvalidationBatch xmlns="http://cloudfront.amazonaws.com/doc/${API_VERSION}/">` +
    `<Paths><Quantity>${paths.length}</Quantity><Items>${items}</Items></Paths>` +
    `<CallerReference>${escapeMarkup(callerReference)}</CallerReference>` +
    '</InvalidationBatch>'
  );
}

/**
 * CreateInvalidation through fetch, signed with the SDK's own SigV4 signer (already in the bundle for
 * S3) instead of a second client (@aws-sdk/client-cloudfront adds ~232 KB). Resolves once CloudFront
 * has created the invalidation (it then completes on its own); rejects with an InvalidationError.
 */
export function cloudFrontInvalidator(options: CloudFrontOptions): Invalidate {
  const endpoint = new URL(options.endpoint ?? ENDPOINT);
  const signer = new SignatureV4({
    credentials: options.credentials,
    region: SIGNING_REGION,
    service: 'cloudfront',
    sha256: NodeSha256,
  });
  const path = `/${API_VERSION}/distribution/${encodeURIComponent(options.distributionId)}/invalidation`;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const reference = options.callerReference ?? (() => `seedfeed-${randomUUID()}`);

  return async (keys) => {
    const paths = cdnPaths(keys);
    if (paths.length === 0) return { paths, id: undefined };
    // One reference for every try of this batch: a retry after a lost answer gets the invalidation
    // already made instead of a second one (CloudFront matches the reference and the paths).
    const body = invalidationBatch(paths, reference());
    const send = async () => {
      const signed = await signer.sign({
        method: 'POST',
        protocol: endpoint.protocol,
        hostname: endpoint.hostname,
        ...(endpoint.port ? { port: Number(endpoint.port) } : {}),
        path,
        query: {},
        headers: { host: endpoint.host, 'content-type': 'text/xml' },
        body,
      });
      const response = await fetch(new URL(path, endpoint), {
        method: 'POST',
        headers: without(signed.headers, 'host'),
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.text();
      if (response.status !== 201) {
        throw new InvalidationError(
          `CloudFront answered ${response.status}: ${errorCode(text)}`,
          response.status,
        );
      }
      return { paths, id: /<Id>([^<]{1,128})<\/Id>/.exec(text)?.[1] };
    };
    return retry(send, { delaysMs: options.delaysMs ?? doubling(250, 3), jitter: true, isRetryable });
  };
}

/** Throttling, too many invalidations in progress, 5xx and network faults pass; a refusal does not. */
function isRetryable(error: unknown): boolean {
  if (!(error instanceof InvalidationError) || error.status === undefined) return true;
  if (error.status >= 500 || error.status === 429) return true;
  return /Throttling|TooManyInvalidationsInProgress/.test(error.message);
}

function errorCode(xml: string): string {
  return /<Code>([^<]{1,128})<\/Code>/.exec(xml)?.[1] ?? 'no error code';
}

function without(headers: Record<string, string>, name: string): Record<string, string> {
  // fetch sets Host from the URL itself (the value that was signed).
  return Object.fromEntries(Object.entries(headers).filter(([key]) => key.toLowerCase() !== name));
}

type SourceData = string | ArrayBuffer | ArrayBufferView;

/** SHA-256 and its HMAC for the signer, from node:crypto (what the SDK's own Node hash wraps too). */
class NodeSha256 {
  private readonly hash;

  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }

  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

function bytes(data: SourceData): Uint8Array | string {
  if (typeof data === 'string') return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}
