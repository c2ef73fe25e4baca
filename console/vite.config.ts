// The console is served by the app itself at /api/console (functions/console.ts), from the
// files this build writes into dist/console; the manifest tells the app the build is there.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/api/console/',
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    manifest: true,
    target: 'es2022',
  },
});
