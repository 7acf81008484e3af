// Loads the built engine in node: the module is built for the web (-sENVIRONMENT=web), so it gets
// its bytes through wasmBinary instead of fetch() (shared/toolchain.md §5a, P2/P3).
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const WASM_DIR = process.env.ENGINE_WASM_DIR ?? `${REPO}build/wasm/web/wasm`;
export const CLI = process.env.VRAMCALC_CLI ?? `${REPO}build/native/tools/cli/vramcalc`;

/** The engine's English catalog (engine/messages/en.json: id → template, in the engine's order). */
export const EN_MESSAGES = JSON.parse(await readFile(`${REPO}engine/messages/en.json`, 'utf8'));

/** The module with the English catalog handed over, as the page does right after instantiating it. */
export async function loadEngine() {
  const { default: createVramcalc } = await import(`${WASM_DIR}/vramcalc.mjs`);
  const M = await createVramcalc({ wasmBinary: await readFile(`${WASM_DIR}/vramcalc.wasm`) });
  M.setMessages(Object.values(EN_MESSAGES));
  return M;
}

export const hasCli = () => existsSync(CLI);

/**
 * A CLI JSON value with its object keys spelled as the bindings spell them (snake_case →
 * camelCase, the rule of vram::spell_option(…, Spelling::Js)): the CLI and the bindings print the
 * same view field lists (engine/src/view/views.cpp), each in its own case.
 */
export function camelKeys(v) {
  if (Array.isArray(v)) return v.map(camelKeys);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.replace(/_([a-z])/g, (_, c) => c.toUpperCase()).replace(/_/g, ''), camelKeys(x)]));
}

/** The knob values a page tab starts from (options().tabs[].defaults). */
export function tabDefaults(M, id) {
  const tab = M.options().tabs.find((t) => t.id === id);
  if (!tab) throw new Error(`no tab ${id} in options().tabs`);
  return tab.defaults;
}
