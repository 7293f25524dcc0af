import { fileURLToPath } from 'node:url';
import { launch, loadedImages, routeDemoImages } from './chromium.js';
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
  const painted = await loadedImages(page, 'img[src*="/demo-images/"]');
  if (painted.length === 0 || painted.includes(0)) throw new Error(`demo images did not load: ${painted}`);
  await page.screenshot({ path: TARGET });
  console.log(`wrote ${TARGET}`);
} finally {
  await browser.close();
  await pipeline.dispose();
}
