import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../out/renderer',
    emptyOutDir: true,
    sourcemap: false,
    // Everything the window runs is served by the app itself (CSP: script-src 'self').
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
