import { countryCodes } from '../countries.ts';
import type { FieldProblem } from '../errors.ts';
import { html, type SafeHtml } from '../html.ts';
import { pageLocale, pageText, tp } from '../i18n/page-messages.ts';
import { languages, stakeholderTypes, type Language } from '../model.ts';
import { utcOffset } from '../time-format.ts';

/**
 * The problems of one form, by field. A problem's field may be a path (`sessionIds.1`); it belongs to the
 * control named by its first segment. Problems of no control (`(body)`, unknown fields) are listed in the
 * summary without a link.
 */
export class FormProblems {
  private readonly byField = new Map<string, string[]>();

  constructor(
    readonly problems: readonly FieldProblem[],
    /** The id of the control a field's link should focus, or undefined when the form has no such control. */
    private readonly idOf: (field: string) => string | undefined,
  ) {
    for (const problem of problems) {
      const field = controlName(problem.field);
      this.byField.set(field, [...(this.byField.get(field) ?? []), problem.message]);
    }
  }

  has(field: string): boolean {
    return this.byField.has(field);
  }

  messages(field: string): string[] {
    return this.byField.get(field) ?? [];
  }

  /** The summary at the top of the page: announced (`role="alert"`), one link per invalid control. */
  summary(lang: Language): SafeHtml | '' {
    if (this.problems.length === 0) return '';
    const items = this.problems.map((problem) => {
      const id = this.idOf(controlName(problem.field));
      return id ? html`<li><a href="#${id}">${problem.message}</a></li>` : html`<li>${problem.message}</li>`;
    });
    return html`<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
<h2 id="error-summary-title">${tp(lang, 'errors.title')}</h2>
<ul>${items}</ul>
</div>`;
  }

  /** The message shown next to a control, with the id its `aria-describedby` points to. */
  inline(lang: Language, field: string, id: string): SafeHtml | '' {
    const messages = this.messages(field);
    if (messages.length === 0) return '';
    return html`<p class="field-error" id="${id}-error"><span class="visually-hidden">${tp(lang, 'errors.prefix')} </span>${messages.join(' ')}</p>`;
  }

  /** `aria-invalid` and `aria-describedby` (hint first, then error) for a control. */
  aria(field: string, id: string, hintId?: string): SafeHtml {
    const invalid = this.has(field);
    const describedBy = [hintId, invalid ? `${id}-error` : undefined].filter(Boolean).join(' ');
    return html`${invalid ? html` aria-invalid="true"` : ''}${describedBy ? html` aria-describedby="${describedBy}"` : ''}`;
  }
}

