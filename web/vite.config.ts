// Vite build of the staff console (/console) and the borrower portal (/portal): one single-page app
// rooted at web/, built to web/dist, which `kuan serve` serves at `/`. In development (`vite --config
// web/vite.config.ts`) the API is proxied to a `kuan serve` on 127.0.0.1:4000.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // antd and echarts are large; split them so the first paint does not wait for both.
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/ },
            { name: 'vendor', test: /node_modules[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: 'http://127.0.0.1:4000', changeOrigin: false },
      '/openapi.json': { target: 'http://127.0.0.1:4000', changeOrigin: false },
    },
  },
});
