import type { Clock } from '../core/clock.ts';
import { fanOut, type FanOutDeps } from '../delivery/index.ts';
import { recipientPages } from '../delivery/index.ts';
import { escapeHtml, html, SafeHtml } from '../core/html.ts';
import { t } from '../core/i18n/mail-messages.ts';
import type { BulkSend } from '../core/mail/bulk-mailer.ts';
import { sessionInvite } from '../core/mail/calendar.ts';
import { mailLayout } from '../core/mail/layout.ts';
import { joinLink, organiserOf, type MailContext } from '../core/mail/mail-context.ts';
import { pickText, type Language, type Participant, type Session } from '../core/model.ts';
import type { StoredRegistration } from '../core/model.ts';
import { formatRange, zoneLabel } from '../core/time-format.ts';
import type { TokenSigner } from '../identity/index.ts';
import { visibleDifferences, visibleState, type PendingNotice, type VisibleState } from './change-session.ts';

export type NoticeDeps = FanOutDeps & {
  notices: {
    dueNotices(now: Date): Promise<PendingNotice[]>;
    getSession(sessionId: string): Promise<Session | undefined>;
    /** `sendingSince`: when this run began the notice; a change made meanwhile dates from no earlier. */
    completeNotice(notice: PendingNotice, sent: VisibleState, sendingSince: Date): Promise<void>;
  };
  registrations: { sessionRegistrationPages(sessionId: string): AsyncIterable<StoredRegistration[]> };
  participants: { getParticipants(ids: readonly string[]): Promise<Map<string, Participant>> };
  tokens: TokenSigner;
  context: MailContext;
  tokenTtlDays: number;
  clock: Clock;
};

/** Everyone who holds or awaits a seat hears about a change: confirmed, offered and waitlisted. */
const NOTIFIED = new Set(['confirmed', 'offered', 'waitlisted']);

const timeIn = (startsAt: string, endsAt: string, zone: string, lang: Language) =>
  `${formatRange(startsAt, endsAt, zone, lang)} (${zoneLabel(startsAt, zone, lang)})`;

/**
 * What changed as a registrant reading `lang` sees it: the title and description only where their text
 * in that language changed (an English retitling is no news to a French reader).
 */
export function changesIn(lang: Language, before: VisibleState, after: VisibleState, changes: readonly string[], seat = true): string[] {
  const text = (value: Session['title'] | undefined) => (value ? pickText(value, lang) : '');
  return changes.filter((change) => {
    if (change === 'title') return text(before.title) !== text(after.title);
    if (change === 'description') return text(before.description) !== text(after.description);
    // The join link is the seat's: a new one is news only to those who hold one.
    if (change === 'joinUrl') return seat;
    return true;
  });
}

/**
 * The `notices` schedule: every session whose burst of edits has been quiet for the quiet period gets
 * one notice per registrant, stating the final state and what changed since they were last told (old
 * time → new time in their zone), with a calendar update for those who hold a seat (same UID, higher
 * SEQUENCE; METHOD:CANCEL when cancelled). A burst that changed nothing visible in the end sends nothing,
 * and a registrant sees nothing of a change in a language they do not read. A notice that could not
 * reach everyone in this run (its time was up, the daily quota was spent, SES kept refusing some for now)
 * stays due, and the next run resumes it where it stopped.
 */
export async function sendDueNotices(deps: NoticeDeps, now: Date): Promise<{ notices: number; sent: number; calls: number; failed: number; unreached: number; throttled: number; stopped?: string }> {
  const totals: { notices: number; sent: number; calls: number; failed: number; unreached: number; throttled: number; stopped?: string } = { notices: 0, sent: 0, calls: 0, failed: 0, unreached: 0, throttled: 0 };
  for (const notice of await deps.notices.dueNotices(now)) {
    const sendingSince = deps.clock.now();
    const session = await deps.notices.getSession(notice.sessionId);
    if (!session) continue;
    const current = visibleState(session);
    const changes = visibleDifferences(notice.baseline, current);
    if (changes.length > 0) {
      const jobKey = `notice-v${notice.version}`;
      const letter = noticeLetters(session, notice, changes, deps.context);
      const recipients = recipientPages({
        reached: await deps.progress.reached(session.sessionId, jobKey),
        pages: deps.registrations.sessionRegistrationPages(session.sessionId),
        participants: deps.participants,
        statuses: NOTIFIED,
        tokens: deps.tokens,
        publicUrl: deps.context.publicUrl,
        tokenExpiresAt: new Date(deps.clock.now().getTime() + deps.tokenTtlDays * 86_400_000),
        accept: (participant, registration) => changesIn(participant.language, notice.baseline, current, changes, registration.status === 'confirmed').length > 0,
        extra: (participant, _links, registration) => {
          const seat = registration.status === 'confirmed';
          // Who registered after the burst's first change never saw the time it had before.
          const sawBefore = !notice.changedAt || Date.parse(registration.registeredAt) < Date.parse(notice.changedAt);
          return { data: letter(participant.language, participant.timeZone, { seat, sawBefore }), ...(seat ? { invite: true } : {}) };
        },
      });
      const result = await fanOut(deps, { key: jobKey, kind: 'notice', recipients, content: (lang) => noticeContent(lang, session, deps.context, now) });
      totals.notices++;
      totals.sent += result.sent;
      totals.calls += result.calls;
      totals.failed += result.failed.length;
      totals.unreached += result.unreached;
      totals.throttled += result.throttled;
      // A notice is done only when everyone is reached or failed for good; otherwise it stays due and the
      // next run resumes it. A run that had to stop (its time, the daily quota) starts no further notice;
      // one that only left recipients refused for now goes on to the next notice.
      if (!result.complete) {
        if (!result.stopped) continue;
        totals.stopped = result.stopped;
        break;
      }
    }
    await deps.notices.completeNotice(notice, current, sendingSince);
  }
  return totals;
}

