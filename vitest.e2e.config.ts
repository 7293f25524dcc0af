import { defineConfig } from 'vitest/config';

// Tests that drive programs installed from Debian (feedparser, newsboat, Chromium): `npm run test:e2e`,
// which .ci/run runs after installing the packages. `npm test` needs nothing but npm.
export default defineConfig({
  test: {
    include: ['tests/readers/**/*.test.ts', 'tests/browser/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    maxWorkers: 1,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
