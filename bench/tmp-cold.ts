import { renderFeedDocuments } from '../lambdas/seedfeed/render/feeds.js';
import { RenderCache } from '../lambdas/seedfeed/render/memo.js';
import { MAIN_VIEW } from '../lambdas/seedfeed/render/view.js';
import { realSizedItems } from './render.js';
import { benchConfig } from './settings.js';
import { feedYardstick } from './feed-yardstick.js';
const settings = benchConfig();
const base = realSizedItems(60).slice(0, 50);
const mode = process.argv[2] ?? 'cold';
const copies = (n: number) => base.map((i) => ({ ...i, published: new Date(Date.parse(i.published) - (n + 1) * 1000).toISOString() }));
let t = 0;
for (let n = 0; n < 600; n++) {
  const items = copies(n);
  const s = performance.now();
  if (mode === 'cold') renderFeedDocuments(items, settings, MAIN_VIEW, new RenderCache());
  else feedYardstick(items, settings);
  if (n >= 100) t += performance.now() - s;
}
console.log(mode, (t / 500).toFixed(2), 'ms');
