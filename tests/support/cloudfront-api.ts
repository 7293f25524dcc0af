import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onlyChild, parseXmlStrict } from './xml-tree.js';

export const CLOUDFRONT_NS = 'http://cloudfront.amazonaws.com/doc/2020-05-31/';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface CloudFrontApi {
  endpoint: string;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

/**
 * A real HTTP server on a free loopback port standing in for CloudFront's API. `answer` gives each
 * request's status (201 answers as CreateInvalidation does); `seen` runs when a request has arrived,
 * and the answer waits for it.
 */
export async function startCloudFrontApi(
  answer: (n: number) => number = () => 201,
  seen: (request: ReceivedRequest) => void | Promise<void> = () => {},
): Promise<CloudFrontApi> {
  const requests: ReceivedRequest[] = [];
  const server: Server = createServer(async (incoming, response) => {
    let body = '';
    for await (const chunk of incoming) body += chunk;
    const request = {
      method: incoming.method ?? '',
      path: incoming.url ?? '',
      headers: incoming.headers,
      body,
    };
    requests.push(request);
    await seen(request);
    const status = answer(requests.length);
    const xml =
      status === 201
        ? `<?xml version="1.0"?><Invalidation xmlns="${CLOUDFRONT_NS}"><Id>I${requests.length}TEST</Id><Status>InProgress</Status></Invalidation>`
        : `<?xml version="1.0"?><ErrorResponse xmlns="${CLOUDFRONT_NS}"><Error><Code>${status === 403 ? 'AccessDenied' : 'ServiceUnavailable'}</Code></Error></ErrorResponse>`;
    response.writeHead(status, { 'content-type': 'text/xml' }).end(xml);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The paths and caller reference of a CreateInvalidation body, read with the strict parser. */
export function readBatch(body: string): { quantity: number; paths: string[]; callerReference: string } {
  const root = parseXmlStrict(body);
  if (root.uri !== CLOUDFRONT_NS || root.local !== 'InvalidationBatch')
    throw new Error(`not a batch: ${body}`);
  const paths = onlyChild(root, CLOUDFRONT_NS, 'Paths');
  return {
    quantity: Number(onlyChild(paths, CLOUDFRONT_NS, 'Quantity').text),
    paths: onlyChild(paths, CLOUDFRONT_NS, 'Items').children.map((item) => item.text),
    callerReference: onlyChild(root, CLOUDFRONT_NS, 'CallerReference').text,
  };
}

export interface Keys {
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * Recomputes a request's SigV4 signature from what arrived, following AWS's published algorithm with
 * node:crypto alone (not the SDK's signer), for the scope the Authorization header names. Returns the
 * parts of that header and whether its signature is the one these keys give.
 */
export function verifySigV4(
  request: ReceivedRequest,
  keys: Keys,
): { valid: boolean; scope: string; signedHeaders: string[] } {
  const authorization = String(request.headers.authorization ?? '');
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      authorization,
    );
  if (!match) return { valid: false, scope: '', signedHeaders: [] };
  const [, accessKeyId = '', scope = '', headerList = '', signature = ''] = match;
  const signedHeaders = headerList.split(';');
  const [date = '', region = '', service = ''] = scope.split('/');
  const amzDate = String(request.headers['x-amz-date'] ?? '');
  const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');
  const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
  const [path = '', query = ''] = request.path.split('?');
  const canonical = [
    request.method,
    path,
    query,
    ...signedHeaders.map((name) => `${name}:${String(request.headers[name] ?? '').trim()}`),
    '',
    headerList,
    sha256(request.body),
  ].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  let key = hmac(`AWS4${keys.secretAccessKey}`, date);
  for (const part of [region, service, 'aws4_request']) key = hmac(key, part);
  const expected = createHmac('sha256', key).update(stringToSign).digest('hex');
  return { valid: accessKeyId === keys.accessKeyId && expected === signature, scope, signedHeaders };
}
