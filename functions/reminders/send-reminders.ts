import type { Clock } from '../core/clock.ts';
import { fanOut, type FanOutDeps } from '../delivery/index.ts';
import { perZoneAndLanguage } from '../delivery/index.ts';
import { recipientPages } from '../delivery/index.ts';
import { escapeHtml, html, SafeHtml } from '../core/html.ts';
import { t } from '../core/i18n/mail-messages.ts';
import type { BulkSend } from '../core/mail/bulk-mailer.ts';
import { mailLayout } from '../core/mail/layout.ts';
import { sentenceWithLink, type MailContext } from '../core/mail/mail-context.ts';
import { pickText, type Language, type Participant, type Session } from '../core/model.ts';
import type { StoredRegistration } from '../core/model.ts';
import { formatRange, zoneLabel } from '../core/time-format.ts';
import { unsubscribeUrl, type TokenSigner } from '../identity/index.ts';

export type ReminderDeps = FanOutDeps & {
  sessions: { sessionsStartingBetween(from: Date, to: Date): Promise<Session[]> };
  registrations: { sessionRegistrationPages(sessionId: string): AsyncIterable<StoredRegistration[]> };
  participants: { getParticipants(ids: readonly string[]): Promise<Map<string, Participant>> };
  tokens: TokenSigner;
  context: MailContext;
  tokenTtlDays: number;
  clock: Clock;
  /** Minutes before the start; default 24 h and 1 h. */
  leadsMinutes: number[];
};

const CONFIRMED = new Set(['confirmed']);

/**
 * Which lead is due for a session at `now`: the smallest lead whose time has come, so a sweep that runs
 * late never sends the 24 h reminder when the 1 h one is already due. Undefined once the session started.
 */
export function dueLead(startsAt: string, leadsMinutes: number[], now: Date): number | undefined {
  const start = Date.parse(startsAt);
  if (now.getTime() >= start) return undefined;
  const due = leadsMinutes.filter((lead) => start - lead * 60_000 <= now.getTime());
  return due.length ? Math.min(...due) : undefined;
}

/** The job key of one reminder: (session, start time, lead), so a reschedule re-arms every reminder. */
export const reminderJobKey = (session: Session, lead: number) => `reminder-${lead}m@${new Date(session.startsAt).toISOString()}`;

/**
 * The `reminders` schedule, with "now" from the scheduled event: reminds each confirmed registrant once
 * per (session, start, lead), in their language and time zone, with one-click unsubscribe headers
 * (RFC 8058). Registrants who registered after the lead's time, stopped reminders, bounced or complained
 * get nothing.
 */
