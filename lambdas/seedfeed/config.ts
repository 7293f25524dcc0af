import { ConfigError } from './core/errors.js';
import { collapseWhitespace, stripXmlIllegal } from './core/text.js';

/**
 * The one definition of seedfeed's settings. The Lambda reads them from SEEDFEED_* environment variables,
 * the CDK stack from context keys of the same name and writes them into the function's environment, and
 * the local runner fills in what only it knows (buckets, URLs). Adding a setting here adds it everywhere.
 */
export interface Config {
  seedsBucket: string;
  feedsBucket: string;
  /** Seeds live under this prefix; only events for it reach the function. */
  seedsPrefix: string;
  /** Private per-item records, in the seeds bucket but outside the seeds prefix, so never re-triggering. */
  statePrefix: string;
  /** Private reports of rejected seeds, one per seed, for operators. */
  rejectedPrefix: string;
  /** Where the feeds bucket is served publicly, ending in '/': feeds link to themselves with it. */
  publicUrl: string;
  /** The CloudFront distribution in front of the feeds bucket, whose copies are invalidated on change. */
  distributionId?: string;
  /** Which batches invalidate the CDN's copies: every batch that writes files, or only takedowns. */
  cdnInvalidation: 'changes' | 'takedowns';
  siteUrl: string;
  feedTitle: string;
  feedDescription: string;
  language: string;
  authorName: string;
  authorEmail?: string;
  authorUrl?: string;
  /** Square image for the feed (JSON Feed `icon`, Atom `logo`, RSS `image`). */
  iconUrl?: string;
  /** Small image for the feed (JSON Feed `favicon`, Atom `icon`). */
  faviconUrl?: string;
  /** Feeds and a page per category under categories/<name>/. */
  categoryFeeds: boolean;
  /** Monthly archive feeds under archive/<yyyy-mm>/, linked per RFC 5005. */
  archives: boolean;
  /** Feeds per author (from bylines) under `authors/<name>/`. */
  authorFeeds: boolean;
  /** A WebSub hub: feeds advertise it and the publisher pings it after each change. */
  hubUrl?: string;
  /** Feeds carry each article's summary and link instead of its body (jekyll-feed's `excerpt_only`). */
  excerptOnly: boolean;
  /** The publication's name as Google News shows it, for the news sitemap (default: the feed title). */
  newsPublicationName?: string;
  itemsPerFeed: number;
  maxSeedBytes: number;
  /** Largest feed file: the oldest items are left out to stay within it. */
  maxFeedBytes: number;
  cacheMaxAgeSeconds: number;
  /** A publish date more than this many days after its upload is rejected as a typo (year 2199). */
  embargoHorizonDays: number;
  /** Minutes between sweeps that publish embargoed seeds once due and move the sitemap's window on. */
  sweepMinutes: number;
}

type Parse<T> = (raw: string, name: string) => T;

interface Setting<K extends keyof Config> {
  env: string;
  /** Set by the deployment (bucket names, URLs), not by the operator's context. */
  derived?: boolean;
  /** A derived setting that some deployments lack (`npm start` has no CDN). */
  optional?: boolean;
  fallback?: Config[K];
  describe: string;
  parse: Parse<NonNullable<Config[K]>>;
}

const text: Parse<string> = (raw) => collapseWhitespace(stripXmlIllegal(raw));
const prefix: Parse<string> = (raw, name) => {
  const value = raw.trim();
  if (!/^[A-Za-z0-9!_.*'()-]+(?:\/[A-Za-z0-9!_.*'()-]+)*\/$/.test(value)) {
    throw new ConfigError(`${name} must be a key prefix such as "seeds/" (got "${raw}")`);
  }
  return value;
};
const url: Parse<string> = (raw, name) => {
  let parsed: URL;
  try {
    parsed = new URL(raw.trim());
  } catch (cause) {
    throw new ConfigError(`${name} must be an absolute URL (got "${raw}")`, { cause });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new ConfigError(`${name} must be an http(s) URL (got "${raw}")`);
  }
  return parsed.href;
};
/** A base URL other URLs are resolved against: without the trailing slash its last segment would be lost. */
const baseUrl: Parse<string> = (raw, name) => {
  const href = url(raw, name);
  return href.endsWith('/') ? href : `${href}/`;
};
const integer =
  (min: number, max: number): Parse<number> =>
  (raw, name) => {
    const value = Number(raw.trim());
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new ConfigError(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
    }
    return value;
  };
