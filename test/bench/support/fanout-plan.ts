import type { Language, Session } from '../../../functions/core/model.ts';
import { formatRange, zoneLabel } from '../../../functions/core/time-format.ts';

/** What the bare fan-out loop sends: the session and time of the invitations, per language the template and the destinations. */
export type BulkPlan = {
  session: Session;
  at: string;
  groups: Array<{
    language: Language;
    template: { subject: string; html: string; text: string };
    tags: Record<string, string>;
    entries: Array<{ to: string; data: Record<string, string>; tags: Record<string, string> }>;
  }>;
};

/** A notice's time line as functions/programme/send-notices.ts builds it (not exported there). */
export const timeIn = (startsAt: string, endsAt: string, zone: string, lang: Language) => `${formatRange(startsAt, endsAt, zone, lang)} (${zoneLabel(startsAt, zone, lang)})`;
