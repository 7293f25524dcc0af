import type { Item } from '../../lambdas/seedfeed/core/item.js';
import { itemIdFor } from '../../lambdas/seedfeed/core/item.js';
import type { FeedSettings } from '../../lambdas/seedfeed/render/feeds.js';

let counter = 0;

/** A fresh, valid item per call with fixed dates; override any field. */
export function makeItem(overrides: Partial<Item> = {}): Item {
  counter++;
  const link = overrides.link ?? `https://news.example.com/world/story-${counter}`;
  return {
    id: itemIdFor(link),
    link,
    title: `Story ${counter}`,
    published: new Date(Date.UTC(2024, 0, 1, 0, counter)).toISOString(),
    summary: `Summary of story ${counter}.`,
    contentHtml: `<p>Body of story ${counter}.</p>`,
    language: 'en',
    categories: [],
    ...overrides,
  };
}

export function makeSettings(overrides: Partial<FeedSettings> = {}): FeedSettings {
  return {
    publicUrl: 'https://feeds.example.com/',
    siteUrl: 'https://www.example.com/',
    feedTitle: 'Example News',
    feedDescription: 'News from the example newsroom',
    language: 'en',
    authorName: 'Example Newsroom',
    maxFeedBytes: 1_048_576,
    ...overrides,
  };
}
