import { parsePromptData, type PromptDataProduct } from '@retail-forecast/prompt';
import type { ForcedTool } from './decode';
import { standinForecast, type StandinForecast } from './forecastMethod';
import type { FaultMode } from './types';

/** A Converse content block as it goes on the wire. */
export type ContentBlockJson =
  | { text: string }
  | { toolUse: { toolUseId: string; name: string; input: unknown } }
  | { reasoningContent: { reasoningText: { text: string; signature: string } } };

export interface ConverseContent {
  content: ContentBlockJson[];
  stopReason: 'end_turn' | 'tool_use' | 'max_tokens';
}

const round2 = (v: number) => Math.round(v * 100) / 100;
const fmt = (values: number[]) => values.map((v) => String(v)).join(',');

/** Applies a value-level fault to one series' answer; the arrays are fresh copies. */
export function corrupt(f: StandinForecast, fault: FaultMode): StandinForecast {
  const map = (g: (v: number) => number) => ({
    p10: f.p10.map(g),
    p50: f.p50.map(g),
    p90: f.p90.map(g),
  });
  switch (fault) {
    case 'negative':
      return {
        p10: f.p10.map((v) => -v - 2),
        p50: f.p50.map((v) => -v - 1),
        p90: f.p90.map((v) => -v),
      };
    case 'absurd':
      return map((v) => Math.round((v + 1) * 1000));
    case 'wrong-length':
      return { p10: f.p10.slice(0, -2), p50: f.p50.slice(0, -2), p90: f.p90.slice(0, -2) };
    default:
      return f;
  }
}

// Instructions an obedient model follows wherever it reads them, in English or French (the
// second is there because a screen of English phrases does not catch it).
const RAISE =
  /\b(?:raise|increase|boost|inflate|augment\w*)\b[^%]*?(\d+(?:[.,]\d+)?)\s*(?:%|percent)/i;
const LOWER =
  /\b(?:lower|decrease|reduce|cut|baisse\w*|diminue\w*)\b[^%]*?(\d+(?:[.,]\d+)?)\s*(?:%|percent)/i;
const ZERO = /\b(?:set|make)\b[^.]*\b(?:to|=)\s*(?:zero|0)\b/i;

/**
 * The factor an obedient model applies to every forecast of a request: the instructions found in
 * any product's name or category, one after another. 1 when there are none.
 */
export function obeyedFactor(products: readonly PromptDataProduct[]): number {
  let factor = 1;
  for (const p of products) {
    for (const text of [p.productName, p.category]) {
      if (!text) continue;
      const up = RAISE.exec(text);
      const down = LOWER.exec(text);
      if (up) factor *= 1 + Number(up[1].replace(',', '.')) / 100;
      if (down) factor *= Math.max(0, 1 - Number(down[1].replace(',', '.')) / 100);
      if (ZERO.test(text)) factor = 0;
    }
  }
  return factor;
}

interface Entry {
  id: string;
  f: StandinForecast;
}

/** `{"forecasts":[…]}` as text, with bare NaN tokens under the `nan` fault as a broken model writes. */
function answerText(entries: Entry[], nan: boolean): string {
  const items = entries.map(({ id, f }) => {
    const daily = nan ? f.p50.map(() => 'NaN').join(',') : fmt(f.p50);
    return `{"product_id":${JSON.stringify(id)},"daily":[${daily}],"p10":[${fmt(f.p10)}],"p90":[${fmt(f.p90)}]}`;
  });
  return `{"forecasts":[${items.join(',')}]}`;
}

/** The same answer as a tool input (JSON has no NaN: a tool call carries null). */
function answerObject(entries: Entry[], nan: boolean): unknown {
  return {
    forecasts: entries.map(({ id, f }) => ({
      product_id: id,
      daily: nan ? f.p50.map(() => null) : f.p50,
      p10: f.p10,
      p90: f.p90,
    })),
  };
}

const scaled = (entries: Entry[], k: number): Entry[] =>
  entries.map(({ id, f }) => ({
    id,
    f: {
      p10: f.p10.map((v) => round2(v * k)),
      p50: f.p50.map((v) => round2(v * k)),
      p90: f.p90.map((v) => round2(v * k)),
    },
  }));

