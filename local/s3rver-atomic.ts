import { createHash, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

/*
 * s3rver 3.7's filesystem store writes an object in place and reports it stored before the bytes are on
 * disk (a Buffer body resolves as soon as it is handed to the write stream; a streamed body when the last
 * chunk has passed its hashing step), and an upload that breaks off leaves a truncated file where the old
 * object was. S3 never shows either: a PUT is atomic. This store method takes the whole body first, writes
 * it beside the object and renames it into place, so a reader sees the old bytes or the new ones, and a
 * broken upload changes nothing. s3rver-list.ts wraps it (it must load after this file).
 */

interface UploadedObject {
  bucket: string;
  key: string;
  content: Buffer | (AsyncIterable<Uint8Array> & { headers?: Record<string, string | undefined> });
  metadata: Record<string, string>;
}

interface Store {
  getResourcePath(bucket: string, key: string, resource: string): string;
  putMetadata(bucket: string, key: string, metadata: Record<string, string>, md5: string): Promise<void>;
  putObject(object: UploadedObject): Promise<{ size: number; md5: string }>;
}

const patched = Symbol.for('seedfeed.s3rverAtomicPut');
const requireFromHere = createRequire(import.meta.url);
const store = (
  requireFromHere('s3rver/lib/stores/filesystem.js') as { prototype: Store & { [patched]?: true } }
).prototype;

/** The whole request body; rejects if the upload broke off or was shorter than it announced. */
export async function wholeBody(content: UploadedObject['content']): Promise<Buffer> {
  if (Buffer.isBuffer(content)) return content;
  const chunks: Buffer[] = [];
  for await (const chunk of content) chunks.push(Buffer.from(chunk));
  const body = Buffer.concat(chunks);
  const announced = content.headers?.['content-length'];
  if (announced !== undefined && Number(announced) !== body.length) {
    throw new Error(`upload ended after ${body.length} of ${announced} bytes`);
  }
  return body;
}

if (!store[patched]) {
  store.putObject = async function (this: Store, object) {
    const body = await wholeBody(object.content);
    const objectPath = this.getResourcePath(object.bucket, object.key, 'object');
    await fs.mkdir(dirname(objectPath), { recursive: true });
    const md5 = createHash('md5').update(body).digest('hex');
    const staged = `${objectPath}.${randomUUID()}.staged`;
    await fs.writeFile(staged, body);
    try {
      await fs.rename(staged, objectPath);
    } catch (error) {
      await fs.rm(staged, { force: true });
      throw error;
    }
    await this.putMetadata(object.bucket, object.key, object.metadata, md5);
    return { size: body.length, md5 };
  };
  store[patched] = true;
}
