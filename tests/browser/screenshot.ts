import { fileURLToPath } from 'node:url';
import { launch, routeDemoImages } from './chromium.js';
import { startDemo } from './demo.js';

/** `npm run screenshot`: the README's picture of the index page, from the demo seeds as npm start shows them. */
const TARGET = fileURLToPath(new URL('../../docs/index-page.png', import.meta.url));

const pipeline = await startDemo();
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1000, height: 1250 } });
  await routeDemoImages(page, pipeline.endpoint);
  // The real seed's picture is on a news site this machine cannot reach: leave it out of the wait.
  await page.route('https://**', (route) => route.abort());
  await page.goto(pipeline.config.publicUrl, { waitUntil: 'load' });
  // The page's images are lazy and decoded asynchronously; 'load' can come before they are painted.
  const images = page.locator('img[src*="/demo-images/"]');
  type Picture = { complete: boolean; naturalWidth: number; decode(): Promise<void> };
  for (let tries = 0; tries < 100; tries++) {
    const painted = await images.evaluateAll((all) =>
      Promise.all(
        all.map((img) =>
          (img as unknown as Picture).decode().then(
            () => true,
            () => false,
          ),
        ),
      ),
    );
    if (painted.length > 0 && painted.every(Boolean)) break;
    await page.waitForTimeout(100);
  }
  await page.screenshot({ path: TARGET });
  console.log(`wrote ${TARGET}`);
} finally {
  await browser.close();
  await pipeline.dispose();
}
