import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import { devCsp } from './renderer/devCsp';

// One build for the three Electron entry points. The renderer is the same bundle web mode serves.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        // The worker threads are entry points of their own, written next to index.js, where
        // workerClient.ts / griffinLimThreads.ts look for them (electron/services/workers/workerScript.ts).
        input: {
          index: resolve(__dirname, 'electron/main/index.ts'),
          synthesisWorker: resolve(__dirname, 'electron/services/synthesis/worker.ts'),
          griffinLimWorker: resolve(__dirname, 'electron/services/workers/griffinLimWorker.ts'),
          // The trainer's process runner as a file of its own (index.js imports it), so trainerBuilt.spec can start a
          // training through the built code under plain node: the bundle must find resources/trainer and Python.
          trainer: resolve(__dirname, 'electron/services/training/trainerProcess.ts'),
        },
        // Shared code goes into chunks beside them (not a subfolder), so every file's
        // import.meta.url resolves to out/main.
        output: { entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
        external: ['onnxruntime-node', 'ffmpeg-static'],
      },
    },
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