const flag: Parse<boolean> = (raw, name) => {
  const value = raw.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(value)) return true;
  if (['false', '0', 'no', 'off'].includes(value)) return false;
  throw new ConfigError(`${name} must be true or false (got "${raw}")`);
};
const language: Parse<string> = (raw, name) => {
  const value = raw.trim();
  if (!/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/.test(value)) {
    throw new ConfigError(`${name} must be a language tag such as "en" or "zh-CN" (got "${raw}")`);
  }
  return value;
};
const email: Parse<string> = (raw, name) => {
  const value = raw.trim();
  if (!/^[^\s@<>()]+@[^\s@<>()]+\.[^\s@<>()]+$/.test(value)) {
    throw new ConfigError(`${name} must be an e-mail address (got "${raw}")`);
  }
  return value;
};
const bucket: Parse<string> = (raw, name) => {
  const value = raw.trim();
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(value)) {
    throw new ConfigError(`${name} must be an S3 bucket name (got "${raw}")`);
  }
  return value;
};

export const SETTINGS: { [K in keyof Config]-?: Setting<K> } = {
  seedsBucket: {
    env: 'SEEDFEED_SEEDS_BUCKET',
    derived: true,
    describe: 'private bucket of seeds',
    parse: bucket,
  },
  feedsBucket: {
    env: 'SEEDFEED_FEEDS_BUCKET',
    derived: true,
    describe: 'public bucket of feeds',
    parse: bucket,
  },
  seedsPrefix: {
    env: 'SEEDFEED_SEEDS_PREFIX',
    fallback: 'seeds/',
    describe: 'key prefix of seeds',
    parse: prefix,
  },
  statePrefix: {
    env: 'SEEDFEED_STATE_PREFIX',
    fallback: 'state/',
    describe: 'key prefix of records',
    parse: prefix,
  },
  rejectedPrefix: {
    env: 'SEEDFEED_REJECTED_PREFIX',
    fallback: 'rejected/',
    describe: 'key prefix of rejection reports',
    parse: prefix,
  },
  publicUrl: {
    env: 'SEEDFEED_PUBLIC_URL',
    derived: true,
    describe: 'public URL of the feeds',
    parse: baseUrl,
  },
  distributionId: {
    env: 'SEEDFEED_DISTRIBUTION_ID',
    derived: true,
    optional: true,
    describe: 'CloudFront distribution of the feeds',
    parse: (raw, name) => {
      const value = raw.trim();
      if (!/^[A-Z0-9]{1,64}$/.test(value))
        throw new ConfigError(
          `${name} must be a CloudFront distribution id such as "E2QWRUHAPOMQZL" (got "${raw}")`,
        );
      return value;
    },
  },
  // Every invalidated path past 1,000 a month costs USD 0.005 (docs/deploy.md, "CDN invalidations").
  cdnInvalidation: {
    env: 'SEEDFEED_CDN_INVALIDATION',
    fallback: 'takedowns',
    describe: 'which batches invalidate the CDN: changes or takedowns',
    parse: (raw, name) => {
      const value = raw.trim().toLowerCase();
      if (value !== 'changes' && value !== 'takedowns')
        throw new ConfigError(`${name} must be "changes" or "takedowns" (got "${raw}")`);
      return value;
    },
  },
  siteUrl: {
    env: 'SEEDFEED_SITE_URL',
    describe: 'home page the feeds describe (default: publicUrl)',
    parse: baseUrl,
  },
  feedTitle: { env: 'SEEDFEED_FEED_TITLE', fallback: 'seedfeed', describe: 'feed title', parse: text },
  feedDescription: {
    env: 'SEEDFEED_FEED_DESCRIPTION',
    fallback: 'Articles published with seedfeed',
    describe: 'feed description',
    parse: text,
  },
  language: { env: 'SEEDFEED_LANGUAGE', fallback: 'en', describe: 'default language tag', parse: language },
  authorName: {
    env: 'SEEDFEED_AUTHOR_NAME',
    fallback: 'seedfeed',
    describe: 'author of the feed',
    parse: text,
  },
  authorEmail: { env: 'SEEDFEED_AUTHOR_EMAIL', describe: "author's e-mail address", parse: email },
  authorUrl: { env: 'SEEDFEED_AUTHOR_URL', describe: "author's home page", parse: url },
  iconUrl: { env: 'SEEDFEED_ICON_URL', describe: 'square feed image URL', parse: url },
  faviconUrl: { env: 'SEEDFEED_FAVICON_URL', describe: 'small feed icon URL', parse: url },
  // Off by default: each costs S3 requests on every upload (see README, "Performance").
  categoryFeeds: {
    env: 'SEEDFEED_CATEGORY_FEEDS',
    fallback: false,
    describe: 'feeds per category',
    parse: flag,
  },
  archives: { env: 'SEEDFEED_ARCHIVES', fallback: false, describe: 'monthly archive feeds', parse: flag },
  authorFeeds: {
    env: 'SEEDFEED_AUTHOR_FEEDS',
    fallback: false,
    describe: 'feeds per author',
    parse: flag,
  },
  hubUrl: { env: 'SEEDFEED_HUB_URL', describe: 'WebSub hub to advertise and notify', parse: url },
  excerptOnly: {
    env: 'SEEDFEED_EXCERPT_ONLY',
    fallback: false,
    describe: 'feeds carry summaries, not whole articles',
    parse: flag,
  },
  newsPublicationName: {
    env: 'SEEDFEED_NEWS_PUBLICATION_NAME',
    describe: 'publication name in the Google News sitemap (default: feedTitle)',
    parse: text,
  },
  itemsPerFeed: {
    env: 'SEEDFEED_ITEMS_PER_FEED',
    fallback: 50,
    describe: 'newest items kept in each feed',
    parse: integer(1, 900),
  },
  maxSeedBytes: {
    env: 'SEEDFEED_MAX_SEED_BYTES',
    fallback: 1_048_576,
    describe: 'largest seed accepted, in bytes',
    parse: integer(1_024, 50 * 1_048_576),
  },
  maxFeedBytes: {
    env: 'SEEDFEED_MAX_FEED_BYTES',
    fallback: 1_048_576,
    describe: 'largest feed file, in bytes',
    parse: integer(16_384, 50 * 1_048_576),
  },
  cacheMaxAgeSeconds: {
    env: 'SEEDFEED_CACHE_MAX_AGE',
    fallback: 300,
    describe: 'Cache-Control max-age of feeds, in seconds',
    parse: integer(0, 86_400),
  },
  embargoHorizonDays: {
    env: 'SEEDFEED_EMBARGO_HORIZON_DAYS',
    fallback: 366,
    describe: 'furthest publish date after its upload, in days (later ones are rejected)',
    parse: integer(1, 3_660),
  },
  sweepMinutes: {
    env: 'SEEDFEED_SWEEP_MINUTES',
    fallback: 5,
    describe: 'minutes between sweeps that publish embargoed seeds when due',
    parse: integer(1, 1_440),
  },
};

