import { retry as again } from '../../lambdas/seedfeed/retry.js';
import type { Bucket } from '../../lambdas/seedfeed/storage/port.js';

/**
 * The uploader's and the checker's side of a test is not what is under test; when the loaded
 * in-process s3rver resets a connection more often than the SDK retries, they try again, as a person
 * re-running an upload would. The function instances get no such help.
 */
export function patient(bucket: Bucket, tries = 4): Bucket {
  const delaysMs = Array.from({ length: tries - 1 }, (_, i) => 50 * (i + 1));
  const retry = <T>(work: () => Promise<T>): Promise<T> => again(work, { delaysMs });
  return {
    name: bucket.name,
    get: (key) => retry(() => bucket.get(key)),
    head: (key) => retry(() => bucket.head(key)),
    put: (key, body, headers) => retry(() => bucket.put(key, body, headers)),
    delete: (key) => retry(() => bucket.delete(key)),
    list: (prefix, limit, startAfter) => retry(() => bucket.list(prefix, limit, startAfter)),
    listFolders: (prefix) => retry(() => bucket.listFolders(prefix)),
  };
}
