import { francAll } from 'franc-min';

// A script used by one language decides it (counting code points is cheap and certain). Scripts that
// several languages share (Cyrillic: Russian, Ukrainian…; Arabic: Arabic, Persian, Urdu; Latin) go to
// franc-min's trigram model, restricted to the languages of that script we tag, with the link's path
// and host as hints first. README "Languages" says why franc-min and not eld.
const SCRIPTS: ReadonlyArray<readonly [RegExp, string]> = [
  [/[\u3040-\u30FF]/gu, 'ja'],
  [/[\uAC00-\uD7AF\u1100-\u11FF]/gu, 'ko'],
  [/\p{Script=Han}/gu, 'zh-CN'],
  [/\p{Script=Arabic}/gu, 'Arabic'],
  [/\p{Script=Hebrew}/gu, 'he'],
  [/\p{Script=Cyrillic}/gu, 'Cyrillic'],
  [/\p{Script=Greek}/gu, 'el'],
  [/\p{Script=Thai}/gu, 'th'],
  [/\p{Script=Devanagari}/gu, 'hi'],
  [/\p{Script=Latin}/gu, 'Latin'],
];

/** The tags a shared script may get: franc's ISO 639-3 codes → BCP 47. */
const SHARED: Record<string, Record<string, string>> = {
  Cyrillic: { rus: 'ru', ukr: 'uk', bel: 'be', bul: 'bg', srp: 'sr', kaz: 'kk' },
  Arabic: { arb: 'ar', pes: 'fa', urd: 'ur', pbu: 'ps' },
  Latin: {
    eng: 'en',
    fra: 'fr',
    deu: 'de',
    spa: 'es',
    por: 'pt',
    ita: 'it',
    nld: 'nl',
    pol: 'pl',
    tur: 'tr',
    ron: 'ro',
    ces: 'cs',
    hun: 'hu',
    swe: 'sv',
    ind: 'id',
    vie: 'vi',
  },
};

/** A script's language when the text cannot tell (too short): the one most articles in it are in. */
const MAIN: Record<string, string> = { Cyrillic: 'ru', Arabic: 'ar' };

// Path segments and country domains that name a language, as news sites use them (/ukr/, /fa/, .ua).
// For Cyrillic and Arabic script a hint decides. Latin text changes from the configured language only
// when the model and a hint agree: a path /it/ is as often a section as a language, and franc-min's
// scores for short English news text against French are close (see the README).
const PATH_HINTS: Record<string, string> = {
  uk: 'uk',
  ukr: 'uk',
  ukrainian: 'uk',
  ua: 'uk',
  ru: 'ru',
  rus: 'ru',
  russian: 'ru',
  fa: 'fa',
  per: 'fa',
  persian: 'fa',
  farsi: 'fa',
  ar: 'ar',
  arabic: 'ar',
  ur: 'ur',
  urdu: 'ur',
  be: 'be',
  bg: 'bg',
  sr: 'sr',
  kk: 'kk',
  fr: 'fr',
  de: 'de',
  es: 'es',
  pt: 'pt',
  it: 'it',
  nl: 'nl',
  pl: 'pl',
  tr: 'tr',
  ro: 'ro',
};
const HOST_HINTS: Record<string, string> = {
  ua: 'uk',
  ru: 'ru',
  by: 'be',
  bg: 'bg',
  rs: 'sr',
  kz: 'kk',
  ir: 'fa',
  af: 'fa',
  pk: 'ur',
  fr: 'fr',
  de: 'de',
  at: 'de',
  es: 'es',
  it: 'it',
  pt: 'pt',
  br: 'pt',
  nl: 'nl',
  pl: 'pl',
  tr: 'tr',
  ro: 'ro',
  cz: 'cs',
  hu: 'hu',
  se: 'sv',
};

const RTL = new Set(['ar', 'he', 'fa', 'ur', 'ps', 'yi']);
const SAMPLE = 2000;
// Below this many letters a trigram model guesses; the script's main language is the better guess.
const MODEL_MIN_LETTERS = 20;

/** The language of `text` (title and body), with `link` as a hint; `fallback` when nothing tells. */
export function detectLanguage(text: string, fallback: string, link?: string): string {
  const sample = text.slice(0, SAMPLE);
  const letters = sample.match(/\p{L}/gu)?.length ?? 0;
  if (letters === 0) return fallback;
  for (const [pattern, language] of SCRIPTS) {
    const count = sample.match(pattern)?.length ?? 0;
    // Japanese mixes kana with Han, so any real share of kana decides it before Han is counted.
    const share = language === 'ja' ? 0.05 : 0.3;
    if (count / letters < share) continue;
    const shared = SHARED[language];
    return shared ? sharedScript(language, shared, sample, count, fallback, link) : language;
  }
  return fallback;
}

function sharedScript(
  script: string,
  tags: Record<string, string>,
  sample: string,
  letters: number,
  fallback: string,
  link: string | undefined,
): string {
  const candidates = new Set(Object.values(tags));
  const found = link === undefined ? undefined : linkHint(link);
  const hint = found && candidates.has(found) ? found : undefined;
  const primary = fallback.split('-')[0]?.toLowerCase() ?? '';
  if (script !== 'Latin') {
    if (hint) return hint;
    if (letters < MODEL_MIN_LETTERS) return MAIN[script] ?? fallback;
    return modelBest(sample, tags) ?? MAIN[script] ?? fallback;
  }
  if (!candidates.has(primary)) return modelBest(sample, tags) ?? fallback;
  return hint && hint !== primary && modelBest(sample, tags) === hint ? hint : fallback;
}

function modelBest(sample: string, tags: Record<string, string>): string | undefined {
  const only = Object.keys(tags).filter((code) => !ruledOut(code, sample));
  const [best] = francAll(sample, { only, minLength: 1 });
  return best && best[0] !== 'und' ? tags[best[0]] : undefined;
}

// Letters that some alphabets of a shared script lack: a text that uses them is in none of those
// (once in a sentence, or once per 600 characters of a longer text, so that a quoted word does not
// count). Trigram scores alone read a short Russian sentence with ё as Bulgarian.
const LETTERS_RULE_OUT: ReadonlyArray<readonly [RegExp, ReadonlySet<string>]> = [
  [/[ыэё]/gi, new Set(['ukr', 'bul', 'srp'])],
  [/[їєґ]/gi, new Set(['rus', 'bel', 'bul', 'srp', 'kaz'])],
  [/[ђјљњћџ]/gi, new Set(['rus', 'ukr', 'bel', 'bul', 'kaz'])],
  [/[پچژگ]/g, new Set(['arb'])],
];

function ruledOut(code: string, sample: string): boolean {
  const needed = Math.max(1, Math.floor(sample.length / 600));
  return LETTERS_RULE_OUT.some(
    ([letters, codes]) => codes.has(code) && (sample.match(letters)?.length ?? 0) >= needed,
  );
}

/** The language a link's first path segments or its country domain name, if any. */
export function linkHint(link: string): string | undefined {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return undefined;
  }
  // Only the first two segments: /ukr/news/… and /news/ukr/… are hints, a slug is not.
  for (const segment of url.pathname.split('/', 4).slice(1, 3)) {
    const hint = PATH_HINTS[segment.toLowerCase()];
    if (hint) return hint;
  }
  const tld = url.hostname.slice(url.hostname.lastIndexOf('.') + 1).toLowerCase();
  return HOST_HINTS[tld];
}

export function isRightToLeft(language: string): boolean {
  return RTL.has(language.split('-')[0]?.toLowerCase() ?? '');
}
