// The Content-Security-Policy of every page the build writes (index.html, accuracy.html and the
// demo post), as a <meta http-equiv> added by the build, first thing in <head>. Only the build:
// the dev server injects CSS as inline <style> and talks to its HMR websocket, which a strict
// policy would block. A <meta> policy cannot set frame-ancestors, report-uri or sandbox; a host
// that wants them sends the same policy as an HTTP header (README, "Security").
import { createHash } from 'node:crypto';

/** Where the page may connect: itself and the Hub (huggingface.co + its CDN hosts, src/lib/hub.js). */
export const HUB_SOURCES = ['https://huggingface.co', 'https://*.huggingface.co', 'https://*.hf.co'];

const sha256 = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** The policy for a page whose inline scripts and styles have these texts (each allowed by hash). */
export function policy({ scripts = [], styles = [] } = {}) {
  return [
    "default-src 'self'",
    // 'wasm-unsafe-eval': compiling the engine's WebAssembly; no 'unsafe-eval' (the Emscripten glue
    // is built with -sDYNAMIC_EXECUTION=0, test/no-eval.test.mjs checks every script).
    `script-src 'self' 'wasm-unsafe-eval'${scripts.map((s) => ` ${sha256(s)}`).join('')}`,
    // No 'unsafe-inline': Vite writes .css files, Preact and uPlot set styles through the CSSOM,
    // the widget adopts a constructed stylesheet into its shadow root.
    `style-src 'self'${styles.map((s) => ` ${sha256(s)}`).join('')}`,
    `connect-src 'self' ${HUB_SOURCES.join(' ')}`,
    "img-src 'self' data:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** The html with the policy's <meta> after <meta charset>, its inline scripts and styles hashed. */
export function withCsp(html) {
  if (/http-equiv=["']?content-security-policy/i.test(html)) return html;
  const scripts = [];
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (/\bsrc\s*=/i.test(m[1]) || /\btype\s*=\s*["']?application\/(?:ld\+)?json/i.test(m[1])) continue; // data, not code
    scripts.push(m[2]);
  }
  const styles = [...html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)].map((m) => m[1]);
  const meta = `<meta http-equiv="Content-Security-Policy" content="${policy({ scripts, styles })}" />`;
  const at = html.search(/<meta\s+charset[^>]*>/i);
  if (at < 0) return html.replace(/<head[^>]*>/i, (h) => `${h}\n    ${meta}`);
  const end = html.indexOf('>', at) + 1;
  return `${html.slice(0, end)}\n    ${meta}${html.slice(end)}`;
}

/** Vite plugin (build only): the policy in every HTML page, after every other HTML transform. */
export function cspPlugin() {
  return {
    name: 'vramcalc-csp',
    apply: 'build',
    enforce: 'post',
    transformIndexHtml: { order: 'post', handler: (html) => withCsp(html) },
  };
}
