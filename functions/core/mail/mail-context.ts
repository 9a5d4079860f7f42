import { t } from '../i18n/mail-messages.ts';
import type { Participant, Session } from '../model.ts';
import { formatRange, zoneLabel } from '../time-format.ts';

/** What every mail to a registrant needs to know of the forum: sender, public URL, the forum's zone. */
export type MailContext = { from: string; publicUrl: string; forumTimeZone: string };

/** "14:00–15:30 (your time, JST) · 06:00–07:30 (forum time, CET)", in the registrant's language. */
export function sessionTimes(session: Session, participant: Participant, forumTimeZone: string): string {
  const lang = participant.language;
  return t(lang, 'mail.times', {
    local: formatRange(session.startsAt, session.endsAt, participant.timeZone, lang),
    zone: zoneLabel(session.startsAt, participant.timeZone, lang),
    forum: formatRange(session.startsAt, session.endsAt, forumTimeZone, lang),
    forumZone: zoneLabel(session.startsAt, forumTimeZone, lang),
  });
}

/** What the registration mail needs to read. */
export interface MailDataReader {
  getParticipant(participantId: string): Promise<Participant | undefined>;
  getSessions(sessionIds: readonly string[]): Promise<Map<string, Session>>;
}

