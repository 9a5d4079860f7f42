import table from 'i18n-iso-countries/codes.json' with { type: 'json' };

/**
 * ISO 3166-1 alpha-2 codes, from i18n-iso-countries' code table only. Its main entry registers every
 * language's country names (≈ 420 KB in each bundle) while Convene takes the names from
 * Intl.DisplayNames; the code table is ≈ 15 KB.
 */
export const countryCodes: readonly string[] = (table as string[][]).map(([alpha2]) => alpha2!);
const known = new Set(countryCodes);

export function isCountryCode(code: string): boolean {
  return known.has(code.toUpperCase());
}
