// The one loader: instantiates the WebAssembly engine once; every component and calculator
// instance shares the same module. No numbers are computed in JS: everything comes from here.
import createVramcalc from '@engine/vramcalc.mjs';
import wasmUrl from '@engine/vramcalc.wasm?url';

let enginePromise;

/**
 * @param {{wasmUrl?: string}} [options] where the .wasm is (the widget passes its `wasm-url`);
 *   only the first call's choice counts, as there is one instance per page.
 * @returns {Promise<object>} the Embind module (version, catalogModels, params, …)
 */
export function loadEngine({ wasmUrl: url = wasmUrl } = {}) {
  if (enginePromise) return enginePromise;
  // index.html may have started compiling the module already (vite.config.js precompileWasm).
  const precompiled = url === wasmUrl ? globalThis.__vramcalcWasm : null;
  let failed;
  const failure = new Promise((_, reject) => (failed = reject));
  const options = { locateFile: (path, prefix) => (path.endsWith('.wasm') ? url : prefix + path) };
  if (precompiled)
    options.instantiateWasm = (imports, receive) => {
      precompiled
        .then((module) =>
          module
            ? WebAssembly.instantiate(module, imports)
            : WebAssembly.instantiateStreaming(fetch(url, { credentials: 'same-origin' }), imports).then((r) => r.instance),
        )
        .then((instance) => receive(instance), failed);
      return {};
    };
  enginePromise = Promise.race([createVramcalc(options), failure]);
  return enginePromise;
}
