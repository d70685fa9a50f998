import { defineConfig } from 'vitest/config';

const exclude = ['**/node_modules/**', '**/dist/**'];

/**
 * unit: pure logic. int: a real database (TEST_DB=pglite|postgres picks which)
 * and a real server. e2e: the built SPA in Debian's Chromium.
 */
export default defineConfig({
  test: {
    // Two cores: argon2 and PGlite are CPU-heavy; keep parallelism modest.
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{apps,packages,load,infra}/**/*.test.ts'],
          exclude: [...exclude, '**/*.int.test.ts', '**/*.e2e.test.ts'],
        },
      },
      {
        test: {
          name: 'int',
          include: ['{apps,packages,load,infra}/**/*.int.test.ts'],
          exclude,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['apps/web/e2e/**/*.e2e.test.ts', 'load/test/**/*.e2e.test.ts'],
          exclude,
          testTimeout: 90_000,
          hookTimeout: 90_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
