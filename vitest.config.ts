import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';
import { SummaryLineReporter } from './test/summary-reporter.js';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

export default defineConfig({
  test: {
    reporters: ['default', new SummaryLineReporter()],
    projects: [
      { test: { name: 'unit', environment: 'node',
          include: ['engine/**/*.test.ts', 'models/**/*.test.ts', 'gateways/**/*.test.ts', 'scripts/**/*.test.ts'] } },
      // Engines subscribe to every store's topics on the shared broker: one engine test file at a time.
      { test: { name: 'integration', environment: 'node', include: ['test/integration/**/*.test.ts'], fileParallelism: false,
          testTimeout: 30_000, hookTimeout: 30_000, globalSetup: ['test/helpers/global-setup.ts'] } },
      // Real engine processes, a private Mosquitto and a private Redis per case, killed and restarted on purpose (docs/delivery.md).
      { test: { name: 'fault', environment: 'node', include: ['test/fault/**/*.test.ts'], fileParallelism: false,
          testTimeout: 120_000, hookTimeout: 60_000 } },
      // Scale-out on real processes: a private Redis Cluster (test/fault/harness/redis-cluster.ts), several engine instances.
      { test: { name: 'scale', environment: 'node', include: ['test/scale/**/*.test.ts'], fileParallelism: false,
          testTimeout: 120_000, hookTimeout: 60_000 } },
      { test: { name: 'e2e', environment: 'node', include: ['test/e2e/**/*.test.ts'], fileParallelism: false,
          testTimeout: 60_000, hookTimeout: 60_000, globalSetup: ['test/helpers/global-setup.ts'] } },
      { test: { name: 'fuzz', environment: 'node', include: ['test/fuzz/**/*.test.ts'], fileParallelism: false, testTimeout: 600_000, hookTimeout: 60_000, globalSetup: ['test/helpers/global-setup.ts'] } },
      { test: {
          name: 'browser',
          include: ['displays/**/*.browser.test.ts'],
          browser: {
            enabled: true, headless: true,
            provider: playwright({ launchOptions: { executablePath: chromiumPath, args: chromiumArgs } }),
            instances: [{ browser: 'chromium' }],
          } } },
    ],
  },
});
