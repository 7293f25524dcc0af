import { describe, expect, it } from 'vitest';
import { ScaleStore } from '../../bench/scale-store.js';

describe("the simulated store's latency in virtual time (bench/scale-store.ts)", () => {
  it('answers calls of equal delay in the order they were asked', async () => {
    // Prepare
    const store = new ScaleStore(0).withLatency(40, 40);
    const order: string[] = [];

    // Act
    await Promise.all(['a', 'b', 'c'].map((name) => store.answer().then(() => order.push(name))));

    // Assess
    expect(order).toEqual(['a', 'b', 'c']);
  });

  it('does not wait in real time for answers when every caller waits', async () => {
    // Prepare: 25 answers of 40 ms one after another are a second of simulated time.
    const store = new ScaleStore(0).withLatency(40, 40);
    const started = performance.now();

    // Act
    for (let i = 0; i < 25; i++) await store.answer();

    // Assess: real timers would take at least 1,000 ms.
    expect(performance.now() - started).toBeLessThan(500);
  });
});
