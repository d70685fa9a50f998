import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

/** The API server during `pnpm dev` (the built SPA is served by the server itself). */
const apiTarget = process.env.API_URL ?? 'http://localhost:3000';

export default defineConfig({
  plugins: [solid()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The emoji data set (emojibase-data, ~570 kB, 86 kB gzipped) is one lazily loaded chunk on purpose.
    chunkSizeWarningLimit: 600,
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      // HTTP queries and mutations, SSE, and the WebSocket upgrade on the same path.
      '/trpc': { target: apiTarget, ws: true, changeOrigin: false },
      // Image uploads and downloads.
      '/api': { target: apiTarget, changeOrigin: false },
    },
  },
});
