// Site wiring only: MDX chapters, build-time Shiki highlighting in a light and a dark theme, and the dev
// server on the port the README promises. Content lives in content/chapters, schemas in src/course.
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';

export default defineConfig({
  site: 'http://localhost:4321',
  integrations: [mdx()],
  trailingSlash: 'ignore',
  build: { format: 'directory' },
  server: { host: '127.0.0.1', port: 4321 },
  markdown: {
    shikiConfig: {
      // Both themes are emitted as CSS variables; src/layouts/BaseLayout.astro picks one per data-theme.
      themes: { light: 'github-light', dark: 'github-dark' },
      defaultColor: false,
      wrap: false,
    },
  },
  vite: {
    // Lab pages start the sandbox cloud in a Web Worker; ES workers allow code splitting there.
    worker: { format: 'es' },
  },
});
