import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';
import { fileURLToPath } from 'node:url';
import { widgetSite, engineAliases } from './vite.widget.js';
import { cspPlugin } from './csp.js';

// The engine module built by CMake (`cmake --preset wasm && cmake --build build/wasm`).
const engineDir =
  process.env.ENGINE_WASM_DIR ?? fileURLToPath(new URL('../build/wasm/web/wasm', import.meta.url));

// Fetch *and compile* the engine's .wasm while the JS downloads and parses, instead of after it:
// an inline script starts WebAssembly.compileStreaming at HTML parse time; the loader instantiates
// the compiled module (engine/loader.js). The first estimate arrives ~30 ms sooner.
const precompileWasm = () => ({
  name: 'vramcalc-precompile-wasm',
  transformIndexHtml: {
    order: 'post',
    handler(html, ctx) {
      if (!ctx.path.endsWith('/index.html')) return html; // accuracy.html runs no engine
      const wasm = Object.keys(ctx.bundle ?? {}).find((f) => f.endsWith('.wasm') && f.includes('vramcalc'));
      if (!wasm) return html;
      const src = `self.__vramcalcWasm=WebAssembly.compileStreaming(fetch(${JSON.stringify(`./${wasm}`)},{credentials:'same-origin'})).catch(function(){return null})`;
      return [{ tag: 'script', children: src, injectTo: 'head' }];
    },
  },
});

export default defineConfig({
  base: './', // relative URLs: dist/ works from any static host and sub-path
  plugins: [preact({ devToolsInProd: false, prefreshEnabled: true }), precompileWasm(), widgetSite(engineDir), cspPlugin()], // widgetSite: + dist/widget/, dist/demo/; cspPlugin: the CSP <meta> (csp.js)
  resolve: { alias: engineAliases(engineDir) },
  server: { fs: { allow: ['..', engineDir] } },
  build: {
    target: 'es2020',
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    // accuracy.html: measured vs estimated (reads accuracy.json, copied from public/)
    rollupOptions: { input: { main: fileURLToPath(new URL('index.html', import.meta.url)), accuracy: fileURLToPath(new URL('accuracy.html', import.meta.url)) } },
  },
});
