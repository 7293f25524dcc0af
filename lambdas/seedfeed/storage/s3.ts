import { crc32 } from 'node:zlib';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import {
  type Bucket,
  ConditionFailedError,
  type ListedObject,
  type ObjectHeaders,
  type ObjectVersion,
  type StoredObject,
} from './port.js';

/**
 * A PUT as every writer of seedfeed sends it (the function, the local runner, `seedfeed publish`): as
 * bytes with a CRC32 checksum, since the payload is not signed (see client.ts).
 */
export function putObject(
  bucket: string,
  key: string,
  body: Uint8Array | string,
  headers: ObjectHeaders = {},
): PutObjectCommand {
  // Bytes, not a string: the SDK then knows the length and never falls back to chunked streaming.
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32BE(crc32(bytes));
  return new PutObjectCommand({
    Bucket: bucket,
    Key: key,
    Body: bytes,
    // This checksum is what lets S3 reject a damaged upload. CRC32 in zlib is native and several
    // times faster than MD5 or SHA-256.
    ChecksumCRC32: checksum.toString('base64'),
    ContentType: headers.contentType ?? 'application/octet-stream',
    ...(headers.cacheControl ? { CacheControl: headers.cacheControl } : {}),
    ...(headers.ifMatch ? { IfMatch: `"${headers.ifMatch}"` } : {}),
    ...(headers.ifNoneMatch ? { IfNoneMatch: headers.ifNoneMatch } : {}),
  });
}

export class S3Bucket implements Bucket {
  constructor(
    private readonly client: S3Client,
    readonly name: string,
  ) {}

  async get(key: string): Promise<StoredObject | undefined> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.name, Key: key }));
      const body = out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
      return { body, etag: unquote(out.ETag), lastModified: out.LastModified ?? new Date(0) };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async head(key: string): Promise<ObjectVersion | undefined> {
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.name, Key: key }));
      return { etag: unquote(out.ETag), lastModified: out.LastModified ?? new Date(0) };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async put(key: string, body: Uint8Array | string, headers: ObjectHeaders = {}): Promise<string> {
    const command = putObject(this.name, key, body, headers);
    try {
      return unquote((await this.client.send(command)).ETag);
    } catch (error) {
      const conditional = headers.ifMatch !== undefined || headers.ifNoneMatch !== undefined;
      // 412: the condition does not hold; 409: a concurrent conditional write won; 404: If-Match on a
      // key that no longer exists.
      if (conditional && [404, 409, 412].includes(statusOf(error) ?? 0)) {
        throw new ConditionFailedError(`${key} changed before it could be written`, { cause: error });
      }
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.name, Key: key }));
  }

  listFolders(prefix: string): Promise<string[]> {
    return listFolders(this.client, this.name, prefix);
  }

  async list(prefix: string, limit: number, startAfter?: string): Promise<ListedObject[]> {
    const out: ListedObject[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.name,
          Prefix: prefix,
          MaxKeys: Math.min(1000, limit - out.length),
          // S3 ignores StartAfter once a continuation token is given: the token carries on from it.
          ...(token ? { ContinuationToken: token } : startAfter ? { StartAfter: startAfter } : {}),
        }),
      );
      for (const object of page.Contents ?? []) {
        if (object.Key) out.push({ key: object.Key, etag: unquote(object.ETag) });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token && out.length < limit);
    return out;
  }
}

export async function listFolders(client: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const out: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        Delimiter: '/',
        ...(token ? { ContinuationToken: token } : {}),
      }),
    );
    for (const common of page.CommonPrefixes ?? []) {
      if (common.Prefix) out.push(common.Prefix.slice(prefix.length, -1));
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out;
}

/** S3 quotes ETags (and may mark them weak); every caller compares bare values. */
function unquote(etag: string | undefined): string {
  return (etag ?? '').replace(/^W\//, '').replaceAll('"', '');
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

function isMissing(error: unknown): boolean {
  return error instanceof NoSuchKey || error instanceof NotFound || statusOf(error) === 404;
}
