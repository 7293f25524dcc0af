import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareKeys, pastPrefix, seek } from '../../local/s3rver-list.js';

const key = fc.string({ unit: 'grapheme', maxLength: 8 });

describe('compareKeys', () => {
  it('orders keys as S3 does, by their UTF-8 bytes', () => {
    fc.assert(
      fc.property(key, key, (a, b) => {
        const expected = Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)));
        expect(Math.sign(compareKeys(a, b))).toBe(expected);
      }),
      { numRuns: 2_000 },
    );
  });

  it('puts astral characters after the last BMP characters, unlike UTF-16', () => {
    expect(compareKeys('😀', '\uFFFD')).toBeGreaterThan(0);
    expect('😀' < '\uFFFD').toBe(true);
  });
});

describe('seek', () => {
  it('finds the first key at or after a key, or strictly after it', () => {
    fc.assert(
      fc.property(fc.uniqueArray(key), key, (keys, probe) => {
        const sorted = [...keys].sort(compareKeys);
        const at = seek(sorted, probe);
        const after = seek(sorted, probe, true);
        expect(at).toBe(sorted.filter((k) => compareKeys(k, probe) < 0).length);
        expect(after).toBe(sorted.filter((k) => compareKeys(k, probe) <= 0).length);
      }),
    );
  });
});

describe('pastPrefix', () => {
  it('skips exactly the keys that start with a prefix, whatever its last character', () => {
    // Keys ending in U+FFFF or an astral character have no "next character" to search for.
    const awkward = fc.constantFrom('\uFFFF', '\u{1F7FF}', '😀', '/', 'a');
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(key, awkward, key)), key, awkward, (parts, head, last) => {
        const keys = parts.map(([a, b, c]) => `${a}${b}${c}`).sort(compareKeys);
        const prefix = `${head}${last}`;
        const from = seek(keys, prefix);
        const end = pastPrefix(keys, prefix, from);
        expect(keys.slice(from, end).every((k) => k.startsWith(prefix))).toBe(true);
        expect(keys.slice(end).some((k) => k.startsWith(prefix))).toBe(false);
      }),
    );
  });
});
