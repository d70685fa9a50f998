/**
 * The corpus vocabulary, in rank order (rank 1 is the most frequent word).
 * The seed draws each word's rank as floor((V + 1) ^ u) for uniform u, which
 * is Zipf's law with exponent 1: rank r is drawn with probability about
 * 1 / (r ln V). Common English chat words come first; words in other
 * languages, accented or not, are spread over every rank from common to
 * rare; made-up words fill the long tail. Deterministic: the same list on
 * every run, so the benchmark can name its words.
 */

export const VOCABULARY_SIZE = 50_000;

const COMMON = `the to and a i you it is of for in that on we this be have are do with not at
can will just so but my me what if get was ok yes no all be about your there up
out when now they one how like from meeting today tomorrow thanks please here
know think need see time good let us new check send call work update release
review deploy build test fix bug issue ticket customer team project plan week
morning afternoon lunch coffee done great sure sounds doc draft slides report
budget sales design client server database login page link file image photo
change merge branch staging production incident alert backup friday monday
question answer idea problem feature demo launch version invoice contract
office remote holiday vacation birthday party dinner train flight hotel
weekend night late early soon later yesterday maybe probably really quick
small big next last first again still already also only even back down over
then them their our some more any other into after before because could would
should make made take go going come say said got want look find give tell ask
use try keep help start stop run show move close open read write share talk`;

/** Words people write in a mixed-language team, accents and all. */
const WORLD = `café réunion déjà voilà très être français garçon naïve crème brûlée
fenêtre hôpital élève château façade cœur œuvre noël àpropos
über straße müde schön grüße mädchen fräulein tschüss gemütlich könnte
mañana señor niño año pequeño corazón canción jalapeño acción información
são paulo coração ação não obrigado órgão pão irmã avó
łódź źdźbło żółw gęś ćma zażółć mięso książka
příliš žluťoučký kůň úpěl ďábelské ódy čeština
ångström smörgåsbord fjäll blåbär kött øl ærlig
istanbul ılık çiçek şeker ğüzel öğrenci ürün
việt nam phở tiếng
ζωή ελπίδα καλημέρα
привет спасибо встреча отчёт
こんにちは 会議 東京
你好 会议 北京
안녕하세요 회의
merci danke gracias grazie obrigada dziękuję děkuji tack teşekkürler
bonjour hola ciao hallo ahoj hej
weiß bientôt peña zürich genève münchen kraków göteborg málaga`;

const ONSETS = [
  'b',
  'd',
  'f',
  'g',
  'k',
  'l',
  'm',
  'n',
  'p',
  'r',
  's',
  't',
  'v',
  'z',
  'br',
  'kr',
  'st',
  'tr',
  'pl',
  'sh',
];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'a', 'e', 'i', 'o', 'u', 'a', 'e', 'o', 'é', 'ö', 'ü', 'ä', 'å'];
const CODAS = ['', '', '', 'n', 'r', 's', 'l', 'k', 'x'];

/** mulberry32: a small seeded generator, so the corpus is the same every time. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: () => number, list: readonly T[]): T {
  const item = list[Math.floor(random() * list.length)];
  if (item === undefined) throw new Error('empty list');
  return item;
}

function madeUpWord(random: () => number): string {
  const syllables = 2 + Math.floor(random() * 3);
  let word = '';
  for (let i = 0; i < syllables; i++) word += pick(random, ONSETS) + pick(random, VOWELS) + pick(random, CODAS);
  return word;
}

function words(text: string): string[] {
  return text.split(/\s+/).filter((w) => w.length > 0);
}

/** The vocabulary, most frequent first, VOCABULARY_SIZE distinct words. */
export function buildVocabulary(): string[] {
  const random = seededRandom(20_260_601);
  const common = [...new Set(words(COMMON))];
  const seen = new Set(common);
  const world = words(WORLD).filter((w) => !seen.has(w));
  for (const w of world) seen.add(w);
  // World words go in at geometrically spaced ranks from 20 on: a few common, most mid and rare.
  const slots = new Map<number, string>();
  world.forEach((w, i) => {
    let rank = Math.round(20 * (VOCABULARY_SIZE / 20) ** (i / world.length));
    while (slots.has(rank)) rank++;
    slots.set(rank, w);
  });
  const ranked: string[] = [];
  let nextCommon = 0;
  while (ranked.length < VOCABULARY_SIZE) {
    const slotted = slots.get(ranked.length + 1);
    const fromCommon = common[nextCommon];
    if (slotted) ranked.push(slotted);
    else if (fromCommon !== undefined) {
      ranked.push(fromCommon);
      nextCommon++;
    } else {
      let w = madeUpWord(random);
      while (seen.has(w)) w = madeUpWord(random);
      seen.add(w);
      ranked.push(w);
    }
  }
  return ranked;
}

/** Probability that one drawn word has `rank` (1-based), for reports. */
export function rankProbability(rank: number, size = VOCABULARY_SIZE): number {
  return Math.log((rank + 1) / rank) / Math.log(size + 1);
}
