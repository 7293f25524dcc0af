import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../cdk/build.js';
import { editDistance } from '../../cdk/context-keys.js';
import { runNode } from './node-process.js';
import { cdkContext } from './synth.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CDK_CLI = fileURLToPath(new URL('../../node_modules/aws-cdk/bin/cdk', import.meta.url));

function synthMessage(context: Record<string, unknown>): string | undefined {
  try {
    buildApp({ context: cdkContext({ ...context, 'aws:cdk:bundling-stacks': [] }) });
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  return undefined;
}

/** The real CLI, offline: it adds its own aws:cdk:* keys, which must not count as typos. */
function cdkSynth(args: string[], out: string): ReturnType<typeof runNode> {
  return runNode([CDK_CLI, 'synth', '--no-notices', '-o', out, ...args], {
    cwd: ROOT,
    env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' },
  });
}

describe('unknown context keys', () => {
  it('fail synth with the nearest known name, settings and stack options alike', () => {
    // Act
    const message = synthMessage({ feedTitel: 'Nouvelles', maxConcurency: '4', itemsperfeed: '10' });

    // Assess
    expect(message).toContain('unknown setting feedTitel (did you mean feedTitle?)');
    expect(message).toContain('unknown setting maxConcurency (did you mean maxConcurrency?)');
    expect(message).toContain('unknown setting itemsperfeed (did you mean itemsPerFeed?)');
  });

  it('guess nothing when no name is close', () => {
    // Act
    const message = synthMessage({ colour: 'blue' });

    // Assess
    expect(message).toContain('unknown setting colour');
    expect(message).not.toContain('did you mean');
  });

  it("pass CDK's own keys: feature flags, CLI switches, acknowledgements and cached lookups", () => {
    // Act
    const message = synthMessage({
      '@aws-cdk/core:someFutureFlag': true,
      'aws:cdk:enable-path-metadata': true,
      'acknowledged-issue-numbers': [32775],
      'cli-telemetry': false,
      'availability-zones:account=123456789012:region=eu-west-1': ['eu-west-1a'],
    });

    // Assess
    expect(message).toBeUndefined();
  });

  it('fail `cdk synth` itself, naming the one misspelt key and nothing the CLI added', async () => {
    // Prepare
    const out = await mkdtemp(join(tmpdir(), 'seedfeed-cdk-out-'));

    // Act
    try {
      const run = await cdkSynth(['-c', 'feedTitel=Nouvelles'], out);

      // Assess
      expect(run.code, run.output).not.toBe(0);
      expect(run.output).toContain('unknown setting feedTitel (did you mean feedTitle?)');
      expect(run.output.match(/unknown setting/g)).toHaveLength(1);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and a swap of neighbours as one edit each', () => {
    // Assess
    expect(editDistance('feedTitel', 'feedTitle')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });
});
