/** What the publisher needs of a bucket. One instance per bucket; S3 on AWS and locally. */
export interface Bucket {
  readonly name: string;
  get(key: string): Promise<StoredObject | undefined>;
  head(key: string): Promise<ObjectVersion | undefined>;
  /**
   * Resolves to the stored object's ETag. With a condition, rejects with ConditionFailedError when the
   * object is not (or no longer) in the state the condition names, as S3's conditional writes do.
   */
  put(key: string, body: Uint8Array | string, headers?: ObjectHeaders): Promise<string>;
  /** Deleting a missing key succeeds, as on S3. */
  delete(key: string): Promise<void>;
  /**
   * Keys in lexicographic order, at most `limit` of them; with `startAfter`, only keys after it (S3's
   * ListObjectsV2 StartAfter: any string, not necessarily a key).
   */
  list(prefix: string, limit: number, startAfter?: string): Promise<ListedObject[]>;
  /** The next path segments below `prefix` (a LIST with a '/' delimiter), without the prefix. */
  listFolders(prefix: string): Promise<string[]>;
}

export interface ObjectVersion {
  /** Without S3's quotes. */
  etag: string;
  lastModified: Date;
}

export interface StoredObject extends ObjectVersion {
  body: Uint8Array;
}

export interface ListedObject {
  key: string;
  etag: string;
}

export interface ObjectHeaders {
  contentType?: string;
  cacheControl?: string;
  /** Write only over this ETag (S3's If-Match on PUT). */
  ifMatch?: string;
  /** Write only where no object is (S3's If-None-Match: *). */
  ifNoneMatch?: '*';
}

/** A conditional write found the object in another state: someone else wrote or deleted it. */
export class ConditionFailedError extends Error {
  override readonly name = 'ConditionFailedError';
}
