import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { programmeFile, sessionKinds, timeZone, type SessionInput } from '../../functions/core/model.ts';
import { utcOffset } from '../../functions/core/time-format.ts';

/**
 * The demo programme for local runs, kept as data in demo-programme.json: a virtual forum with six weeks
 * of weekly sessions and a final high-level week, in the spirit of the WSIS Forum 2020. Each session says
 * `when` it takes place (week from the first Monday after `now`, working day, local start, duration);
 * this loader turns that into ISO dates and parses the result with the import schema, so the seed is
 * exactly what `npm run admin -- import-programme` would accept.
 */
export const DEMO_PROGRAMME_FILE = path.join(import.meta.dirname, 'demo-programme.json');

/** Every session kind the demo programme may use, in programme order. */
export const demoKinds = sessionKinds;
export type DemoKind = (typeof demoKinds)[number];
export type DemoSession = SessionInput;
export type DemoProgramme = { sessions: DemoSession[] };

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
const weekdays = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'] as const;

/** The JSON file: each session as the import schema has it, with `when` in place of startsAt/endsAt. */
const demoFile = z
  .object({
    about: z.array(z.string()).optional(),
    timeZone,
    sessions: z
      .array(
        z.looseObject({
          /** Kept in the file to explain a choice; never sent. */
          note: z.string().optional(),
          when: z.strictObject({
            /** 1 = the week of the first Monday strictly after `now`. */
            week: z.number().int().min(1).max(52),
            day: z.enum(weekdays),
            /** Local wall-clock time in the file's time zone, 'HH:MM'. */
            start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
            minutes: z.number().int().positive(),
          }),
        }),
      )
      .min(1),
  })
  .strict();

let cached: z.infer<typeof demoFile> | undefined;
function loadDemoFile(): z.infer<typeof demoFile> {
  cached ??= demoFile.parse(JSON.parse(readFileSync(DEMO_PROGRAMME_FILE, 'utf8')));
  return cached;
}

/** The zone's UTC offset in minutes at the given instant. */
const offsetMinutes = (timeZone: string, epochMs: number): number => utcOffset(timeZone, new Date(epochMs)).minutes;

const pad = (value: number): string => String(value).padStart(2, '0');

