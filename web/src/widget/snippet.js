// The embed snippets for a calculator state: the widget (script tag + element) and the iframe
// fallback. Built from the state's attributes (attrs.js) and permalink; never the access token.
import { serialize } from '../lib/permalink.js';
import { stateToAttrs } from './attrs.js';

const escAttr = (s) => String(s).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Text safe inside <script type="application/json"> on any page: no "<" at all, so neither
 * "</script>" nor "<!--" (which would put the HTML parser into the script-data-escaped state, where
 * the closing tag no longer closes and the blog after the snippet disappears) can appear; ">" and
 * "&" too (no "-->" and no character references for any tool that re-parses the snippet), and
 * U+2028/U+2029 (line terminators to older JavaScript parsers). Each becomes its \\u escape, which
 * JSON.parse reads back as the same character inside strings (and "<", ">" and "&" are invalid JSON
 * outside strings either way).
 */
export function inlineJson(text) {
  return String(text).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** @param {object} app createAppState() @param {string} pageUrl the page's URL (location.href) */
export function embedSnippets(app, pageUrl) {
  const base = new URL('./', pageUrl);
  base.search = '';
  base.hash = '';
  const script = new URL('widget/vramcalc-widget.js', base).href;
  const { attrs, config } = stateToAttrs(app);
  const open = `<vramcalc-widget ${attrs.map(([k, v]) => `${k}="${escAttr(v)}"`).join(' ')}>`;
  let body = '';
  if (config) {
    let text = config;
    try {
      text = JSON.stringify(JSON.parse(config)); // one line; the widget re-reads it as JSON
    } catch {
      /* keep the text as the user gave it */
    }
    body = `\n  <script type="application/json">${inlineJson(text)}</script>\n`;
  }
  const widget = `<script src="${script}" defer></script>\n${open}${body}</vramcalc-widget>`;
  const frameUrl = new URL(base);
  frameUrl.search = 'embed=1';
  frameUrl.hash = serialize(app);
  const iframe = `<iframe src="${escAttr(frameUrl.href)}" title="vramcalc — GPU memory calculator" loading="lazy" style="width:100%;max-width:100%;height:760px;border:0"></iframe>`;
  return { widget, iframe, script };
}
