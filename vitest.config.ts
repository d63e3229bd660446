// Unit and service tests (Node); the Playwright e2e tests live in e2e/ and run separately.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20000,
    env: { LOG_LEVEL: 'silent' },
  },
});
