// Vite build of the web UI: sources in web/, output in dist/web (served by `flywheel up`).
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const api = 'http://127.0.0.1:7070';

export default defineConfig({
  // Resolved from this file, so builds work from any working directory (the browser test builds).
  root: fileURLToPath(new URL('./web', import.meta.url)),
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
  },
  server: {
    proxy: {
      '/api': api,
      '/v2': api,
      '/metrics': api,
    },
  },
});
