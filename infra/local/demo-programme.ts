import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { programmeFile, sessionKinds, timeZone, type SessionInput } from '../../functions/core/model.ts';

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

/** The zone's UTC offset in minutes at the given instant ('en-US' pins the "GMT+01:00" shape, or bare "GMT"). */
function offsetMinutes(format: Intl.DateTimeFormat, epochMs: number): number {
  const name = format.formatToParts(new Date(epochMs)).find((part) => part.type === 'timeZoneName')?.value;
  if (name === undefined) throw new Error('Intl did not return a time zone name');
  if (name === 'GMT') return 0;
  const match = /^GMT([+-])(\d{2}):(\d{2})$/.exec(name);
  if (match === null) throw new Error(`Unexpected time zone offset format: ${name}`);
  const magnitude = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -magnitude : magnitude;
}

const pad = (value: number): string => String(value).padStart(2, '0');

/** A wall-clock time (encoded as if it were UTC) as ISO 8601 with the zone's offset on that date. */
function wallTimeToIso(format: Intl.DateTimeFormat, wallMs: number): string {
  // The offset depends on the real instant, which depends on the offset; one refinement step is exact for
  // every time outside the hour a daylight-saving change skips or repeats, where the programme has nothing.
  const offset = offsetMinutes(format, wallMs - offsetMinutes(format, wallMs) * MINUTE_MS);
  const wall = new Date(wallMs);
  const abs = Math.abs(offset);
  return (
    `${wall.getUTCFullYear()}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}` +
    `T${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:00` +
    `${offset < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/** Midnight (wall clock, encoded as UTC) of the first Monday strictly after `now` in the zone. */
function nextMonday(format: Intl.DateTimeFormat, now: Date): number {
  const nowMs = now.getTime();
  if (Number.isNaN(nowMs)) throw new RangeError('demoProgramme: `now` is an invalid Date');
  // Shift into wall-clock time so getUTC* reads the local calendar date (near midnight it differs from UTC's).
  const wall = new Date(nowMs + offsetMinutes(format, nowMs) * MINUTE_MS);
  // "Strictly after": a Monday `now` jumps a full week ahead.
  const daysAhead = (8 - wall.getUTCDay()) % 7 || 7;
  return Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate() + daysAhead);
}

/**
 * Builds the demo programme from demo-programme.json: sessions from the first Monday strictly after `now`
 * in the file's zone (Europe/Zurich), on working days between 09:00 and 18:00 local time. Every timestamp
 * carries the offset valid on its own date, so weeks on either side of a daylight-saving change get
 * `+01:00` or `+02:00` accordingly.
 *
 * @param now - Reference instant; the output depends only on it (and the file).
 * @returns The sessions in chronological order, validated by the import schema (`programmeFile`).
 * @throws RangeError if `now` is an invalid Date; a ZodError if the file or a session in it is invalid.
 */
export function demoProgramme(now: Date): DemoProgramme {
  const file = loadDemoFile();
  const format = new Intl.DateTimeFormat('en-US', { timeZone: file.timeZone, timeZoneName: 'longOffset' });
  const monday = nextMonday(format, now);
  const sessions = file.sessions.map(({ note: _note, when, ...session }) => {
    const [hours, minutes] = when.start.split(':').map(Number) as [number, number];
    // Wall-clock arithmetic keeps local times fixed across daylight-saving changes.
    const startWall = monday + ((when.week - 1) * 7 + weekdays.indexOf(when.day)) * DAY_MS + (hours * 60 + minutes) * MINUTE_MS;
    return { ...session, startsAt: wallTimeToIso(format, startWall), endsAt: wallTimeToIso(format, startWall + when.minutes * MINUTE_MS) };
  });
  return programmeFile.parse({ sessions });
}