function controlName(field: string): string {
  return field.split(/[.[]/)[0] ?? field;
}

type OptionItem = { value: string; label: string; lang?: string };

/** `<option>`s with the current value selected, and a first empty "Choose…" option when asked. */
export function options(items: readonly OptionItem[], selected: string | undefined, placeholder?: string): SafeHtml {
  return html`${placeholder === undefined ? '' : html`<option value=""${selected ? '' : html` selected`}>${placeholder}</option>`}${items.map(
    (item) =>
      html`<option value="${item.value}"${item.lang ? html` lang="${item.lang}"` : ''}${item.value === selected ? html` selected` : ''}>${item.label}</option>`,
  )}`;
}

/** The six languages, each named in itself. */
export function languageItems(): OptionItem[] {
  return languages.map((value) => ({ value, label: pageText.languageName(value), lang: value }));
}

export function stakeholderItems(lang: Language): OptionItem[] {
  return stakeholderTypes.map((value) => ({ value, label: pageText.stakeholder(lang, value) }));
}

const countryCache = new Map<Language, OptionItem[]>();

/** ISO 3166 alpha-2 codes named in the page language, in that language's alphabetical order. */
export function countryItems(lang: Language): OptionItem[] {
  const cached = countryCache.get(lang);
  if (cached) return cached;
  const names = new Intl.DisplayNames([pageLocale(lang)], { type: 'region', fallback: 'code' });
  const collator = new Intl.Collator(pageLocale(lang));
  const items = [...countryCodes]
    .map((code) => ({ value: code, label: names.of(code) ?? code }))
    .sort((a, b) => collator.compare(a.label, b.label));
  countryCache.set(lang, items);
  return items;
}

/**
 * ICU still lists some zones under names IANA has replaced (the tz database's `backward` file); the list
 * offers the current name, which every runtime also accepts, and keeps the old one valid.
 */
const CURRENT_ZONE_NAMES: Record<string, string> = {
  'Africa/Asmera': 'Africa/Asmara',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Catamarca': 'America/Argentina/Catamarca',
  'America/Coral_Harbour': 'America/Atikokan',
  'America/Cordoba': 'America/Argentina/Cordoba',
  'America/Godthab': 'America/Nuuk',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Jujuy': 'America/Argentina/Jujuy',
  'America/Louisville': 'America/Kentucky/Louisville',
  'America/Mendoza': 'America/Argentina/Mendoza',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Europe/Kiev': 'Europe/Kyiv',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Truk': 'Pacific/Chuuk',
};

/** The name a zone goes by today (an old name as IANA renamed it, any other as it is). */
export const currentZoneName = (zone: string): string => CURRENT_ZONE_NAMES[zone] ?? zone;

let zoneCache: string[] | undefined;

/** The runtime's IANA zones under their current names, plus UTC (which ICU lists only as an alias). */
function timeZoneNames(): string[] {
  zoneCache ??= [...new Set([...Intl.supportedValuesOf('timeZone').map(currentZoneName), 'UTC'])].sort();
  return zoneCache;
}

const ZONE_GROUPS = ['Africa', 'America', 'Antarctica', 'Asia', 'Atlantic', 'Australia', 'Europe', 'Indian', 'Pacific', 'UTC'] as const;
type ZoneGroup = (typeof ZONE_GROUPS)[number];
const groupOf = (zone: string): ZoneGroup => {
  const head = zone.split('/')[0]!;
  if (head === 'Arctic') return 'Europe';
  return (ZONE_GROUPS as readonly string[]).includes(head) ? (head as ZoneGroup) : 'UTC';
};

type ZoneOption = { value: string; label: string; minutes: number };
const zoneOptionCache = new Map<string, { hour: number; groups: Array<{ group: ZoneGroup; zones: ZoneOption[] }> }>();

/**
 * The time zones as registrants look for them: grouped by region (named in the page's language), each
 * with its current UTC offset, its city and its name in the page's language ("UTC+05:30 · Kolkata · 印度时间"),
 * ordered by offset, then city; current IANA names (Kyiv, Kolkata), never the legacy ones. Offsets are
 * those of now (summer or winter time), recomputed each hour.
 */
export function timeZoneOptions(lang: Language, selected: string | undefined, now: Date = new Date()): SafeHtml {
  const hour = Math.floor(now.getTime() / 3_600_000);
  let cached = zoneOptionCache.get(lang);
  if (!cached || cached.hour !== hour) {
    const locale = pageLocale(lang);
    const collator = new Intl.Collator(locale);
    const byGroup = new Map<ZoneGroup, ZoneOption[]>();
    for (const zone of timeZoneNames()) {
      const offset = utcOffset(zone, now);
      const city = zone === 'UTC' ? 'UTC' : zone.split('/').slice(1).join(' / ').replace(/_/g, ' ');
      const generic = zone === 'UTC' ? '' : new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'longGeneric' }).formatToParts(now).find((p) => p.type === 'timeZoneName')?.value;
      const label = [`UTC${offset.text}`, city, generic && !generic.startsWith('GMT') ? generic : ''].filter(Boolean).join(' · ');
      byGroup.set(groupOf(zone), [...(byGroup.get(groupOf(zone)) ?? []), { value: zone, label, minutes: offset.minutes }]);
    }
    const groups = ZONE_GROUPS.filter((group) => byGroup.has(group)).map((group) => ({
      group,
      zones: byGroup.get(group)!.sort((a, b) => a.minutes - b.minutes || collator.compare(a.label, b.label)),
    }));
    cached = { hour, groups };
    zoneOptionCache.set(lang, cached);
  }
  const current = selected === undefined ? undefined : currentZoneName(selected);
  const listed = cached.groups.some((group) => group.zones.some((zone) => zone.value === current));
  // A zone the list lacks (one the browser named, still valid) stays selected, first, as it was given.
  return html`${current && !listed ? html`<option value="${selected}" selected>${selected!.replace(/_/g, ' ')}</option>` : ''}${cached.groups.map(
    ({ group, zones }) => html`<optgroup label="${tp(lang, `zone.group.${group}`)}">${zones.map((zone) => html`<option value="${zone.value}"${zone.value === current ? html` selected` : ''}>${zone.label}</option>`)}</optgroup>`,
  )}`;
}

/** A form value as one string (the first, when a field came several times). */
export function stringValue(value: string | string[] | boolean | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value[0];
  return undefined;
}

/** A form value as a list of strings (checkbox groups arrive as one string or several). */
export function listValue(value: string | string[] | boolean | undefined): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value;
  return [];
}

/** A checkbox's posted value as ticked or not. */
export function isTicked(value: string | string[] | boolean | undefined): boolean {
  const text = typeof value === 'boolean' ? value : stringValue(value);
  return text === true || text === 'on' || text === 'true' || text === '1';
}

/** Allows only http(s) and same-site links, so a stored URL can never become `javascript:`. */
export function safeHref(url: string): string {
  return /^(https?:\/\/|\/(?!\/))/i.test(url) ? url : '#';
}
