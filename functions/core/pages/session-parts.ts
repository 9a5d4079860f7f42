import { html, type SafeHtml } from '../html.ts';
import { pageLocale, pageText, tp, type PageMessageKey } from '../i18n/page-messages.ts';
import { pickText, sessionKinds, type Language, type LocalisedText } from '../model.ts';
import type { SessionView } from '../sessions-view.ts';
import { formatRange, zoneLabel } from '../time-format.ts';

type SessionKind = (typeof sessionKinds)[number];


const DAY_MS = 86_400_000;
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** Intl formatters per zone: building one costs about as much as rendering a session, and a page renders hundreds. */
const weekdayFormats = new Map<string, Intl.DateTimeFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const dayFormats = new Map<string, Intl.DateTimeFormat>();
function cachedFormat(cache: Map<string, Intl.DateTimeFormat>, zone: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let format = cache.get(zone);
  if (!format) cache.set(zone, (format = make()));
  return format;
}

/**
 * The Monday (YYYY-MM-DD) of the ISO week an instant falls in, as a calendar date in `timeZone`: a
 * session at 00:30 Monday in Geneva belongs to that week even though it is still Sunday in UTC.
 */
export function isoWeekStart(at: string, timeZone: string): string {
  const parts = cachedFormat(weekdayFormats, timeZone, () => new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', weekday: 'short' })).formatToParts(
    new Date(at),
  );
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const localDay = Date.UTC(Number(part('year')), Number(part('month')) - 1, Number(part('day')));
  const monday = new Date(localDay - ((WEEKDAYS[part('weekday')] ?? 1) - 1) * DAY_MS);
  return monday.toISOString().slice(0, 10);
}

export type DayGroup<S> = { day: string; sessions: S[] };
export type ProgrammeWeek<S> = { weekStart: string; days: Array<DayGroup<S>>; count: number };

/** The calendar date (YYYY-MM-DD) an instant falls on in `timeZone`. */
export function localDate(at: string, timeZone: string): string {
  return cachedFormat(dateFormats, timeZone, () => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })).format(new Date(at));
}

/**
 * The programme as registrants read it: weeks (ISO weeks in the forum's zone), and in each week the days
 * in the registrant's zone, sessions in start order (then by id, so the order never changes between loads).
 */
export function programmeByDay<S extends Pick<SessionView, 'startsAt' | 'sessionId'>>(sessions: readonly S[], forumTimeZone: string, displayTimeZone: string): Array<ProgrammeWeek<S>> {
  const sorted = [...sessions].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt) || a.sessionId.localeCompare(b.sessionId));
  const weeks = new Map<string, Map<string, S[]>>();
  for (const session of sorted) {
    const week = isoWeekStart(session.startsAt, forumTimeZone);
    const days = weeks.get(week) ?? new Map<string, S[]>();
    const day = localDate(session.startsAt, displayTimeZone);
    days.set(day, [...(days.get(day) ?? []), session]);
    weeks.set(week, days);
  }
  return [...weeks.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([weekStart, days]) => ({
      weekStart,
      days: [...days.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([day, list]) => ({ day, sessions: list })),
      count: [...days.values()].reduce((sum, list) => sum + list.length, 0),
    }));
}

