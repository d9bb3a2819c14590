// Runs axe-core in headless Chromium over pages of a built site and prints
// every violation of impact "serious" or "critical" as JSON lines.
// Usage: node axe.js CHROMIUM WIDTH PAGE.html...
// Exit status: 0 when there are none, 1 when there are, 2 when it cannot run.
'use strict';
const path = require('path');
const puppeteer = require('puppeteer-core');
const axeSource = require('fs').readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

async function main() {
  const [chromium, width, ...pages] = process.argv.slice(2);
  const browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  let found = 0;
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: Number(width), height: 900 });
    for (const file of pages) {
      await page.goto('file://' + path.resolve(file), { waitUntil: 'load' });
      await page.evaluate(axeSource);
      const result = await page.evaluate(async () => {
        // The whole page, against WCAG 2.1 A and AA and axe's best practices.
        return await window.axe.run(document, {
          runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
          resultTypes: ['violations'],
        });
      });
      for (const v of result.violations) {
        if (v.impact !== 'serious' && v.impact !== 'critical') continue;
        found += 1;
        console.log(JSON.stringify({
          page: file, id: v.id, impact: v.impact, help: v.help,
          nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ') + ': ' + n.failureSummary.split('\n').slice(1, 2).join(' ')),
          count: v.nodes.length,
        }));
      }
    }
  } finally {
    await browser.close();
  }
  process.exit(found ? 1 : 0);
}

main().catch((e) => { console.error(e); process.exit(2); });
