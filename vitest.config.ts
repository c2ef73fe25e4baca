import { defineConfig } from 'vitest/config';

// Integration and e2e tests boot real emulators and hosts on free ports, so they get
// generous timeouts; the machine has 2 cores, so files run at most two at a time.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    fileParallelism: true,
  },
});
