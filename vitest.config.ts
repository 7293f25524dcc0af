import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration files each start their own s3rver on a free port, so files may run side by side;
    // two workers match the two cores CI has.
    maxWorkers: 2,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    projects: [
      {
        extends: true,
        test: {
          name: 'records',
          include: ['tests/records/**/*.test.ts'],
          // Each file would import the whole handler again (a second per file, a quarter of the
          // suite's time); these tests keep no state between files but pure memos (support/settled.ts,
          // support/publishing.ts), and no output of theirs depends on a counter of seeds made.
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'isolated',
          include: ['tests/**/*.test.ts'],
          // Readers and the browser are Debian programs, not npm packages: `npm run test:e2e` runs them,
          // so `npm test` needs nothing but npm. (A project's lists add to the root's: none are there.)
          exclude: [...configDefaults.exclude, 'tests/readers/**', 'tests/browser/**', 'tests/records/**'],
        },
      },
    ],
    // `npm run coverage`: the pure core and the record scheme, measured by the tests that need no server
    // (unit, property, records); a drop below these fails the run.
    coverage: {
      provider: 'v8',
      include: ['lambdas/seedfeed/core/**', 'lambdas/seedfeed/publish/**'],
      reporter: ['text-summary', 'text'],
      thresholds: {
        'lambdas/seedfeed/core/**': { statements: 94, branches: 88, functions: 95, lines: 95 },
        'lambdas/seedfeed/publish/**': { statements: 82, branches: 78, functions: 70, lines: 85 },
      },
    },
  },
});
