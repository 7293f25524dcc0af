import { SETTINGS } from '../lambdas/seedfeed/config.js';
import { ConfigError } from '../lambdas/seedfeed/core/errors.js';
import type { SeedOptions } from '../lambdas/seedfeed/core/seed.js';
import { UsageError } from './errors.js';

type Env = Readonly<Record<string, string | undefined>>;

interface Definition<T> {
  env: string;
  fallback?: T;
  parse(raw: string, name: string): T;
}

/**
 * One setting read the way loadConfig reads it (same variable, parser and fallback), without
 * loadConfig's demand for the bucket names and URLs that only a deployment knows.
 */
export function setting<T>(definition: Definition<T>, env: Env): T {
  const raw = env[definition.env];
  if (raw !== undefined && raw.trim() !== '') {
    try {
      return definition.parse(raw, definition.env);
    } catch (error) {
      if (error instanceof ConfigError) throw new UsageError(error.message, { cause: error });
      throw error;
    }
  }
  if (definition.fallback === undefined) throw new UsageError(`${definition.env} has no default`);
  return definition.fallback;
}

/** The options the Lambda passes to parseSeed, so a seed valid here is valid there. */
export function seedOptions(env: Env): SeedOptions {
  return { maxBytes: setting(SETTINGS.maxSeedBytes, env), defaultLanguage: setting(SETTINGS.language, env) };
}
