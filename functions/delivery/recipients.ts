import { escapeHtml } from '../core/html.ts';
import type { Participant } from '../core/model.ts';
import type { StoredRegistration } from '../core/model.ts';
import type { TokenSigner } from '../identity/index.ts';
import { manageUrl } from '../identity/index.ts';
import type { Recipient } from './fan-out.ts';

/** Whether a participant may receive mail at all (erased and suppressed addresses never do). */
export function reachable(participant: Participant | undefined): participant is Participant {
  return Boolean(participant && !participant.erasedAt && !participant.suppressed && participant.email);
}

/**
 * The recipients of one fan-out job: registrations in the given statuses that the job has not reached
 * yet, whose participant can receive mail and passes `accept`. Each gets its name (plain and escaped for
 * HTML) and a personal manage link; `extra` adds job-specific per-recipient data.
 */
export type RecipientOptions = {
  /** Participants the job has already reached (FanOutProgress.reached). */
  reached: ReadonlySet<string>;
  registrations: StoredRegistration[];
  participants: Map<string, Participant>;
  statuses: ReadonlySet<string>;
  tokens: TokenSigner;
  publicUrl: string;
  tokenExpiresAt: Date;
  accept?: (participant: Participant, registration: StoredRegistration) => boolean;
  extra?: (participant: Participant, links: { manageUrl: string }, registration: StoredRegistration) => Partial<Pick<Recipient, 'headers' | 'invite'>> & { data?: Record<string, string> };
};

export function recipientsOf(input: RecipientOptions): Recipient[] {
  const recipients: Recipient[] = [];
  for (const registration of input.registrations) {
    if (!input.statuses.has(registration.status) || input.reached.has(registration.participantId)) continue;
    const participant = input.participants.get(registration.participantId);
    if (!reachable(participant) || (input.accept && !input.accept(participant, registration))) continue;
    const token = input.tokens.sign({ purpose: 'manage', subject: participant.participantId, expiresAt: input.tokenExpiresAt, generation: participant.linkGeneration ?? 0 });
    const url = manageUrl(input.publicUrl, token);
    const extra = input.extra?.(participant, { manageUrl: url }, registration) ?? {};
    recipients.push({
      participantId: participant.participantId,
      sessionId: registration.sessionId,
      email: participant.email,
      language: participant.language,
      data: { name: participant.name, nameHtml: escapeHtml(participant.name), manageUrl: url, manageUrlHtml: escapeHtml(url), ...extra.data },
      ...(extra.headers ? { headers: extra.headers } : {}),
      ...(extra.invite ? { invite: true } : {}),
    });
  }
  return recipients;
}

/**
 * The recipients of a job page by page, one page read ahead: while fanOut mails one page's recipients,
 * the next page of registrations and its participants are already being read.
 */
export function recipientPages(
  input: Omit<RecipientOptions, 'registrations' | 'participants'> & {
    pages: AsyncIterable<StoredRegistration[]>;
    participants: { getParticipants(ids: readonly string[]): Promise<Map<string, Participant>> };
  },
): AsyncIterable<Recipient[]> {
  async function* pages() {
    for await (const page of input.pages) {
      const wanted = page.filter((r) => input.statuses.has(r.status) && !input.reached.has(r.participantId));
      if (!wanted.length) continue;
      const participants = await input.participants.getParticipants(wanted.map((r) => r.participantId));
      yield recipientsOf({ ...input, registrations: wanted, participants });
    }
  }
  return readAhead(pages());
}

/** Iterates `source` one step ahead: its next value is being produced while the caller uses this one. */
export async function* readAhead<T>(source: AsyncIterator<T>): AsyncGenerator<T> {
  let next = source.next();
  try {
    for (;;) {
      const current = await next;
      if (current.done) return;
      next = source.next();
      // A failure of the step ahead surfaces when it is awaited, not as an unhandled rejection meanwhile.
      next.catch(() => undefined);
      yield current.value;
    }
  } finally {
    await source.return?.(undefined);
  }
}
