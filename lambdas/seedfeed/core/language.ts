// Script-based detection: seeds rarely say their language, but the script of their text does, and
// counting code points is cheap and deterministic. Latin text falls back to the configured default,
// because telling English from French needs a model we do not want in a Lambda.
const SCRIPTS: ReadonlyArray<readonly [RegExp, string]> = [
  [/[\u3040-\u30FF]/gu, 'ja'],
  [/[\uAC00-\uD7AF\u1100-\u11FF]/gu, 'ko'],
  [/\p{Script=Han}/gu, 'zh-CN'],
  [/\p{Script=Arabic}/gu, 'ar'],
  [/\p{Script=Hebrew}/gu, 'he'],
  [/\p{Script=Cyrillic}/gu, 'ru'],
  [/\p{Script=Greek}/gu, 'el'],
  [/\p{Script=Thai}/gu, 'th'],
  [/\p{Script=Devanagari}/gu, 'hi'],
];

const RTL = new Set(['ar', 'he', 'fa', 'ur', 'ps', 'yi']);

export function detectLanguage(text: string, fallback: string): string {
  const sample = text.slice(0, 2000);
  const letters = sample.match(/\p{L}/gu)?.length ?? 0;
  if (letters === 0) return fallback;
  for (const [pattern, language] of SCRIPTS) {
    const count = sample.match(pattern)?.length ?? 0;
    // Japanese mixes kana with Han, so any real share of kana decides it before Han is counted.
    const share = language === 'ja' ? 0.05 : 0.3;
    if (count / letters >= share) return language;
  }
  return fallback;
}

export function isRightToLeft(language: string): boolean {
  return RTL.has(language.split('-')[0]?.toLowerCase() ?? '');
}
