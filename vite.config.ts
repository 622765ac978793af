import { defineConfig } from 'vite';
import { resolve } from 'node:path';

// Multi-page build of the displays: one HTML entry per app, served by the engine from dist/public.
export default defineConfig({
  root: 'displays',
  publicDir: 'public',
  build: {
    outDir: resolve(import.meta.dirname, 'dist/public'),
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: { input: { index: resolve(import.meta.dirname, 'displays/index.html'),
                              screen: resolve(import.meta.dirname, 'displays/screen/index.html'),
                              console: resolve(import.meta.dirname, 'displays/console/index.html'),
                              associate: resolve(import.meta.dirname, 'displays/associate/index.html'),
                              labels: resolve(import.meta.dirname, 'displays/labels/index.html') } },
  },
});
