import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface RemoteS3 {
  endpoint: string;
  stop(): Promise<void>;
}

export class RemoteS3Error extends Error {
  override readonly name = 'RemoteS3Error';
}

const SERVER = fileURLToPath(new URL('./server.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Starts bench/server.ts under tsx and waits (at most 30 s) for the endpoint it prints. */
export function startRemoteS3(): Promise<RemoteS3> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  return new Promise((resolve, reject) => {
    let output = '';
    let errors = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new RemoteS3Error(`s3rver did not start within 30 s: ${errors}`));
    }, 30_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n')[0];
      if (!output.includes('\n') || line === undefined) return;
      clearTimeout(timer);
      try {
        const { endpoint } = JSON.parse(line) as { endpoint: string };
        resolve({ endpoint, stop: () => stopChild(child) });
      } catch (cause) {
        child.kill();
        reject(new RemoteS3Error(`unexpected output from the s3rver process: ${line}`, { cause }));
      }
    });
    child.on('error', (cause) => {
      clearTimeout(timer);
      reject(new RemoteS3Error('could not start the s3rver process', { cause }));
    });
  });
}

/** Closing stdin asks the server to clean up; SIGKILL only if it has not gone after 10 s. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.stdin?.end();
  });
}
