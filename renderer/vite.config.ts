/**
 * Renderer build. `vite build --config renderer/vite.config.ts` makes the kiosk app in
 * renderer/dist; `--mode gallery` makes the fixture gallery (every screen from a fixture
 * snapshot, no core) in renderer/dist/gallery for screenshots and accessibility checks only.
 */
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = decodeURIComponent(new URL('.', import.meta.url).pathname);

export default defineConfig(({ mode }) => {
  const gallery = mode === 'gallery';
  return {
    root,
    base: './',
    plugins: [react()],
    build: {
      outDir: gallery ? 'dist/gallery' : 'dist',
      emptyOutDir: true,
      target: 'chrome120',
      // no source map next to the kiosk's bundle: it would be served and packaged with the app
      sourcemap: false,
      rollupOptions: { input: gallery ? `${root}gallery.html` : `${root}index.html` },
    },
    server: {
      host: '127.0.0.1',
      // `vite` dev server in front of a running core: the bridge goes to the web shell.
      proxy: { '/bridge': { target: 'ws://127.0.0.1:7300', ws: true } },
    },
  };
});
