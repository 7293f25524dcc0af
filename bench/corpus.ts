/**
 * Deterministic seeds shaped like the RFI pages seedfeed was built for: a timestamp comment, a title
 * link, a rule, then the page's HTML with its shown date, lead image, bold lead, paragraphs, inline
 * links, self-promotion blocks and share widgets. Same index and seed → same bytes, on any machine.
 */

/** mulberry32: tiny, fast and good enough to vary benchmark inputs reproducibly. */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  int(below: number): number {
    return Math.floor(this.next() * below);
  }

  pick<T>(values: readonly T[]): T {
    return values[this.int(values.length)] as T;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  hex(length: number): string {
    let out = '';
    while (out.length < length) out += this.int(16).toString(16);
    return out;
  }
}

type Language = 'zh' | 'en' | 'ar';

interface Voice {
  edition: string;
  sections: readonly string[];
  words: readonly string[];
  /** Chinese is written without spaces between words. */
  joiner: string;
  stop: string;
  shareLabel: string;
  locale: string;
}

const VOICES: Record<Language, Voice> = {
  zh: {
    edition: 'cn',
    sections: ['中国', '国际', '法国', '经贸', '港澳台', '科技与文化'],
    words: [
      '中国',
      '美国',
      '法国',
      '政府',
      '国务院',
      '外交部',
      '发言人',
      '周三',
      '表示',
      '双方',
      '合作',
      '工作组',
      '会谈',
      '北京',
      '巴黎',
      '经济',
      '贸易',
      '关税',
      '谈判',
      '代表团',
      '总统',
      '访问',
      '宣布',
      '启动',
      '共识',
      '安全',
      '执法',
      '问题',
      '协调',
      '支持',
      '报道',
      '据',
      '消息',
      '指出',
      '今天',
      '昨天',
      '人民',
      '市场',
      '增长',
      '百分之',
      '欧盟',
      '俄罗斯',
      '乌克兰',
      '台湾',
      '香港',
      '选举',
      '议会',
      '法律',
      '新闻',
      '记者',
    ],
    joiner: '',
    stop: '。',
    shareLabel: '分享 :',
    locale: 'zh_CN',
  },
  en: {
    edition: 'en',
    sections: ['france', 'africa', 'europe', 'asia-pacific', 'business-and-tech', 'culture'],
    words: [
      'the',
      'government',
      'said',
      'on',
      'Wednesday',
      'minister',
      'talks',
      'between',
      'and',
      'in',
      'of',
      'a',
      'Paris',
      'president',
      'agreement',
      'security',
      'economic',
      'growth',
      'percent',
      'election',
      'parliament',
      'officials',
      'according',
      'to',
      'reports',
      'with',
      'was',
      'has',
      'will',
      'new',
      'law',
      'protesters',
      'police',
      'court',
      'ruling',
      'trade',
      'tariffs',
      'European',
      'Union',
      'French',
      'African',
      'summit',
      'climate',
      'energy',
      'prices',
      'workers',
      'strike',
      'week',
      'after',
      'before',
      'amid',
      'crisis',
    ],
    joiner: ' ',
    stop: '.',
    shareLabel: 'Share :',
    locale: 'en_GB',
  },
  ar: {
    edition: 'ar',
    sections: ['فرنسا', 'العالم', 'الشرق-الأوسط', 'أفريقيا', 'اقتصاد', 'ثقافة'],
    words: [
      'الحكومة',
      'قال',
      'وزير',
      'الخارجية',
      'يوم',
      'الأربعاء',
      'في',
      'من',
      'إلى',
      'على',
      'أن',
      'الرئيس',
      'الفرنسي',
      'باريس',
      'محادثات',
      'بين',
      'الجانبين',
      'الأمن',
      'الاقتصاد',
      'الانتخابات',
      'البرلمان',
      'المسؤولين',
      'وفقا',
      'لتقارير',
      'الاتحاد',
      'الأوروبي',
      'القمة',
      'الطاقة',
      'الأسعار',
      'الأزمة',
      'العاصمة',
      'المتظاهرين',
      'الشرطة',
      'المحكمة',
      'قرار',
      'التجارة',
      'النمو',
      'بالمئة',
      'الأسبوع',
    ],
    joiner: ' ',
    stop: '.',
    shareLabel: 'شارك :',
    locale: 'ar_AR',
  },
};

export interface GeneratedSeed {
  /** File name under the seeds prefix. */
  name: string;
  text: string;
  link: string;
  stamp: number;
  language: Language;
}

/** Mid-2024: any fixed instant works, it only has to be the same on every run. */
export const BASE_STAMP = 1_717_200_000_000;

function sentence(rng: Prng, voice: Voice, words: number): string {
  const picked = Array.from({ length: words }, () => rng.pick(voice.words));
  const text = picked.join(voice.joiner);
  return `${voice.joiner ? text.charAt(0).toUpperCase() + text.slice(1) : text}${voice.stop}`;
}

function paragraph(rng: Prng, voice: Voice, link: string): string {
  const parts = Array.from({ length: 2 + rng.int(4) }, () => sentence(rng, voice, 8 + rng.int(14)));
  if (rng.chance(0.3)) {
    // Relative links, as the pages have them: the cleaner must resolve them against the article.
    const anchor = `<a href="/${voice.edition}/${encodeURIComponent(rng.pick(voice.sections))}/">${rng.pick(voice.words)}</a>`;
    parts.splice(1, 0, anchor);
  }
  if (rng.chance(0.15)) parts.push(`<em>${sentence(rng, voice, 5)}</em>`);
  if (rng.chance(0.05)) parts.push(`<a href="${link}#comments" class="share-link">#</a>`);
  return `<p>${parts.join(voice.joiner)}</p>`;
}

