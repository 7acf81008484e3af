// `?embed=1`: the page inside an <iframe> (the widget's fallback for platforms that strip scripts).
// The page's chrome — header, footer, share/export bar — is hidden by the [data-embed] rules in
// components/app/app.css (a stylesheet, not an inline <style>: the page's CSP allows no inline CSS).
export const EMBED = new URLSearchParams(globalThis.location?.search ?? '').get('embed') === '1';

if (EMBED) document.documentElement.dataset.embed = '1';
