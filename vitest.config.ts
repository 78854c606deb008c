import { defineConfig } from 'vitest/config';

// One runner for everything TypeScript: colocated unit specs (*.spec.ts) and the
// browser end-to-end suite (renderer/e2e/*.e2e.ts), which drives Debian's Chromium.
export default defineConfig({
  test: {
    globals: true,
    include: ['{electron,renderer,shared,bench,build}/**/*.spec.ts', 'renderer/e2e/**/*.e2e.ts'],
    exclude: ['node_modules/**', 'out/**', 'resources/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: keep workers at two so heavy DSP/ffmpeg specs don't thrash.
    pool: 'forks',
    maxWorkers: 2,
  },
});
