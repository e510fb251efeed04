import { defineConfig } from 'vitest/config';

// `npm run test:container`: the image's contents built and run without Docker (slow: npm ci compiles better-sqlite3).
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/container/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
