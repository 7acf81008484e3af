// The embeddable widget, built by the same `vite build` as the page: after the page's bundle is
// written, a Vite library build of src/widget/index.js writes
//   dist/widget/vramcalc-widget.js   classic script (IIFE): <script src=…>
//   dist/widget/vramcalc-widget.mjs  ES module:           <script type=module src=…>
//   dist/widget/vramcalc.wasm        the engine, found next to whichever script loaded it
// and web/demo/ is copied to dist/demo/ (the demo blog post, with the page's CSP: csp.js).
import { build, transformWithEsbuild } from 'vite';
import preact from '@preact/preset-vite';
import { cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { withCsp } from './csp.js';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Import aliases of the page and the widget: @engine, the module CMake builds; @messages, the engine's message catalogs. */
export const engineAliases = (engineDir) => ({ '@engine': engineDir, '@messages': fileURLToPath(new URL('../engine/messages', import.meta.url)) });

const WASM_URL = '\0vramcalc:wasm-url';
const HUB_STUB = '\0vramcalc:hub-stub';

/** Engine wiring for the library build (see the comments inside). */
function widgetEngine(engineDir) {
  return {
    name: 'vramcalc-widget-engine',
    enforce: 'pre',
    async resolveId(id, importer) {
      // loader.js imports the .wasm URL; here it is the file beside the script, at run time.
      if (/vramcalc\.wasm\?url$/.test(id)) return WASM_URL;
      // Component stylesheets go into the shadow root (widget.jsx imports them ?inline), not into
      // a separate .css file: a plain import becomes an unused string.
      if (/\.css$/.test(id) && importer && !importer.startsWith('\0')) return this.resolve(`${id}?inline`, importer, { skipSelf: true });
      // Hub loading (lib/hub.js, reachable through app-state.js) stays on the page: an IIFE cannot
      // lazy-load @huggingface/hub, and a widget takes a config instead.
      if (id === '@huggingface/hub') return HUB_STUB;
      return null;
    },
    load(id) {
      // import.meta.url: the .mjs's own URL; in the IIFE Rollup writes document.currentScript.src
      // (captured when the script runs). A variable, not a literal, so Vite leaves it alone.
      if (id === WASM_URL) return `const file = 'vramcalc.wasm';\nexport default new URL(file, import.meta.url).href;`;
      if (id === HUB_STUB) {
        return `const no = async () => { throw new Error('the Hub is not available in the widget: give it the config'); };
export const downloadFile = no, modelInfo = no;`;
      }
      return null;
    },
    transform(code, id) {
      // The Emscripten glue's fallback `new URL("vramcalc.wasm", import.meta.url)` (unused: the
      // loader passes locateFile) would make Vite inline the .wasm as base64 in a library build.
      if (!id.endsWith('vramcalc.mjs')) return null;
      return code.replace(/new URL\((["'])vramcalc\.wasm\1,\s*import\.meta\.url\)/g, 'new URL("vramcalc.wasm",document.baseURI)');
    },
    async generateBundle(options, bundle) {
      // Vite keeps whitespace in a library's ES output (for pure annotations): minify it like the IIFE.
      if (options.format === 'es') {
        for (const chunk of Object.values(bundle)) {
          if (chunk.type !== 'chunk') continue;
          chunk.code = (await transformWithEsbuild(chunk.code, chunk.fileName, { minify: true, format: 'esm', target: 'es2020' })).code;
        }
      }
      this.emitFile({ type: 'asset', fileName: 'widget/vramcalc.wasm', source: readFileSync(resolve(engineDir, 'vramcalc.wasm')) });
    },
  };
}

export function widgetConfig({ root, engineDir, outDir }) {
  return {
    configFile: false,
    root,
    base: './',
    logLevel: 'warn',
    publicDir: false,
    plugins: [preact({ devToolsInProd: false, prefreshEnabled: false }), widgetEngine(engineDir)],
    resolve: { alias: engineAliases(engineDir) },
    build: {
      outDir,
      emptyOutDir: false,
      target: 'es2020',
      reportCompressedSize: false,
      minify: 'esbuild',
      lib: {
        entry: resolve(root, 'src/widget/index.js'),
        name: 'VramcalcWidget',
        formats: ['es', 'iife'],
        fileName: (format) => (format === 'es' ? 'widget/vramcalc-widget.mjs' : 'widget/vramcalc-widget.js'),
      },
      rollupOptions: { output: { inlineDynamicImports: true } },
    },
  };
}

/** Plugin for the page's vite.config.js: build the widget and copy the demo after the page. */
export function widgetSite(engineDir) {
  let cfg;
  return {
    name: 'vramcalc-widget-site',
    apply: 'build',
    configResolved(c) {
      cfg = c;
    },
    async closeBundle() {
      const outDir = resolve(cfg.root, cfg.build.outDir);
      await build(widgetConfig({ root: cfg.root, engineDir, outDir }));
      const demo = resolve(cfg.root, 'demo');
      if (!existsSync(demo)) return;
      cpSync(demo, resolve(outDir, 'demo'), { recursive: true });
      // The demo post runs under the page's strict policy too: a blog can embed the widget with it.
      for (const f of readdirSync(resolve(outDir, 'demo')).filter((n) => n.endsWith('.html'))) {
        const file = resolve(outDir, 'demo', f);
        writeFileSync(file, withCsp(readFileSync(file, 'utf8')));
      }
    },
  };
}
