import { type Config, DEPLOYMENT_STAND_INS, readConfig } from '../lambdas/seedfeed/config.js';
import type { SeedOptions } from '../lambdas/seedfeed/core/seed.js';
import { UsageError } from './errors.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The settings as the function reads them from the same variables; a bad value is a usage error. */
export function cliConfig(env: Env): Config {
  const { config, problems } = readConfig({ ...env, ...DEPLOYMENT_STAND_INS });
  if (problems.length === 1) throw new UsageError(problems[0] ?? '');
  if (problems.length > 1) throw new UsageError(`invalid seedfeed settings:\n- ${problems.join('\n- ')}`);
  return config;
}

/** The options the Lambda passes to parseSeed, so a seed valid here is valid there. */
export function seedOptions(env: Env): SeedOptions {
  const config = cliConfig(env);
  return {
    maxBytes: config.maxSeedBytes,
    defaultLanguage: config.language,
    horizonDays: config.embargoHorizonDays,
  };
}
