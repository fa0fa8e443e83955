import type { FreeTextFinding, PromptProduct } from './types';

// Verbs and objects of an instruction about the model's task. Words common in product names
// ("daily", "use", "make", "sales", "units") are left out on purpose.
const VERB =
  '(?:ignore|disregard|forget|override|bypass|raise|increase|decrease|lower|reduce|multiply|double|triple|halve|inflate|deflate|boost|scale|set|output|respond|reply|pretend)';
const TARGET =
  '(?:forecasts?|predictions?|numbers|values|estimates?|demand|answers?|outputs?|instructions?|rules|prompts?|medians?|p10|p90|json)';

// Each pattern is a shape instructions take and catalogue names do not: an imperative aimed at
// the model's task, a role marker, markup that frames or closes a prompt.
const PATTERNS: RegExp[] = [
  // "ignore (all) previous instructions", "disregard the rules above"
  /\b(?:ignore|disregard|forget|override|bypass)\b[^.;!?\n]{0,40}\b(?:instructions?|rules?|prompts?|guidelines?|directions?|above|previous|prior|earlier)\b/i,
  // "raise every forecast by 50%", "set all values to 0", "make the numbers bigger"
  new RegExp(`\\b${VERB}\\b[^.;!?\\n]{0,40}\\b${TARGET}\\b`, 'i'),
  // "System:", "assistant:", "you are now", "act as", "new instructions"
  /(?:^|[\s"'([{])(?:system|assistant|user|human)\s*:/i,
  /\b(?:you are now|you must|you should|act as|from now on|new instructions?|important instruction)\b/i,
  // markup and structure an answer or a prompt is made of
  /<\s*\/?\s*(?:data|system|instructions?|thinking|think|prompt)\b|```|"\s*(?:forecasts|product_id|daily)\s*"/i,
];

/** The first instruction-like part of `text`, if any. */
export function findInstructionLikeText(text: string | undefined): string | undefined {
  if (text === undefined || text === '') return undefined;
  // Fold compatibility forms (full-width letters, ligatures) so they cannot slip past.
  const folded = text.normalize('NFKC');
  for (const pattern of PATTERNS) {
    const m = pattern.exec(folded);
    if (m) return m[0].trim();
  }
  return undefined;
}

/**
 * Screens a product's untrusted catalogue text (name, category) for content that reads as an
 * instruction to the model rather than as a product description. A heuristic: it catches the
 * plain-English forms (tested), not every paraphrase or language, which is why the caller also
 * checks answers for a batch-wide shift.
 */
export function screenFreeText(
  product: Pick<PromptProduct, 'productName' | 'category'>,
): FreeTextFinding | undefined {
  for (const field of ['productName', 'category'] as const) {
    const match = findInstructionLikeText(product[field]);
    if (match !== undefined) return { field, match };
  }
  return undefined;
}
