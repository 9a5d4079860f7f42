import { html, type SafeHtml } from '../html.ts';
import { pageLocale, pageText, tp, type PageMessageKey } from '../i18n/page-messages.ts';
import { pickText, sessionKinds, type Language, type LocalisedText } from '../model.ts';
import type { SessionView } from '../sessions-view.ts';
import { formatRange, zoneLabel } from '../time-format.ts';

type SessionKind = (typeof sessionKinds)[number];

export type KindGroup<S> = { kind: SessionKind; sessions: S[] };
export type WeekGroup<S> = { weekStart: string; kinds: Array<KindGroup<S>> };

const DAY_MS = 86_400_000;
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/**
 * The Monday (YYYY-MM-DD) of the ISO week an instant falls in, as a calendar date in `timeZone`: a
 * session at 00:30 Monday in Geneva belongs to that week even though it is still Sunday in UTC.
 */
export function isoWeekStart(at: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', weekday: 'short' }).formatToParts(
    new Date(at),
  );
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const localDay = Date.UTC(Number(part('year')), Number(part('month')) - 1, Number(part('day')));
  const monday = new Date(localDay - ((WEEKDAYS[part('weekday')] ?? 1) - 1) * DAY_MS);
  return monday.toISOString().slice(0, 10);
}

/**
 * Groups sessions by ISO week (in the forum's time zone) and, inside a week, by kind in the programme's
 * order of kinds; sessions inside a group run by start time.
 */
export function groupProgramme<S extends Pick<SessionView, 'startsAt' | 'kind' | 'sessionId'>>(sessions: readonly S[], forumTimeZone: string): Array<WeekGroup<S>> {
  const sorted = [...sessions].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt) || a.sessionId.localeCompare(b.sessionId));
  const weeks = new Map<string, Map<SessionKind, S[]>>();
  for (const session of sorted) {
    const week = isoWeekStart(session.startsAt, forumTimeZone);
    const kinds = weeks.get(week) ?? new Map<SessionKind, S[]>();
    kinds.set(session.kind, [...(kinds.get(session.kind) ?? []), session]);
    weeks.set(week, kinds);
  }
  return [...weeks.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([weekStart, kinds]) => ({
      weekStart,
      kinds: sessionKinds.filter((kind) => kinds.has(kind)).map((kind) => ({ kind, sessions: kinds.get(kind)! })),
    }));
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
function labelWithZone(lang: Language, key: PageMessageKey, zone: string, zoneClass?: string): SafeHtml {
  const marker = '\u0000';
  const [before = '', after = ''] = tp(lang, key, { zone: marker }).split(marker);
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
  if (select.getAttribute('data-auto') === 'true') {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone) {
      var known = false;
      for (var k = 0; k < select.options.length; k++) if (select.options[k].value === zone) known = true;
      if (!known) select.add(new Option(zone.replace(/_/g, ' '), zone), 0);
      select.value = zone;
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
