import type { Language } from '../../../functions/core/model.ts';
import { formatRange, zoneLabel } from '../../../functions/core/time-format.ts';

/** What the bare fan-out loop sends: per language, the template, the attachment and the destinations. */
export type BulkPlan = {
  groups: Array<{
    language: Language;
    template: { subject: string; html: string; text: string };
    attachments: Array<{ filename: string; contentType: string; content: string }>;
    tags: Record<string, string>;
    entries: Array<{ to: string; data: Record<string, string>; tags: Record<string, string> }>;
  }>;
};

/** The time line of a notice, exactly as functions/programme/send-notices.ts builds it (not exported there). */
export const timeIn = (startsAt: string, endsAt: string, zone: string, lang: Language) => `${formatRange(startsAt, endsAt, zone, lang)} (${zoneLabel(startsAt, zone, lang)})`;
