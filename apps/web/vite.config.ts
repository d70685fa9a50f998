import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import solid from 'vite-plugin-solid';

/**
 * Brotli and gzip copies of the built scripts and styles beside them, made once
 * at build time: the server sends the one the browser accepts (serveStatic's
 * `precompressed`, apps/server/src/app.ts), with no compression per request.
 */
function precompress(): Plugin {
  let outDir = 'dist';
  return {
    name: 'precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    closeBundle() {
      const assets = join(outDir, 'assets');
      for (const name of readdirSync(assets)) {
        if (!/\.(js|css|svg|json)$/.test(name)) continue;
        const body = readFileSync(join(assets, name));
        writeFileSync(
          join(assets, `${name}.br`),
          brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
        );
        writeFileSync(join(assets, `${name}.gz`), gzipSync(body, { level: 9 }));
      }
    },
  };
}

/** The API server during `pnpm dev` (the built SPA is served by the server itself). */
const apiTarget = process.env.API_URL ?? 'http://localhost:3000';

export default defineConfig({
  plugins: [solid(), precompress()],
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