export async function sendDueReminders(deps: ReminderDeps, now: Date): Promise<{ reminders: number; sent: number; calls: number; failed: number; unreached: number; throttled: number; stopped?: string }> {
  const totals: { reminders: number; sent: number; calls: number; failed: number; unreached: number; throttled: number; stopped?: string } = { reminders: 0, sent: 0, calls: 0, failed: 0, unreached: 0, throttled: 0 };
  const maxLead = Math.max(...deps.leadsMinutes);
  const sessions = await deps.sessions.sessionsStartingBetween(now, new Date(now.getTime() + maxLead * 60_000));
  for (const session of sessions) {
    if (session.status !== 'scheduled') continue;
    const lead = dueLead(session.startsAt, deps.leadsMinutes, now);
    if (lead === undefined) continue;
    const leadTime = Date.parse(session.startsAt) - lead * 60_000;
    const jobKey = reminderJobKey(session, lead);
    const letter = perZoneAndLanguage((zone, lang) => reminderLetter(lang, zone, session, lead));
    const tokenExpiresAt = new Date(deps.clock.now().getTime() + deps.tokenTtlDays * 86_400_000);
    const recipients = recipientPages({
      reached: await deps.progress.reached(session.sessionId, jobKey),
      pages: deps.registrations.sessionRegistrationPages(session.sessionId),
      participants: deps.participants,
      statuses: CONFIRMED,
      tokens: deps.tokens,
      publicUrl: deps.context.publicUrl,
      tokenExpiresAt,
      // Late registrants do not get a reminder whose time had passed when they registered.
      accept: (participant, registration) => !participant.remindersOff && Date.parse(registration.updatedAt) <= leadTime,
      extra: (participant) => {
        const unsubscribe = unsubscribeUrl(deps.context.publicUrl, deps.tokens.sign({ purpose: 'unsubscribe', subject: participant.participantId, expiresAt: tokenExpiresAt, generation: participant.linkGeneration ?? 0 }));
        return {
          data: { ...letter(participant.timeZone, participant.language), unsubscribeUrl: unsubscribe, unsubscribeUrlHtml: escapeHtml(unsubscribe) },
          headers: [
            { name: 'List-Unsubscribe', value: `<${unsubscribe}>` },
            { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
          ],
        };
      },
    });
    const result = await fanOut(deps, { key: jobKey, kind: 'reminder', recipients, content: (lang) => reminderContent(lang) });
    totals.reminders++;
    totals.sent += result.sent;
    totals.calls += result.calls;
    totals.failed += result.failed.length;
    totals.unreached += result.unreached;
    totals.throttled += result.throttled;
    // The next run (5 minutes on) resumes whoever this one did not reach: the job key is unchanged.
    if (result.stopped) {
      totals.stopped = result.stopped;
      break;
    }
  }
  return totals;
}

function leadText(lang: Language, lead: number): string {
  const format = new Intl.RelativeTimeFormat(lang, { numeric: 'always' });
  return lead % 60 === 0 ? format.format(lead / 60, 'hour') : format.format(lead, 'minute');
}

/**
 * The words of one reminder for one language and zone, as template data: subject and body. Organiser text
 * (the title, the join link) reaches the mail only as such values, never as template text. The join link
 * goes in the last reminder before the start (the 1 h one by default), as a button and written out.
 */
export function reminderLetter(lang: Language, zone: string, session: Session, lead: number): Record<string, string> {
  const title = pickText(session.title, lang);
  const when = leadText(lang, lead);
  const subject = t(lang, 'reminder.subject', { title, when });
  const time = `${formatRange(session.startsAt, session.endsAt, zone, lang)} (${zoneLabel(session.startsAt, zone, lang)})`;
  const joinUrl = lead <= 60 ? session.joinUrl : undefined;
  const lines = [t(lang, 'reminder.body', { when }), t(lang, 'notice.when', { time })];
  return {
    subject,
    subjectHtml: escapeHtml(subject),
    bodyHtml: html`<p><strong>${title}</strong></p>
${lines.map((line) => html`<p>${line}</p>`)}
${joinUrl ? html`<p><a href="${joinUrl}" style="display:inline-block;background:#1a7f37;color:#ffffff;padding:10px 18px;border-radius:4px;text-decoration:none;">${t(lang, 'reminder.joinButton')}</a></p>
<p>${sentenceWithLink(lang, 'reminder.join', joinUrl)}</p>` : ''}`.value,
    bodyText: [title, '', ...lines.flatMap((l) => [l, '']), ...(joinUrl ? [t(lang, 'reminder.join', { url: joinUrl }), ''] : [])].join('\n'),
  };
}

/** One language's frame: greeting, the letter (reminderLetter), the manage link and the unsubscribe link, a link that wraps. */
export function reminderContent(lang: Language): Omit<BulkSend, 'entries'> {
  // The link's address is a placeholder filled per recipient, so the frame writes the link itself.
  const [before, after] = t(lang, 'reminder.unsubscribe', { url: '\u0000' }).split('\u0000');
  const body = html`<p>${t(lang, 'mail.greeting', { name: '{{nameHtml}}' })}</p>
${new SafeHtml('{{bodyHtml}}')}
<p style="font-size:13px;color:#4a5560;">${before ?? ''}<a href="{{unsubscribeUrlHtml}}" style="color:#4a5560;word-break:break-all;">{{unsubscribeUrlHtml}}</a>${after ?? ''}</p>`;
  const text = [t(lang, 'mail.greeting', { name: '{{name}}' }), '', '{{bodyText}}', t(lang, 'mail.manage', { url: '{{manageUrl}}' }), t(lang, 'reminder.unsubscribe', { url: '{{unsubscribeUrl}}' }), '', t(lang, 'mail.signoff')].join('\n');
  return { template: { subject: '{{subject}}', html: mailLayout({ lang, title: '{{subjectHtml}}', body, manageUrl: '{{manageUrlHtml}}' }), text } };
}