/**
 * The words of one notice for one kind of reader (language, zone, holding a seat or not, having seen the
 * time before or not), made once per kind: subject and body as template data. Organiser text (titles,
 * the reason, links) reaches the mail only as such values, never as template text.
 */
export function noticeLetters(session: Session, notice: PendingNotice, changes: readonly string[], context: MailContext) {
  const current = visibleState(session);
  const made = new Map<string, Record<string, string>>();
  return (lang: Language, zone: string, reader: { seat: boolean; sawBefore: boolean }): Record<string, string> => {
    const key = `${lang}|${zone}|${reader.seat}|${reader.sawBefore}`;
    const known = made.get(key);
    if (known) return known;
    const seen = changesIn(lang, notice.baseline, current, changes, reader.seat);
    const title = pickText(session.title, lang);
    const cancelled = session.status === 'cancelled';
    const newTime = timeIn(session.startsAt, session.endsAt, zone, lang);
    const subject = t(lang, cancelled ? 'notice.cancelled.subject' : seen.includes('time') ? 'notice.moved.subject' : 'notice.updated.subject', { title });
    const lines: Array<string | SafeHtml> = [];
    if (cancelled) {
      lines.push(t(lang, 'notice.cancelled.body'));
      // The time they knew: the one before the burst if they saw it, else the last one.
      const known = reader.sawBefore ? notice.baseline : current;
      lines.push(t(lang, 'notice.cancelled.when', { time: timeIn(known.startsAt, known.endsAt, zone, lang) }));
      if (notice.reason) lines.push(t(lang, 'notice.cancelled.reason', { reason: notice.reason }));
      if (reader.seat) lines.push(t(lang, 'notice.cancelled.calendar'));
    } else {
      if (!seen.includes('time')) lines.push(t(lang, 'notice.when', { time: newTime }));
      else if (reader.sawBefore) lines.push(t(lang, 'notice.moved.body', { old: timeIn(notice.baseline.startsAt, notice.baseline.endsAt, zone, lang), new: newTime }));
      else lines.push(t(lang, 'notice.moved.now', { new: newTime }));
      if (seen.includes('title')) lines.push(t(lang, 'notice.title', { title }));
      if (seen.includes('joinUrl') && session.joinUrl) lines.push(joinLink(lang, session.joinUrl));
      if (seen.includes('description')) lines.push(t(lang, 'notice.description'));
      if (reader.seat) lines.push(t(lang, seen.includes('time') ? 'notice.calendar' : 'notice.calendar.updated'));
    }
    const letter = {
      subject,
      subjectHtml: escapeHtml(subject),
      bodyHtml: html`<p><strong>${title}</strong></p>
${lines.map((line) => html`<p>${line}</p>`)}`.value,
      bodyText: [title, '', ...lines.flatMap((line) => [line instanceof SafeHtml ? t(lang, 'mail.join', { url: session.joinUrl ?? '' }) : line, ''])].join('\n'),
    };
    made.set(key, letter);
    return letter;
  };
}

/**
 * One language's frame: greeting, the letter of the reader's kind (noticeLetters), the manage link; the
 * calendar update for those who hold a seat, made per recipient with them as ATTENDEE.
 */
export function noticeContent(lang: Language, session: Session, context: MailContext, now: Date): Omit<BulkSend, 'entries'> {
  const body = html`<p>${t(lang, 'mail.greeting', { name: '{{nameHtml}}' })}</p>
${new SafeHtml('{{bodyHtml}}')}`;
  const text = [t(lang, 'mail.greeting', { name: '{{name}}' }), '', '{{bodyText}}', t(lang, 'mail.manage', { url: '{{manageUrl}}' }), '', t(lang, 'mail.signoff')].join('\n');
  const organiser = organiserOf(context, lang);
  const method = session.status === 'cancelled' ? 'cancel' : 'request';
  // SEQUENCE is the time of the change the file describes (calendar.ts): the session's last change, not
  // the send, so a seat taken after the change (whose invitation already shows it) keeps its newer file.
  const at = session.changedAt ? new Date(session.changedAt) : now;
  return {
    template: { subject: '{{subject}}', html: mailLayout({ lang, title: '{{subjectHtml}}', body, manageUrl: '{{manageUrlHtml}}' }), text },
    invitation: (attendee) => sessionInvite({ session, lang, organiser, attendee, publicUrl: context.publicUrl, method, at }),
  };
}
