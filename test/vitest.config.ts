import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    projects: [
      { test: { name: 'unit', include: ['test/core/**/*.test.ts', 'test/message-schemas/**/*.test.ts'], environment: 'node' } },
      {
        test: {
          name: 'node',
          include: [
            'test/adapters/**/*.test.ts',
            'test/http/**/*.test.ts',
            'test/runtime/**/*.test.ts',
            'test/cli/**/*.test.ts',
            'test/e2e/**/*.test.ts',
            'test/interop/**/*.test.ts',
            'test/reliability/**/*.test.ts',
          ],
          environment: 'node',
          globalSetup: ['test/helpers/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
