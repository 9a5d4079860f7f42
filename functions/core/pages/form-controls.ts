import { countryCodes } from '../countries.ts';
import type { FieldProblem } from '../errors.ts';
import { html, type SafeHtml } from '../html.ts';
import { pageLocale, pageText, tp } from '../i18n/page-messages.ts';
import { languages, stakeholderTypes, type Language } from '../model.ts';

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

let zoneCache: string[] | undefined;

/** The runtime's IANA zones, plus UTC (which ICU lists only as an alias). */
function timeZoneNames(): string[] {
  zoneCache ??= [...new Set([...Intl.supportedValuesOf('timeZone'), 'UTC'])].sort();
  return zoneCache;
}

/** Every time zone; a selected zone the list lacks (an alias such as Asia/Kolkata) is added so it stays selected. */
export function timeZoneItems(selected: string | undefined): OptionItem[] {
  const names = timeZoneNames();
  const all = selected && !names.includes(selected) ? [selected, ...names] : names;
  return all.map((value) => ({ value, label: value.replace(/_/g, ' ') }));
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
