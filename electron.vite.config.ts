import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import { devCsp } from './renderer/devCsp';

// One build for the three Electron entry points. The renderer is the same bundle web mode serves.
export default defineConfig({
  main: {
    build: { outDir: 'out/main', rollupOptions: { input: resolve(__dirname, 'electron/main/index.ts'), external: ['onnxruntime-node', 'ffmpeg-static', 'fluent-ffmpeg'] } },
  },
  preload: {
    // Sandboxed preloads must be CommonJS.
    build: { outDir: 'out/preload', rollupOptions: { input: resolve(__dirname, 'electron/preload/index.ts'), output: { format: 'cjs', entryFileNames: '[name].cjs' } } },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    plugins: [react(), devCsp()],
    build: { outDir: resolve(__dirname, 'out/renderer'), rollupOptions: { input: resolve(__dirname, 'renderer/index.html') } },
  },
});
