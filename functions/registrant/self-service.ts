import type { Clock } from '../core/clock.ts';
import { RequestError } from '../core/errors.ts';
import type { Language, Participant, StoredRegistration } from '../core/model.ts';
import { html } from '../core/html.ts';
import { t } from '../core/i18n/mail-messages.ts';
import { mailLayout } from '../core/mail/layout.ts';
import { sentenceWithLink } from '../core/mail/mail-context.ts';
import type { Mailer } from '../core/mail/mailer.ts';
import type { MailRecord } from '../delivery/index.ts';
import { signedManageUrl, type TokenPurpose, type TokenSigner } from '../identity/index.ts';

/** The profile reads and changes a registrant makes through the manage link. */
export type ProfileStore = {
  getParticipant(participantId: string): Promise<Participant | undefined>;
  updatePreferences(participantId: string, preferences: { language: Language; timeZone: string; remindersOff: boolean }): Promise<void>;
  updateDetails(participantId: string, details: { name: string; organisation: string }): Promise<void>;
  stopReminders(participantId: string): Promise<void>;
};

/** Everything Convene holds about one registrant, as the GDPR export gives it. */
export type DataExport = { exportedAt: string; participant: Participant; registrations: StoredRegistration[]; mails: MailRecord[] };

/** Throws 410 for an erased (or unknown) participant: an old link must say so, and change nothing. */
async function liveParticipant(profiles: Pick<ProfileStore, 'getParticipant'>, participantId: string): Promise<Participant> {
  const participant = await profiles.getParticipant(participantId);
  if (!participant || participant.erasedAt) throw new RequestError(410, 'erased', 'These registrations were erased at the registrant’s request.');
  return participant;
}

/**
 * The registrant's data export: profile, every registration, every mail sent to them. Throws 410 once
 * the participant was erased.
 */
export async function exportData(
  deps: {
    profiles: Pick<ProfileStore, 'getParticipant'>;
    registrations: { listParticipantRegistrations(participantId: string): Promise<StoredRegistration[]> };
    mails: { forParticipant(participantId: string, sessionIds: readonly string[]): Promise<MailRecord[]> };
    clock: Clock;
  },
  participantId: string,
): Promise<DataExport> {
  const participant = await liveParticipant(deps.profiles, participantId);
  const registrations = await deps.registrations.listParticipantRegistrations(participantId);
  const mails = await deps.mails.forParticipant(participantId, [...new Set(registrations.map((r) => r.sessionId))]);
  return { exportedAt: deps.clock.now().toISOString(), participant, registrations, mails };
}

/**
 * Adds sessions to a registrant's registrations through the same submission path as the form (seats,
 * waiting list, approvals, the answer mail), with the stored profile; the form never changes a profile.
 */
export async function addSessions(
  deps: {
    profiles: Pick<ProfileStore, 'getParticipant'>;
    submit(request: Pick<Participant, 'name' | 'email' | 'organisation' | 'stakeholderType' | 'country' | 'language' | 'timeZone'> & { sessionIds: string[]; consent: true }, lang: Language): Promise<unknown>;
  },
  participantId: string,
  sessionIds: string[],
  lang: Language,
): Promise<void> {
  const { name, email, organisation, stakeholderType, country, language, timeZone } = await liveParticipant(deps.profiles, participantId);
  await deps.submit({ name, email, organisation, stakeholderType, country, language, timeZone, sessionIds, consent: true }, lang);
}

/** Language, time zone and reminders of a live participant; 410 after erasure, with nothing written. */
export async function updatePreferences(
  deps: { profiles: ProfileStore },
  participantId: string,
  preferences: { language: Language; timeZone: string; reminders: boolean },
): Promise<void> {
  await liveParticipant(deps.profiles, participantId);
  await deps.profiles.updatePreferences(participantId, { language: preferences.language, timeZone: preferences.timeZone, remindersOff: !preferences.reminders });
}

/**
 * The registrant corrects their name or organisation (a typo, a new ministry). The address is not
 * editable: it is what proves who they are (a new address registers anew).
 */
export async function updateDetails(deps: { profiles: ProfileStore }, participantId: string, details: { name: string; organisation: string }): Promise<void> {
  await liveParticipant(deps.profiles, participantId);
  // Erased between the check and the write: the store refuses, and the answer is the erasure's.
  await deps.profiles.updateDetails(participantId, details).catch((error: unknown) => {
    if ((error as { name?: string }).name === 'ConditionalCheckFailedException') throw new RequestError(410, 'erased', 'These registrations were erased at the registrant’s request.');
    throw error;
  });
}

/**
 * One-click unsubscribe (RFC 8058), from the one list its token names: a registrant's `unsubscribe`
 * token stops their reminders; an organiser's `digest-opt-out` token (subject: the address's hash) stops
 * the daily digest for that address.
 */
export async function unsubscribe(
  deps: { profiles: Pick<ProfileStore, 'stopReminders'>; digest: { optOut(addressHash: string): Promise<void> } },
  claim: { purpose: TokenPurpose; subject: string },
): Promise<'reminders' | 'digest'> {
  if (claim.purpose === 'digest-opt-out') {
    await deps.digest.optOut(claim.subject);
    return 'digest';
  }
  if (claim.purpose !== 'unsubscribe') throw new RequestError(403, 'forbidden', 'This link is not valid.');
  await deps.profiles.stopReminders(claim.subject);
  return 'reminders';
}

/**
 * "Mail me my link": mails the manage link to the address, if a live participant holds it and the
 * address's hourly mail budget allows. Answers nothing either way, so the caller's answer is the same
 * whether the address is known or not; the link only ever reaches the address itself.
 */
export async function mailManageLink(
  deps: {
    directory: { findParticipantIdByEmail(email: string): Promise<string | undefined> };
    profiles: Pick<ProfileStore, 'getParticipant'>;
    budget: { take(address: string, now: Date): Promise<boolean> };
    mailer: Mailer;
    tokens: () => Promise<TokenSigner>;
    clock: Clock;
    publicUrl: string;
    from: string;
    tokenTtlDays: number;
  },
  email: string,
): Promise<'mailed' | 'unknown' | 'over-budget'> {
  // The budget is taken first, for any address: were it taken only for known ones, the public form's
  // 429 after a few of these would tell a known address from an unknown one.
  const now = deps.clock.now();
  if (!(await deps.budget.take(email, now))) return 'over-budget';
  const participantId = await deps.directory.findParticipantIdByEmail(email);
  const participant = participantId ? await deps.profiles.getParticipant(participantId) : undefined;
  if (!participant || participant.erasedAt || participant.suppressed) return 'unknown';
  const lang = participant.language;
  const url = signedManageUrl({ publicUrl: deps.publicUrl, tokens: await deps.tokens(), participantId: participant.participantId, expiresAt: new Date(now.getTime() + deps.tokenTtlDays * 86_400_000), generation: participant.linkGeneration ?? 0 });
  const subject = t(lang, 'mail.link.subject');
  const body = html`<p>${sentenceWithLink(lang, 'mail.link.body', url)}</p><p style="font-size:13px;color:#4a5560;">${t(lang, 'mail.link.ignore')}</p>`;
  await deps.mailer.send({
    to: participant.email,
    lang,
    subject,
    html: mailLayout({ lang, title: subject, body, manageUrl: url }),
    text: [t(lang, 'mail.link.body', { url }), '', t(lang, 'mail.link.ignore'), '', t(lang, 'mail.signoff')].join('\n'),
    tags: { participant: participant.participantId, kind: 'link' },
  });
  return 'mailed';
}