/**
 * Reads and validates every setting at once, so a bad deployment fails at start-up with every problem
 * listed, not on the first event with one of them.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const { config, problems } = readConfig(env);
  if (problems.length > 0)
    throw new ConfigError(`invalid seedfeed configuration:\n- ${problems.join('\n- ')}`);
  return config;
}

/**
 * Stand-ins for the settings only a deployment knows (its buckets and public URL), for readers that
 * check every other setting before one exists: the stack at synth time (the real values are tokens),
 * the CLI (which writes no feeds).
 */
export const DEPLOYMENT_STAND_INS: Readonly<Record<string, string>> = {
  [SETTINGS.seedsBucket.env]: 'stand-in-seeds',
  [SETTINGS.feedsBucket.env]: 'stand-in-feeds',
  [SETTINGS.publicUrl.env]: 'https://stand-in.invalid/',
};

/**
 * The one reader of SETTINGS: raw strings (the environment, or the stack's context under the same
 * variable names) → every setting parsed once, with each problem named by `label` (the variable, or
 * the context key the operator wrote). The config is complete only when there are no problems.
 */
export function readConfig(
  env: Readonly<Record<string, string | undefined>>,
  label: (key: keyof Config, variable: string) => string = (_key, variable) => variable,
): { config: Config; problems: string[] } {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, setting] of Object.entries(SETTINGS) as [keyof Config, Setting<keyof Config>][]) {
    const raw = env[setting.env];
    if (raw === undefined || raw.trim() === '') {
      if (setting.fallback !== undefined) values[key] = setting.fallback;
      else if (setting.derived && !setting.optional)
        problems.push(`${setting.env} is required (${setting.describe})`);
      continue;
    }
    try {
      values[key] = setting.parse(raw, label(key, setting.env));
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  values.siteUrl ??= values.publicUrl;
  const config = values as unknown as Config;
  if (problems.length === 0) problems.push(...overlaps(config));
  return { config, problems };
}

/** Records under the seeds prefix would trigger the function that wrote them, forever. */
function overlaps(config: Config): string[] {
  const prefixes = [config.seedsPrefix, config.statePrefix, config.rejectedPrefix];
  const problems: string[] = [];
  for (const a of prefixes) {
    for (const b of prefixes) {
      if (a !== b && b.startsWith(a))
        problems.push(`prefix "${b}" lies inside "${a}"; they must be disjoint`);
    }
  }
  if (new Set(prefixes).size !== prefixes.length)
    problems.push('seeds, state and rejected prefixes must differ');
  return problems;
}

/** The environment the function needs for a given set of values: used by the stack and the local run. */
export function toEnvironment(values: Partial<Config>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, setting] of Object.entries(SETTINGS) as [keyof Config, Setting<keyof Config>][]) {
    const value = values[key];
    if (value !== undefined) env[setting.env] = String(value);
  }
  return env;
}