/** A wall-clock time (encoded as if it were UTC) as ISO 8601 with the zone's offset on that date. */
function wallTimeToIso(zone: string, wallMs: number): string {
  // The offset depends on the real instant, which depends on the offset; one refinement step is exact for
  // every time outside the hour a daylight-saving change skips or repeats, where the programme has nothing.
  const offset = offsetMinutes(zone, wallMs - offsetMinutes(zone, wallMs) * MINUTE_MS);
  const wall = new Date(wallMs);
  const abs = Math.abs(offset);
  return (
    `${wall.getUTCFullYear()}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}` +
    `T${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:00` +
    `${offset < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/** Midnight (wall clock, encoded as UTC) of the first Monday strictly after `now` in the zone. */
function nextMonday(zone: string, now: Date): number {
  const nowMs = now.getTime();
  if (Number.isNaN(nowMs)) throw new RangeError('demoProgramme: `now` is an invalid Date');
  // Shift into wall-clock time so getUTC* reads the local calendar date (near midnight it differs from UTC's).
  const wall = new Date(nowMs + offsetMinutes(zone, nowMs) * MINUTE_MS);
  // "Strictly after": a Monday `now` jumps a full week ahead.
  const daysAhead = (8 - wall.getUTCDay()) % 7 || 7;
  return Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate() + daysAhead);
}

type FileSession = z.infer<typeof demoFile>['sessions'][number];
const demoLanguages = ['ar', 'en', 'es', 'fr', 'ru', 'zh'] as const;

/** Titles of the parallel tracks, per language; `{name}` is a country or region, `{line}` a WSIS action line. */
const trackTitles = {
  'country-workshop': { en: 'Country workshop: {name}', fr: 'Atelier national : {name}', es: 'Taller nacional: {name}', ru: 'Страновой семинар: {name}', zh: '国别研讨会：{name}', ar: 'ورشة عمل قُطرية: {name}' },
  'knowledge-cafe': { en: 'Knowledge café: {name}', fr: 'Café du savoir : {name}', es: 'Café del conocimiento: {name}', ru: 'Кафе знаний: {name}', zh: '知识咖啡馆：{name}', ar: 'مقهى المعرفة: {name}' },
  'action-line-meeting': {
    en: 'WSIS action line {line}: facilitators’ meeting',
    fr: 'Grande orientation {line} du SMSI : réunion des coordonnateurs',
    es: 'Línea de acción {line} de la CMSI: reunión de facilitadores',
    ru: 'Направление деятельности {line} ВВУИО: встреча координаторов',
    zh: '信息社会世界峰会行动方面 {line}：协调员会议',
    ar: 'خط العمل {line} للقمة العالمية لمجتمع المعلومات: اجتماع الميسّرين',
  },
} as const;

/** Countries of the early and late country workshops (Asia-Pacific mornings, Africa and the Americas evenings). */
const morningCountries = ['JP', 'KR', 'VN', 'PH', 'TH', 'MY', 'IN', 'PK', 'LK', 'NP', 'MN', 'AU', 'NZ', 'FJ', 'PG', 'CN', 'KH', 'LA', 'BT', 'MV', 'UZ', 'KG', 'TJ', 'AZ', 'GE', 'AM', 'IR', 'JO', 'OM', 'QA'];
const eveningCountries = ['BR', 'AR', 'CL', 'PE', 'MX', 'CR', 'PA', 'JM', 'TT', 'CA', 'US', 'EC', 'BO', 'PY', 'UY', 'NG', 'GH', 'SN', 'CI', 'KE', 'ET', 'UG', 'TZ', 'ZA', 'NA', 'BW', 'ZM', 'MA', 'TN', 'CM'];
/** UN M49 regions and subregions of the knowledge cafés. */
const regions = ['002', '015', '011', '014', '017', '018', '202', '019', '419', '029', '013', '005', '021', '003', '142', '143', '030', '034', '035', '145', '150', '151', '154', '039', '155', '009', '053', '054', '057', '061'];

/**
 * The parallel tracks of weeks 1 to 6, beside the sessions of the file: each working day, a country
 * workshop at 07:00 and at 19:00, a knowledge café at 12:00 and an action-line meeting at 17:30 (Zurich),
 * 120 sessions, so the demo has what a real forum's registration page has: over 150 sessions over several
 * weeks, some at the same time as others. Names of countries and regions come from Intl.DisplayNames in
 * each language.
 */
function parallelTracks(): FileSession[] {
  const names = Object.fromEntries(demoLanguages.map((lang) => [lang, new Intl.DisplayNames([lang], { type: 'region' })]));
  const titled = (kind: keyof typeof trackTitles, values: (lang: (typeof demoLanguages)[number]) => Record<string, string>) =>
    Object.fromEntries(demoLanguages.map((lang) => [lang, trackTitles[kind][lang].replace(/\{(\w+)\}/g, (_, key: string) => values(lang)[key] ?? key)]));
  const sessions: FileSession[] = [];
  let day = 0;
  for (let week = 1; week <= 6; week++) {
    for (const weekday of weekdays) {
      const at = (start: string, minutes: number) => ({ week, day: weekday, start, minutes });
      const slot = (id: string, kind: keyof typeof trackTitles, when: FileSession['when'], capacity: number, title: Record<string, string>): FileSession => {
        const sessionId = `w${week}-${weekday.toLowerCase()}-${id}`;
        return { sessionId, when, kind, capacity, title, joinUrl: `https://meet.example.org/${sessionId}` };
      };
      const country = (code: string) => titled('country-workshop', (lang) => ({ name: names[lang]!.of(code) ?? code }));
      const morning = morningCountries[day]!;
      const evening = eveningCountries[day]!;
      const region = regions[day]!;
      const line = `C${(day % 11) + 1}`;
      sessions.push(
        slot(`country-${morning.toLowerCase()}`, 'country-workshop', at('07:00', 60), 100, country(morning)),
        slot(`cafe-${region}`, 'knowledge-cafe', at('12:00', 60), 40, titled('knowledge-cafe', (lang) => ({ name: names[lang]!.of(region) ?? region }))),
        slot(`action-line-${line.toLowerCase()}`, 'action-line-meeting', at('17:30', 60), 150, titled('action-line-meeting', () => ({ line }))),
        slot(`country-${evening.toLowerCase()}`, 'country-workshop', at('19:00', 60), 100, country(evening)),
      );
      day++;
    }
  }
  return sessions;
}

const startOf = (when: FileSession['when']) => ((when.week - 1) * 7 + weekdays.indexOf(when.day)) * DAY_MS + Number(when.start.slice(0, 2)) * 3_600_000 + Number(when.start.slice(3)) * MINUTE_MS;

/**
 * Builds the demo programme from demo-programme.json and its parallel tracks (`parallelTracks`): sessions from the first Monday strictly after `now`
 * in the file's zone (Europe/Zurich), on working days between 07:00 and 20:00 local time. Every timestamp
 * carries the offset valid on its own date, so weeks on either side of a daylight-saving change get
 * `+01:00` or `+02:00` accordingly.
 *
 * @param now - Reference instant; the output depends only on it (and the file).
 * @returns The sessions in chronological order, validated by the import schema (`programmeFile`).
 * @throws RangeError if `now` is an invalid Date; a ZodError if the file or a session in it is invalid.
 */
export function demoProgramme(now: Date): DemoProgramme {
  const file = loadDemoFile();
  const monday = nextMonday(file.timeZone, now);
  const all = [...file.sessions, ...parallelTracks()].sort((a, b) => startOf(a.when) - startOf(b.when));
  const sessions = all.map(({ note: _note, when, ...session }) => {
    const [hours, minutes] = when.start.split(':').map(Number) as [number, number];
    // Wall-clock arithmetic keeps local times fixed across daylight-saving changes.
    const startWall = monday + ((when.week - 1) * 7 + weekdays.indexOf(when.day)) * DAY_MS + (hours * 60 + minutes) * MINUTE_MS;
    return { ...session, startsAt: wallTimeToIso(file.timeZone, startWall), endsAt: wallTimeToIso(file.timeZone, startWall + when.minutes * MINUTE_MS) };
  });
  return programmeFile.parse({ sessions });
}
