import { describe, expect, it } from 'vitest';
import { loadConfig, toEnvironment } from '../../lambdas/seedfeed/config.js';
import { ConfigError } from '../../lambdas/seedfeed/core/errors.js';

function env(overrides: Record<string, string | undefined> = {}) {
  return {
    SEEDFEED_SEEDS_BUCKET: 'my-seeds',
    SEEDFEED_FEEDS_BUCKET: 'my-feeds',
    SEEDFEED_PUBLIC_URL: 'https://feeds.example.com',
    ...overrides,
  };
}

function failure(values: Record<string, string | undefined>): string {
  try {
    loadConfig(values);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe('loadConfig', () => {
  it('fills defaults that work and normalises base URLs', () => {
    // Act
    const config = loadConfig(env());

    // Assess
    expect(config).toMatchObject({
      seedsPrefix: 'seeds/',
      statePrefix: 'state/',
      publicUrl: 'https://feeds.example.com/',
      siteUrl: 'https://feeds.example.com/',
      itemsPerFeed: 50,
      maxSeedBytes: 1_048_576,
      language: 'en',
    });
  });

  it('lists every problem at once', () => {
    // Act
    const message = failure({
      SEEDFEED_ITEMS_PER_FEED: 'many',
      SEEDFEED_LANGUAGE: 'english please',
      SEEDFEED_AUTHOR_EMAIL: 'nobody',
    });

    // Assess
    expect(message).toContain('SEEDFEED_SEEDS_BUCKET is required');
    expect(message).toContain('SEEDFEED_FEEDS_BUCKET is required');
    expect(message).toContain('SEEDFEED_PUBLIC_URL is required');
    expect(message).toContain('SEEDFEED_ITEMS_PER_FEED must be a whole number from 1 to 900 (got "many")');
    expect(message).toContain('SEEDFEED_LANGUAGE must be a language tag');
    expect(message).toContain('SEEDFEED_AUTHOR_EMAIL must be an e-mail address');
  });

  it('refuses prefixes that would make the function trigger itself', () => {
    expect(failure(env({ SEEDFEED_STATE_PREFIX: 'seeds/state/' }))).toContain('lies inside "seeds/"');
    expect(failure(env({ SEEDFEED_PUBLIC_URL: 'ftp://x' }))).toContain('must be an http(s) URL');
  });

  it('round-trips through the environment it describes', () => {
    // Prepare
    const config = loadConfig(env({ SEEDFEED_FEED_TITLE: 'Daily', SEEDFEED_ITEMS_PER_FEED: '7' }));

    // Act / Assess
    expect(loadConfig(toEnvironment(config))).toEqual(config);
  });
});
