/**
 * Message texts for the browser benchmark: a mix of one-liners, paragraphs
 * and the markdown people use (bold, code, links, lists, a code block), so
 * rows have the varied heights and markup of a real history. Deterministic
 * for a given seed, so runs draw the same chats.
 */

/** mulberry32: a small seeded generator (the same history every run). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const WORDS = (
  'the build is green again after we pinned the driver and moved the migration out of the hot path ' +
  'can someone review the pull request before lunch I left notes on the search ranking and the upload limits ' +
  'meeting moved to three tomorrow bring the numbers from the load run and the report draft ' +
  'deploy went out at noon nothing odd in the logs so far latency looks flat memory steady'
).split(' ');

function sentence(next: () => number, min: number, max: number): string {
  const n = min + Math.floor(next() * (max - min));
  const words = Array.from({ length: n }, () => WORDS[Math.floor(next() * WORDS.length)] as string);
  const text = words.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

export function messageBody(next: () => number): string {
  const kind = next();
  if (kind < 0.45) return sentence(next, 2, 12);
  if (kind < 0.7) return `${sentence(next, 10, 30)} ${sentence(next, 8, 25)}`;
  if (kind < 0.8) return `**${sentence(next, 2, 5)}** ${sentence(next, 4, 12)} \`pnpm test\``;
  if (kind < 0.87) return `${sentence(next, 3, 8)} https://example.com/docs/${Math.floor(next() * 1000)}`;
  if (kind < 0.94) return `${sentence(next, 3, 6)}\n- ${sentence(next, 2, 6)}\n- ${sentence(next, 2, 6)}`;
  return `${sentence(next, 3, 6)}\n\`\`\`\nconst total = rows.reduce((s, r) => s + r.size, 0);\n\`\`\``;
}
