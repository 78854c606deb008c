import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import { devCsp } from './devCsp';

// The renderer bundle for web mode (`npm run build:web`, or built on demand by `formant web`).
// Keep in step with the renderer section of electron.vite.config.ts: same root, plugins and outDir.
// base './' makes the bundle loadable from file:// (Electron) and from / (web mode).
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react(), devCsp()],
  build: {
    outDir: resolve(import.meta.dirname, '..', 'out', 'renderer'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
});
