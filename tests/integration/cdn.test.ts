import { afterEach, describe, expect, it } from 'vitest';
import { cdnPaths, cloudFrontInvalidator, InvalidationError, MAX_PATHS } from '../../lambdas/seedfeed/cdn.js';
import { type CloudFrontApi, readBatch, startCloudFrontApi, verifySigV4 } from '../support/cloudfront-api.js';

const KEYS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const SESSION = { ...KEYS, sessionToken: 'token-of-the-role' };

describe('cdnPaths', () => {
  it('names each changed key by its URL path, the root page also as /', () => {
    // Prepare
    const keys = ['rss.xml', 'index.html', 'categories/中国/index.html', 'archive/2024-01/feed.json'];

    // Act
    const paths = cdnPaths(keys);

    // Assess
    expect(paths).toEqual([
      '/',
      '/archive/2024-01/feed.json',
      '/categories/%E4%B8%AD%E5%9B%BD/index.html',
      '/index.html',
      '/rss.xml',
    ]);
  });

  it('falls back to one wildcard path beyond what CloudFront takes in progress', () => {
    // Prepare
    const keys = Array.from({ length: MAX_PATHS + 1 }, (_, i) => `authors/a${i}/rss.xml`);

    // Act
    const paths = cdnPaths(keys);

    // Assess
    expect(paths).toEqual(['/*']);
    expect(cdnPaths(keys.slice(0, MAX_PATHS))).toHaveLength(MAX_PATHS);
  });
});

describe('cloudFrontInvalidator against a stand-in CloudFront API', () => {
  let api: CloudFrontApi | undefined;

  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  it('POSTs a CreateInvalidation of exactly the changed paths, signed with SigV4 for cloudfront in us-east-1', async () => {
    // Prepare
    api = await startCloudFrontApi();
    const invalidate = cloudFrontInvalidator({
      distributionId: 'E2QWRUHAPOMQZL',
      credentials: async () => SESSION,
      endpoint: api.endpoint,
      callerReference: () => 'batch-1',
    });

    // Act
    const result = await invalidate(['index.html', 'rss.xml']);

    // Assess
    expect(api.requests).toHaveLength(1);
    const [request] = api.requests;
    if (!request) throw new Error('no request');
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/2020-05-31/distribution/E2QWRUHAPOMQZL/invalidation');
    expect(readBatch(request.body)).toEqual({
      quantity: 3,
      paths: ['/', '/index.html', '/rss.xml'],
      callerReference: 'batch-1',
    });
    const signature = verifySigV4(request, KEYS);
    expect(signature.valid).toBe(true);
    expect(signature.scope).toMatch(/^\d{8}\/us-east-1\/cloudfront\/aws4_request$/);
    expect(signature.signedHeaders).toEqual(
      expect.arrayContaining(['host', 'x-amz-date', 'x-amz-security-token']),
    );
    expect(request.headers['x-amz-security-token']).toBe(SESSION.sessionToken);
    // The check itself can fail: another secret, or another body, gives another signature.
    expect(verifySigV4(request, { ...KEYS, secretAccessKey: 'other' }).valid).toBe(false);
    expect(verifySigV4({ ...request, body: request.body.replace('/rss.xml', '/atom.xml') }, KEYS).valid).toBe(
      false,
    );
    expect(result).toEqual({ paths: ['/', '/index.html', '/rss.xml'], id: 'I1TEST' });
  });

  it('gives each batch its own caller reference by default', async () => {
    // Prepare
    api = await startCloudFrontApi();
    const invalidate = cloudFrontInvalidator({
      distributionId: 'E1',
      credentials: KEYS,
      endpoint: api.endpoint,
    });

    // Act
    await invalidate(['rss.xml']);
    await invalidate(['rss.xml']);

    // Assess
    const references = api.requests.map((request) => readBatch(request.body).callerReference);
    expect(new Set(references).size).toBe(2);
  });

  it('retries a failing API with the same caller reference, so a lost answer makes no second invalidation', async () => {
    // Prepare
    api = await startCloudFrontApi((n) => (n < 3 ? 503 : 201));
    const invalidate = cloudFrontInvalidator({
      distributionId: 'E1',
      credentials: KEYS,
      endpoint: api.endpoint,
      delaysMs: [5, 5, 5],
    });

    // Act
    const result = await invalidate(['feed.json']);

    // Assess
    expect(api.requests).toHaveLength(3);
    expect(new Set(api.requests.map((r) => readBatch(r.body).callerReference)).size).toBe(1);
    expect(result.id).toBe('I3TEST');
  });

  it('does not retry a refusal, and rejects with the reason', async () => {
    // Prepare
    api = await startCloudFrontApi(() => 403);
    const invalidate = cloudFrontInvalidator({
      distributionId: 'E1',
      credentials: KEYS,
      endpoint: api.endpoint,
      delaysMs: [5, 5, 5],
    });

    // Act
    const outcome = invalidate(['feed.json']);

    // Assess
    await expect(outcome).rejects.toThrow(/403: AccessDenied/);
    await expect(outcome).rejects.toMatchObject({ cause: expect.any(InvalidationError) });
    expect(api.requests).toHaveLength(1);
  });

  it('sends nothing when nothing changed', async () => {
    // Prepare
    api = await startCloudFrontApi();
    const invalidate = cloudFrontInvalidator({
      distributionId: 'E1',
      credentials: KEYS,
      endpoint: api.endpoint,
    });

    // Act
    const result = await invalidate([]);

    // Assess
    expect(result.paths).toEqual([]);
    expect(api.requests).toEqual([]);
  });
});
