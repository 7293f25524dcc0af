import type { S3Client } from '@aws-sdk/client-s3';
import type { SeedOptions } from '../lambdas/seedfeed/core/seed.js';
import { eachLimited } from '../lambdas/seedfeed/each-limited.js';
import { judgeSeed, readSeed } from './check.js';
import { describeError, UploadError } from './errors.js';
import type { SeedFile } from './files.js';
import type { Progress } from './progress.js';
import { type UploadOptions, uploadSeed } from './upload.js';

export interface PublishPlan {
  bucket: string;
  prefix: string;
  concurrency: number;
  upload: UploadOptions;
  /** Given: seeds parseSeed rejects are skipped instead of uploaded. */
  validate?: SeedOptions;
}

export interface Outcome {
  uploaded: string[];
  failed: { key: string; reason: string }[];
  skipped: { file: string; problem: string }[];
}

/** Uploads every file, each failure recorded rather than thrown, so one bad seed never stops the rest. */
export async function publishSeeds(
  client: S3Client,
  files: readonly SeedFile[],
  plan: PublishPlan,
  progress: Progress,
): Promise<Outcome> {
  const outcome: Outcome = { uploaded: [], failed: [], skipped: [] };
  const fail = (key: string, reason: string) => {
    outcome.failed.push({ key, reason });
    progress.failed(key, reason);
  };
  const publishOne = async (file: SeedFile): Promise<void> => {
    const key = `${plan.prefix}${file.name}`;
    let bytes: Uint8Array;
    try {
      const seed = await readSeed(file.path);
      const verdict = plan.validate ? judgeSeed(file.path, seed, plan.validate) : undefined;
      if (verdict && !verdict.valid) {
        outcome.skipped.push({ file: file.path, problem: verdict.problem });
        progress.skipped(file.path, verdict.problem);
        return;
      }
      bytes = seed.bytes;
    } catch (error) {
      return fail(key, `cannot read ${file.path}: ${describeError(error)}`);
    }
    try {
      await uploadSeed(client, { bucket: plan.bucket, key, body: bytes }, plan.upload);
    } catch (error) {
      if (error instanceof UploadError) return fail(key, error.message);
      throw error;
    }
    outcome.uploaded.push(key);
    progress.uploaded(key);
  };
  await eachLimited(files, plan.concurrency, publishOne);
  return outcome;
}
