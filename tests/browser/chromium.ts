import { type Browser, chromium, type Page } from 'playwright-core';

/**
 * Debian's Chromium, started the way this machine's closed network needs: no background services that
 * would try to reach Google, no sandbox as root.
 */
export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Where the demo seeds in seeds/demo/ say their images are: npm start's default address. */
const DEMO_IMAGES = 'http://127.0.0.1:4569/demo-images/';

/**
 * The demo seeds point at npm start's default port; a test server runs on a free one, so the page's
 * requests for them go to the server under test instead (which serves them from local/demo-images/).
 */
export async function routeDemoImages(page: Page, endpoint: string): Promise<void> {
  await page.route(`${DEMO_IMAGES}*`, async (route) => {
    const url = route.request().url().replace(DEMO_IMAGES, `${endpoint}/demo-images/`);
    try {
      await route.fulfill({ response: await route.fetch({ url }) });
    } catch (error) {
      // A page closed while its images were still coming has nobody left to answer.
      if (!page.isClosed()) throw error;
    }
  });
}

type Picture = { naturalWidth: number; decode(): Promise<void> };

/**
 * The natural width of every image matching `selector` once it has loaded and been decoded (0 for one
 * that failed). The page's images are lazy and decoded asynchronously: 'load' can come before them.
 */
export function loadedImages(page: Page, selector: string): Promise<number[]> {
  return page.locator(selector).evaluateAll((all) =>
    Promise.all(
      all.map((img) => {
        const picture = img as unknown as Picture;
        return picture.decode().then(
          () => picture.naturalWidth,
          () => 0,
        );
      }),
    ),
  );
}
