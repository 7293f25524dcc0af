import { S3Client } from '@aws-sdk/client-s3';

export interface S3Options {
  /** Only for S3-compatible servers (s3rver locally); on AWS the SDK finds the regional endpoint. */
  endpoint?: string;
  region?: string;
  /** s3rver accepts any signed request; AWS uses the function's role from the environment. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/**
 * One client configuration for AWS and s3rver. Most of a warm upload's CPU is the SDK's own work per
 * request (ten requests each), so the settings below are chosen for that cost; each was measured
 * with `npm run bench` and docs/benchmarks.md has the figures.
 */
export function createS3Client(options: S3Options = {}): S3Client {
  const client = new S3Client({
    region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
    // Flexible checksums are optional on S3 and corrupt uploads on s3rver; asking for them only when
    // an operation requires them keeps one client configuration valid for both.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // Our buckets are general-purpose, never S3 Express directory buckets; skipping the session-auth
    // checks saves about 0.6 ms of CPU per request (measured).
    disableS3ExpressSessionAuth: true,
    // Resolves each command's middleware stack once instead of on every request. Middleware must
    // therefore be added before the first request (the tests' fault injectors and counters are).
    cacheMiddleware: true,
    maxAttempts: 4,
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
  });
  // SigV4 otherwise hashes every body with SHA-256 to sign it: a feed file is hundreds of KB. S3
  // accepts an unsigned payload over HTTPS, and the adapter sends a CRC32 checksum with every PUT
  // (x-amz-checksum-crc32), so S3 still rejects a body damaged on the way.
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers?: Record<string, string>; body?: unknown };
      // A value already set (a streaming or trailer-checksum body) is the SDK's own and stays.
      if (request.headers && request.body !== undefined && !request.headers['x-amz-content-sha256']) {
        request.headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
      }
      return next(args);
    },
    { step: 'build', name: 'seedfeedUnsignedPayload' },
  );
  return client;
}