function shareWidgets(rng: Prng, voice: Voice, title: string): string {
  const short = `https://rfi.my/${rng.hex(4)}.${rng.pick(['F', 'W', 'X', 'L'])}`;
  const encodedTitle = encodeURIComponent(title);
  const anchor = (href: string) =>
    `<a href="${href}" target="_blank" rel="noopener nofollow"><span></span></a>`;
  return (
    `<div><div>${voice.shareLabel}</div><div>` +
    anchor(
      `https://www.facebook.com/dialog/share?app_id=113191652055439&amp;href=${encodeURIComponent(short)}&amp;locale=${voice.locale}`,
    ) +
    anchor(`whatsapp://send?text=${encodedTitle}%20-%20${encodeURIComponent(short)}`) +
    anchor(`https://web.whatsapp.com/send?text=${encodedTitle}%20-%20${encodeURIComponent(short)}`) +
    anchor(`https://x.com/intent/tweet?url=${encodeURIComponent(short)}&amp;text=${encodedTitle}`) +
    anchor(`https://www.linkedin.com/shareArticle?mini=true&amp;url=${encodeURIComponent(short)}`) +
    '<span data-root-share><share-button v-on:open="openModal"></share-button>' +
    '<share-modal v-if="displayModal" v-on:close="closeModal"></share-modal></span></div></div>'
  );
}

function shownDate(stamp: number): string {
  const d = new Date(stamp);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} - ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
}

function image(rng: Prng): string {
  const id = `${rng.hex(8)}-${rng.hex(4)}-11ee-${rng.hex(4)}-${rng.hex(12)}`;
  return `https://s.rfi.fr/media/display/${id}/w:1280/p:16x9/${rng.hex(10).toUpperCase()}.${rng.pick(['jpg', 'JPG', 'webp'])}`;
}

/**
 * Seed number `index`, published at `stamp`. Half Chinese, a third English, the rest Arabic, as an
 * RFI reader following several editions would collect; bodies from 2 to 20 KB.
 */
export function generateSeed(index: number, stamp: number, seed = 20_240_131): GeneratedSeed {
  const rng = new Prng(seed ^ Math.imul(index + 1, 0x9e3779b1));
  const roll = rng.next();
  const language: Language = roll < 0.5 ? 'zh' : roll < 0.83 ? 'en' : 'ar';
  const voice = VOICES[language];
  const section = rng.pick(voice.sections);
  const day = new Date(stamp).toISOString().slice(0, 10).replaceAll('-', '');
  const title = sentence(rng, voice, 4 + rng.int(8)).slice(0, -voice.stop.length);
  const slug = `${day}-${encodeURIComponent(title.slice(0, 24))}-${index}`;
  const link = `https://www.rfi.fr/${voice.edition}/${encodeURIComponent(section)}/${slug}`;

  const target = 2_048 + rng.int(18 * 1_024);
  const parts = [
    `<div>${shownDate(stamp)}</div>`,
    ...(rng.chance(0.85) ? [`<img src="${image(rng)}">`] : []),
    `<p><strong>${sentence(rng, voice, 20 + rng.int(20))}        </strong></p>`,
    '<div><p> </p>',
  ];
  let size = parts.join('').length * (language === 'en' ? 1 : 2);
  while (size < target) {
    let block = paragraph(rng, voice, link);
    if (rng.chance(0.08))
      block = `<figure><img src="${image(rng)}" alt=""><figcaption>${sentence(rng, voice, 6)}</figcaption></figure>`;
    else if (rng.chance(0.04)) block = `<blockquote><p>${sentence(rng, voice, 12)}</p></blockquote>`;
    else if (rng.chance(0.03))
      block = `<iframe src="https://www.youtube.com/embed/${rng.hex(11)}" title="${rng.pick(voice.words)}"></iframe>`;
    else if (rng.chance(0.02))
      block = `<script>window.dataLayer=window.dataLayer||[];dataLayer.push({a:${index}})</script>`;
    parts.push(block);
    size += Buffer.byteLength(block);
  }
  parts.push('<p>   <p> </p></p><div data-selfpromo-newsletter></div><div data-selfpromo-app></div></div>');
  parts.push(shareWidgets(rng, voice, title));
  const text = `<!--${stamp}-->\n[${title}](${link})\n------\n\n${parts.join('')}\n`;
  return { name: `${String(index).padStart(6, '0')}_${rng.hex(16)}.txt`, text, link, stamp, language };
}

/**
 * The real seed as a distinct article: its own link and timestamp, the same 3.4 KB of page. Feeds of
 * these weigh what RFI feeds weigh, where the generated corpus (2–20 KB bodies) makes heavier ones.
 */
export function realSizedSeed(real: string): (index: number, stamp: number) => GeneratedSeed {
  return (index, stamp) => {
    const text = real
      .replace(/^<!--\d+-->/, `<!--${stamp}-->`)
      .replace(/^(\[[^\]]*\]\()([^)]*)\)/m, (_, head: string, url: string) => `${head}${url}-${index})`);
    const link = /^\[[^\]]*\]\(([^)]*)\)/m.exec(text)?.[1] ?? '';
    return { name: `real_${String(index).padStart(7, '0')}.txt`, text, link, stamp, language: 'zh' };
  };
}
