import { dayToIsoDate, isWeekday, weekdayOfDay } from '@retail-forecast/util';
import { isoToDay } from './dates';
import { PromptDataParseError } from './errors';
import type { PromptData, PromptDataProduct } from './types';
import { DATA_CLOSE } from './userMessage';

const Q = String.raw`"(?:[^"\\]|\\.)*"`;
const HEAD = new RegExp(String.raw`^id=(${Q})(?: name=(${Q}))?(?: cat=(${Q}))?$`);
const AS_OF = /^as_of (\d{4}-\d{2}-\d{2}) ([A-Z][a-z]{2})$/;
const FORECAST =
  /^forecast (\d{4}-\d{2}-\d{2}) [A-Z][a-z]{2}(?:\.\.\d{4}-\d{2}-\d{2} [A-Z][a-z]{2})? \((\d+) days\)$/;
const DATA = /^<data products=(\d+)>$/;
const RECENT = /^r (\d{4}-\d{2}-\d{2}) ([A-Z][a-z]{2}): (\S+)$/;
const WEEKLY = /^w:(?: (\S+))?$/;
const NUMBER = /^\d+(?:\.\d+)?$/;

function fail(lineNo: number, what: string, line: string | undefined): never {
  throw new PromptDataParseError(
    `line ${lineNo} is not ${what}: ${line === undefined ? 'end of message' : JSON.stringify(line.slice(0, 120))}`,
  );
}

function numbers(list: string, lineNo: number, line: string): number[] {
  return list.split(/[,|]/).map((s) => {
    if (!NUMBER.test(s))
      fail(lineNo, `a list of non-negative numbers (bad value ${JSON.stringify(s)})`, line);
    return Number(s);
  });
}

function quoted(literal: string | undefined): string | undefined {
  return literal === undefined ? undefined : (JSON.parse(literal) as string);
}

/**
 * Read back the data of a user message built by `buildPromptBatches`: the inverse used by the
 * local Bedrock stand-in to answer deterministically. Strict: anything else is rejected.
 *
 * @throws PromptDataParseError naming the first line that does not fit the format
 */
export function parsePromptData(user: string): PromptData {
  const lines = user.split('\n');
  let i = 0;
  const next = () => lines[i++];

  const asOfLine = next();
  const asOfMatch = AS_OF.exec(asOfLine ?? '');
  if (!asOfMatch) fail(i, '"as_of YYYY-MM-DD Ddd"', asOfLine);
  const asOf = asOfMatch[1];
  const asOfDay = isoToDay(asOf, 'as_of');
  if (weekdayOfDay(asOfDay) !== asOfMatch[2])
    fail(i, `as_of with its weekday (${asOf} is a ${weekdayOfDay(asOfDay)})`, asOfLine);

  const forecastLine = next();
  const forecastMatch = FORECAST.exec(forecastLine ?? '');
  if (!forecastMatch) fail(i, '"forecast <dates> (N days)"', forecastLine);
  const horizon = Number(forecastMatch[2]);
  if (forecastMatch[1] !== dayToIsoDate(asOfDay + 1) || horizon < 1)
    fail(i, 'a forecast range starting the day after as_of', forecastLine);

  const dataLine = next();
  const dataMatch = DATA.exec(dataLine ?? '');
  if (!dataMatch) fail(i, '"<data products=N>"', dataLine);
  const count = Number(dataMatch[1]);

  const products: PromptDataProduct[] = [];
  for (let k = 0; k < count; k++) {
    const headLine = next();
    const head = HEAD.exec(headLine ?? '');
    if (!head)
      fail(
        i,
        `a product line 'id="..." name="..." cat="..."' (product ${k + 1} of ${count})`,
        headLine,
      );

    const recentLine = next();
    const recent = RECENT.exec(recentLine ?? '');
    if (!recent || !isWeekday(recent[2])) fail(i, '"r YYYY-MM-DD Ddd: v,v,..."', recentLine);
    const recentStartDay = isoToDay(recent[1], 'r start');
    if (weekdayOfDay(recentStartDay) !== recent[2])
      fail(
        i,
        `an r line with the right weekday (${recent[1]} is a ${weekdayOfDay(recentStartDay)})`,
        recentLine,
      );
    const values = numbers(recent[3], i, recentLine);
    if (recentStartDay + values.length - 1 !== asOfDay)
      fail(i, `daily values ending on as_of ${asOf}`, recentLine);

    const weeklyLine = next();
    const weekly = WEEKLY.exec(weeklyLine ?? '');
    if (!weekly) fail(i, '"w: t,t,..."', weeklyLine);

    let productId: string;
    try {
      productId = quoted(head[1])!;
      const productName = quoted(head[2]);
      const category = quoted(head[3]);
      products.push({
        productId,
        ...(productName !== undefined && { productName }),
        ...(category !== undefined && { category }),
        recent: values,
        recentStart: recent[1],
        weekly: weekly[1] === undefined ? [] : numbers(weekly[1], i, weeklyLine),
      });
    } catch (cause) {
      if (cause instanceof PromptDataParseError) throw cause;
      throw new PromptDataParseError(`line ${i - 2} has a quoted field that is not a JSON string`, {
        cause,
      });
    }
  }
  const closeLine = next();
  if (closeLine !== DATA_CLOSE) fail(i, `"${DATA_CLOSE}" after ${count} products`, closeLine);
  return { asOf, horizon, products };
}