const DRAFT_FACTOR = 0.8;
const EXAMPLE = '{"forecasts":[{"product_id":"P100","daily":[1,2,3,4,5,6,7]}]}';

/**
 * The Converse answer for the products of one prompt, in the shape a fault asks for: a plain
 * JSON text, a tool call when the request forces a tool, or one of the shapes real models send
 * (reasoning with a draft first, a fence, an echoed example, a correction, a cut-off final).
 * Each draft is the final answer × 0.8 (or × 0 for `thinking-zero-draft`), so a parser that takes
 * the draft is caught by the numbers.
 */
export function converseAnswer(
  user: string,
  fault: FaultMode,
  forcedTool?: ForcedTool,
): ConverseContent {
  const data = parsePromptData(user);
  let products = data.products;
  // Dropping only from multi-product prompts lets a single-product re-ask succeed.
  if (fault === 'missing-ids' && products.length > 1)
    products = products.filter((_, i) => i % 2 === 0);
  const factor = fault === 'obedient' ? obeyedFactor(products) : 1;
  const entries = scaled(
    products.map((p) => ({
      id: fault === 'unknown-ids' ? `${p.productId}-X` : p.productId,
      f: corrupt(standinForecast(p.recent, data.horizon), fault),
    })),
    factor,
  );
  const nan = fault === 'nan';
  const final = answerText(entries, nan);
  const draft = answerText(
    scaled(entries, fault === 'thinking-zero-draft' ? 0 : DRAFT_FACTOR),
    nan,
  );
  const text = (t: string): ConverseContent => ({
    content: [{ text: t }],
    stopReason: 'end_turn',
  });
  const thinking = `<thinking>Draft before adjusting for the weekend peak: ${draft} The weekend sells more than that, so the final numbers are higher.</thinking>\n`;

  switch (fault) {
    case 'not-json':
      return text(
        `Sure! Here is my forecast for ${products.length} products: demand should stay about flat.`,
      );
    case 'truncated-json':
      return {
        content: [{ text: final.slice(0, Math.floor(final.length / 2)) }],
        stopReason: 'max_tokens',
      };
    case 'truncated-final':
      return {
        content: [
          {
            text: `${draft}\nCorrection after checking weekends:\n${final.slice(0, Math.floor(final.length / 2))}`,
          },
        ],
        stopReason: 'max_tokens',
      };
    case 'fenced':
      return text(
        `Here is the forecast:\n\`\`\`json\n${final}\n\`\`\`\nLet me know if you need more.`,
      );
    case 'echoed-example':
      return text(`The requested format is ${EXAMPLE}. My answer:\n${final}`);
    case 'think-draft':
      return text(`<think>\nFirst pass: ${draft}\nToo low for the weekend.\n</think>\n\n${final}`);
    default:
      break;
  }

  if (forcedTool) {
    const call = (input: unknown, n: number): ContentBlockJson => ({
      toolUse: { toolUseId: `tooluse_standin_${n}`, name: forcedTool.name, input },
    });
    const answer = call(answerObject(entries, nan), 2);
    const draftCall = call(JSON.parse(draft.replace(/NaN/g, 'null')) as unknown, 1);
    const content: ContentBlockJson[] =
      fault === 'reasoning-block'
        ? [
            {
              reasoningContent: {
                reasoningText: { text: `Draft: ${draft}`, signature: 'standin' },
              },
            },
            answer,
          ]
        : fault === 'thinking-draft' || fault === 'thinking-zero-draft'
          ? [{ text: thinking }, answer]
          : fault === 'two-answers'
            ? [draftCall, answer]
            : [answer];
    return { content, stopReason: 'tool_use' };
  }

  switch (fault) {
    case 'reasoning-block':
      return {
        content: [
          {
            reasoningContent: { reasoningText: { text: `Draft: ${draft}`, signature: 'standin' } },
          },
          { text: final },
        ],
        stopReason: 'end_turn',
      };
    case 'thinking-draft':
    case 'thinking-zero-draft':
      return text(`${thinking}${final}`);
    case 'two-answers':
      return text(`${draft}\nCorrection after checking weekends:\n${final}`);
    default:
      return text(final);
  }
}
