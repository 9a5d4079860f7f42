import type { Clock } from '../core/clock.ts';
import { fanOut, type FanOutDeps } from '../delivery/index.ts';
import { perZoneAndLanguage } from '../delivery/index.ts';
import { recipientPages } from '../delivery/index.ts';
import { html } from '../core/html.ts';
import { t } from '../core/i18n/mail-messages.ts';
import type { BulkSend } from '../core/mail/bulk-mailer.ts';
import { sessionInvite } from '../core/mail/calendar.ts';
import { mailLayout } from '../core/mail/layout.ts';
import type { MailContext } from '../core/mail/mail-context.ts';
import { pickText, type Language, type Participant, type Session } from '../core/model.ts';
import type { StoredRegistration } from '../core/model.ts';
import { formatRange, zoneLabel } from '../core/time-format.ts';
import type { TokenSigner } from '../identity/index.ts';
import { visibleDifferences, visibleState, type PendingNotice, type VisibleState } from './change-session.ts';

export type NoticeDeps = FanOutDeps & {
  notices: {
    dueNotices(now: Date): Promise<PendingNotice[]>;
    getSession(sessionId: string): Promise<Session | undefined>;
    completeNotice(notice: PendingNotice, sent: VisibleState): Promise<void>;
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
 * The `notices` schedule: every session whose burst of edits has been quiet for the quiet period gets
 * one notice per registrant, stating the final state and what changed since they were last told (old
 * time → new time in their zone), with a calendar update (same UID, higher SEQUENCE; METHOD:CANCEL when
 * cancelled). A burst that changed nothing visible in the end sends nothing. A notice that could not
 * reach everyone in this run (its time was up, the daily quota was spent, SES kept refusing some for now)
 * stays due, and the next run resumes it where it stopped.
 */
export async function sendDueNotices(deps: NoticeDeps, now: Date): Promise<{ notices: number; sent: number; calls: number; failed: number; unreached: number; throttled: number; stopped?: string }> {
  const totals: { notices: number; sent: number; calls: number; failed: number; unreached: number; throttled: number; stopped?: string } = { notices: 0, sent: 0, calls: 0, failed: 0, unreached: 0, throttled: 0 };
  for (const notice of await deps.notices.dueNotices(now)) {
    const session = await deps.notices.getSession(notice.sessionId);
    if (!session) continue;
    const current = visibleState(session);
    const changes = visibleDifferences(notice.baseline, current);
    if (changes.length > 0) {
      const jobKey = `notice-v${notice.version}`;
      const times = perZoneAndLanguage((zone, lang) => ({
        oldTime: timeIn(notice.baseline.startsAt, notice.baseline.endsAt, zone, lang),
        newTime: timeIn(session.startsAt, session.endsAt, zone, lang),
        forumTime: timeIn(session.startsAt, session.endsAt, deps.context.forumTimeZone, lang),
      }));
      const recipients = recipientPages({
        reached: await deps.progress.reached(session.sessionId, jobKey),
        pages: deps.registrations.sessionRegistrationPages(session.sessionId),
        participants: deps.participants,
        statuses: NOTIFIED,
        tokens: deps.tokens,
        publicUrl: deps.context.publicUrl,
        tokenExpiresAt: new Date(deps.clock.now().getTime() + deps.tokenTtlDays * 86_400_000),
        extra: (participant) => ({ data: times(participant.timeZone, participant.language) }),
      });
      const result = await fanOut(deps, { key: jobKey, kind: 'notice', recipients, content: (lang) => noticeContent(lang, session, notice, changes, deps.context, now) });
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
    await deps.notices.completeNotice(notice, current);
  }
  return totals;
}

/** One language's template; `{{…}}` are filled per recipient by SES. */
export function noticeContent(lang: Language, session: Session, notice: PendingNotice, changes: string[], context: MailContext, now: Date): Omit<BulkSend, 'entries'> {
  const title = pickText(session.title, lang);
  const cancelled = session.status === 'cancelled';
  const subjectKey = cancelled ? 'notice.cancelled.subject' : changes.includes('time') ? 'notice.moved.subject' : 'notice.updated.subject';
  const subject = t(lang, subjectKey, { title });
  const lines: string[] = [];
  if (cancelled) {
    lines.push(t(lang, 'notice.cancelled.body'));
    if (notice.reason) lines.push(t(lang, 'notice.cancelled.reason', { reason: notice.reason }));
  } else {
    if (changes.includes('time')) lines.push(t(lang, 'notice.moved.body', { old: '{{oldTime}}', new: '{{newTime}}' }));
    else lines.push(t(lang, 'notice.when', { time: '{{newTime}}' }));
    if (changes.includes('title')) lines.push(t(lang, 'notice.title', { title }));
    if (changes.includes('joinUrl') && session.joinUrl) lines.push(t(lang, 'notice.joinUrl', { url: session.joinUrl }));
    if (changes.includes('description')) lines.push(t(lang, 'notice.description'));
    lines.push(t(lang, 'notice.calendar'));
  }
  const body = html`<p>${t(lang, 'mail.greeting', { name: '{{nameHtml}}' })}</p>
<p><strong>${title}</strong></p>
${lines.map((line) => html`<p>${line}</p>`)}`;
  const text = [t(lang, 'mail.greeting', { name: '{{name}}' }), '', title, '', ...lines.flatMap((l) => [l, '']), t(lang, 'mail.manage', { url: '{{manageUrl}}' }), '', t(lang, 'mail.signoff')].join('\n');
  return {
    template: { subject, html: mailLayout({ lang, title: subject, body, manageUrl: '{{manageUrlHtml}}' }), text },
    attachments: [sessionInvite({ session, lang, organiser: context.from, publicUrl: context.publicUrl, method: cancelled ? 'cancel' : 'request', at: now })],
  };
}
