import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../lambdas/seedfeed/config.js';

const DEPLOYED = {
  SEEDFEED_SEEDS_BUCKET: 'my-seeds',
  SEEDFEED_FEEDS_BUCKET: 'my-feeds',
  SEEDFEED_PUBLIC_URL: 'https://feeds.example.com/',
};

describe('the distribution id setting', () => {
  it('is optional, as where no CDN serves the files', () => {
    // Act
    const config = loadConfig(DEPLOYED);

    // Assess
    expect(config.distributionId).toBeUndefined();
  });

  it('takes a CloudFront distribution id and refuses anything else', () => {
    // Act
    const config = loadConfig({ ...DEPLOYED, SEEDFEED_DISTRIBUTION_ID: ' E2QWRUHAPOMQZL ' });
    const bad = () => loadConfig({ ...DEPLOYED, SEEDFEED_DISTRIBUTION_ID: 'e2/../x' });

    // Assess
    expect(config.distributionId).toBe('E2QWRUHAPOMQZL');
    expect(bad).toThrow('SEEDFEED_DISTRIBUTION_ID must be a CloudFront distribution id');
  });
});
