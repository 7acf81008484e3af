// Quick look while working on the layout: screenshots of the default page at 1280 and 360 px, en and
// zh-CN, light and dark (e2e-artifacts/quick/), and where the verdict ends on the first screen.
// Not part of run.mjs: `node e2e/quick-shots.mjs [hash]`.
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { startPreview, launch, WEB_DIR } from './lib.mjs';

const OUT = join(WEB_DIR, 'e2e-artifacts/quick');
mkdirSync(OUT, { recursive: true });
const extra = process.argv[2] ?? '';
const srv = await startPreview(4176);
const b = await launch();
try {
  const page = b.ctx.pages()[0] ?? (await b.ctx.newPage());
  for (const [w, h] of [[1280, 900], [360, 800]])
    for (const lang of ['en', 'zh-CN'])
      for (const scheme of ['light', 'dark']) {
        if (scheme === 'dark' && lang === 'zh-CN') continue;
        await page.setViewportSize({ width: w, height: h });
        await page.emulateMedia({ colorScheme: scheme });
        await page.goto('about:blank');
        await page.goto(`${srv.url}#lang=${lang}${extra ? `&${extra}` : ''}`);
        await page.getByTestId('report-total').waitFor({ timeout: 15000 });
        await page.waitForTimeout(400);
        const box = await page.getByTestId('verdict').boundingBox();
        const sw = await page.evaluate(() => document.documentElement.scrollWidth);
        const name = `${w}-${lang}-${scheme}${extra ? '-x' : ''}`;
        console.log(name, 'verdict bottom', Math.round(box.y + box.height), 'of', h, 'scrollWidth', sw);
        await page.screenshot({ path: join(OUT, `${name}-fold.png`) });
        await page.evaluate(() => document.querySelector('[data-testid=sweep-chart]')?.scrollIntoView());
        await page.waitForTimeout(300);
        await page.screenshot({ path: join(OUT, `${name}-full.png`), fullPage: true });
      }
} finally {
  await b.close();
  srv.stop();
}