/** "Monday 16 March", a calendar date in the page's language. */
export function dayHeading(lang: Language, day: string): string {
  return cachedFormat(dayFormats, lang, () => new Intl.DateTimeFormat(pageLocale(lang), { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long' })).format(new Date(`${day}T12:00:00Z`));
}

/** "Week of 7 December 2026", the date in the page's language. */
export function weekHeading(lang: Language, weekStart: string): string {
  const date = new Intl.DateTimeFormat(pageLocale(lang), { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' }).format(
    new Date(`${weekStart}T12:00:00Z`),
  );
  return tp(lang, 'register.week', { date });
}

/**
 * A translated label with its zone name in its own element, so the page script can swap the zone
 * without knowing how each language words "your time (…)".
 */
export function labelWithZone(lang: Language, key: PageMessageKey, zone: string, zoneClass?: string, values: Record<string, string> = {}): SafeHtml {
  const marker = '\u0000';
  const [before = '', after = ''] = tp(lang, key, { ...values, zone: marker }).split(marker);
  return html`${before}<span${zoneClass ? html` class="${zoneClass}"` : ''}>${zone}</span>${after}`;
}

/**
 * A session's times in the registrant's zone and in the forum's, each labelled with its zone. The
 * registrant's line carries `data-start`/`data-end`, so the page script can re-render it in the
 * browser's zone.
 */
export function sessionTimes(lang: Language, session: Pick<SessionView, 'startsAt' | 'endsAt'>, yourZone: string, forumZone: string): SafeHtml {
  const local = formatRange(session.startsAt, session.endsAt, yourZone, lang);
  const forum = formatRange(session.startsAt, session.endsAt, forumZone, lang);
  return html`<dl class="times">${timeRow(labelWithZone(lang, 'time.yours', zoneLabel(session.startsAt, yourZone, lang), 'js-local-zone'), local, session, true)}${timeRow(
    labelWithZone(lang, 'time.forum', zoneLabel(session.startsAt, forumZone, lang)),
    forum,
    session,
    false,
  )}</dl>`;
}

function timeRow(label: SafeHtml, text: string, session: Pick<SessionView, 'startsAt' | 'endsAt'>, local: boolean): SafeHtml {
  const time = local
    ? html`<time class="js-local-range" datetime="${session.startsAt}" data-start="${session.startsAt}" data-end="${session.endsAt}">${text}</time>`
    : html`<time datetime="${session.startsAt}">${text}</time>`;
  return html`<dt>${label}</dt><dd>${time}</dd>`;
}

/** "12 seats left", "Waiting list", "Requires approval" or "Closed", as a badge. */
export function availabilityBadge(lang: Language, session: Pick<SessionView, 'availability' | 'seatsLeft'>): SafeHtml {
  return html`<span class="badge badge--${session.availability}">${pageText.availability(lang, session)}</span>`;
}

/**
 * Organisers' text in the page language, or its English fallback marked `lang="en"`. `<bdi>` isolates
 * its direction, so an English title keeps its punctuation in place on an Arabic page, and an Arabic
 * name on an English page.
 */
export function organiserText(text: LocalisedText, lang: Language): SafeHtml {
  return html`<bdi${text[lang] === undefined && lang !== 'en' ? html` lang="en"` : ''}>${pickText(text, lang)}</bdi>`;
}

/** The session's title, or "Session <id>" for a session the programme no longer lists. */
export function sessionTitle(lang: Language, session: Pick<SessionView, 'title'> | undefined, sessionId: string): SafeHtml {
  return session ? organiserText(session.title, lang) : html`<bdi>${tp(lang, 'session.unknown', { sessionId })}</bdi>`;
}

export function sessionDescription(lang: Language, session: Pick<SessionView, 'description'>): SafeHtml | '' {
  return session.description ? html`<p class="description">${organiserText(session.description, lang)}</p>` : '';
}

export { formatInstant } from '../time-format.ts';

/** The code the registration page runs to show times in the browser's own zone. */
export const localTimesScript = `
(function () {
  var select = document.getElementById('field-timeZone');
  var programme = document.querySelector('[data-locale]');
  if (!select || !programme || !window.Intl) return;
  var locale = programme.getAttribute('data-locale');
  function render(zone) {
    var range, label;
    try {
      range = new Intl.DateTimeFormat(locale, { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
      label = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'short' });
    } catch (e) { return; }
    var shown = document.querySelector('.js-display-zone');
    if (shown) {
      var now = label.formatToParts(new Date());
      for (var n = 0; n < now.length; n++) if (now[n].type === 'timeZoneName') shown.textContent = zone.replace(/_/g, ' ') + ' (' + now[n].value + ')';
    }
    // Day headings follow the zone too (a day's first session dates it; one near midnight may then sit
    // under the neighbouring day's heading until the page is loaded with ?tz=).
    var dayNames = new Intl.DateTimeFormat(locale, { timeZone: zone, weekday: 'long', day: 'numeric', month: 'long' });
    var days = document.querySelectorAll('section.day');
    for (var d = 0; d < days.length; d++) {
      var first = days[d].querySelector('.js-local-range');
      var heading = days[d].querySelector('.day__heading');
      if (first && heading) heading.textContent = dayNames.format(new Date(first.getAttribute('data-start')));
    }
    var times = document.querySelectorAll('.js-local-range');
    for (var i = 0; i < times.length; i++) {
      var el = times[i];
      var start = new Date(el.getAttribute('data-start'));
      var end = new Date(el.getAttribute('data-end'));
      el.textContent = range.formatRange ? range.formatRange(start, end) : range.format(start);
      var row = el.closest('dl');
      var zoneEl = row && row.querySelector('.js-local-zone');
      if (zoneEl) {
        var parts = label.formatToParts(start);
        for (var j = 0; j < parts.length; j++) if (parts[j].type === 'timeZoneName') zoneEl.textContent = parts[j].value;
      }
    }
  }
  /** A zone the list lacks (the browser's own, maybe an old name) is added first, so it can be selected. */
  function addZone(list, zone) {
    for (var k = 0; k < list.options.length; k++) if (list.options[k].value === zone) return;
    list.add(new Option(zone.replace(/_/g, ' '), zone), 0);
  }
  if (select.getAttribute('data-auto') === 'true') {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone) {
      addZone(select, zone);
      select.value = zone;
      // The filters' "Times in" names the same zone, so a reload with Show keeps what the page shows.
      var shownZone = document.getElementById('filter-zone');
      if (shownZone) {
        addZone(shownZone, zone);
        shownZone.value = zone;
      }
      render(zone);
    }
  }
  select.addEventListener('change', function () { render(select.value); });
})();
`;

/** Moves focus to the error summary, so keyboard and screen-reader users start from the list of problems. */
export const focusSummaryScript = `
(function () {
  var summary = document.querySelector('.error-summary');
  if (summary) summary.focus();
})();
`;
