/**
 * Public holidays from `date-holidays` (ISC code, CC-BY-3.0 data; every country's rules ship in
 * the package, so nothing is fetched at run time). This is the one file that knows the library.
 * Only holidays of type `public` (days off by law for the whole country or region) are used:
 * bank, school, optional and observance days change little of what shoppers do and would add
 * noisy regressors.
 */
import Holidays from 'date-holidays';
import { InvalidOptionError } from '../errors';

/** A country (`US`, `GB`) or country and region (`US-CA`, `DE-BY`), ISO 3166 codes. */
export interface HolidayRegion {
  country: string;
  region?: string;
}

/** Where to look up valid codes, said in every error about one. */
const HOW_TO_FIND =
  'see https://github.com/commenthol/date-holidays#supported-countries-states-regions for the codes (ISO 3166-1 country, ISO 3166-2 region)';

let catalogue: Holidays | undefined;
const lookup = (): Holidays => (catalogue ??= new Holidays());

/**
 * Parses `US`, `US-CA`, `de-by` (case-insensitive) into a region that `date-holidays` knows.
 * @throws InvalidOptionError naming the code, what is wrong and where valid codes are listed
 * (an unknown region lists the country's regions).
 */
export function parseHolidayRegion(code: string): HolidayRegion {
  const m = /^\s*([A-Za-z]{2})(?:-([A-Za-z0-9]{1,3}))?\s*$/.exec(code);
  if (!m) {
    throw new InvalidOptionError(
      `holiday region "${code}" is not a country or country-region code (expected e.g. US, US-CA, DE-BY, GB; ${HOW_TO_FIND})`,
    );
  }
  const country = m[1].toUpperCase();
  const countries = lookup().getCountries('en') as Record<string, string>;
  if (!Object.hasOwn(countries, country)) {
    throw new InvalidOptionError(
      `holiday region "${code}": country "${country}" is not known to date-holidays (${HOW_TO_FIND})`,
    );
  }
  if (m[2] === undefined) return { country };
  const region = m[2].toUpperCase();
  const regions = (lookup().getStates(country, 'en') ?? {}) as Record<string, string>;
  if (!Object.hasOwn(regions, region)) {
    const known = Object.keys(regions);
    throw new InvalidOptionError(
      `holiday region "${code}": "${region}" is not a region of ${country} (${
        known.length > 0
          ? `known: ${known.join(', ')}`
          : `${country} has no regions in date-holidays`
      })`,
    );
  }
  return { country, region };
}

/**
 * Public holidays of `region` in the years `fromYear..toYear`: ISO date (the local calendar day)
 * → holiday names (a day may hold two). Observed ("substitute") days, such as a Friday off for a
 * Saturday holiday, are included as date-holidays lists them.
 */
export function publicHolidays(
  region: HolidayRegion,
  fromYear: number,
  toYear: number,
): Map<string, string[]> {
  const hd = region.region
    ? new Holidays(region.country, region.region)
    : new Holidays(region.country);
  const out = new Map<string, string[]>();
  for (let year = fromYear; year <= toYear; year++) {
    for (const h of hd.getHolidays(year, 'en')) {
      if (h.type !== 'public') continue;
      // `date` is "YYYY-MM-DD hh:mm:ss" in the country's own calendar, whatever this machine's zone.
      const day = h.date.slice(0, 10);
      const names = out.get(day);
      if (names) {
        if (!names.includes(h.name)) names.push(h.name);
      } else out.set(day, [h.name]);
    }
  }
  return out;
}
