import {
  RegistrationApproved,
  RegistrationCancelled,
  RegistrationConfirmed,
  RegistrationHoldExpired,
  RegistrationOfferExpired,
  RegistrationOfferMade,
  RegistrationPromoted,
  RegistrationRejected,
} from '../../events/index.ts';
import type { ConsumedEvent } from '../core/consumer.ts';
import type { Participant, Session } from '../core/model.ts';
import type { countedContracts as CountedContracts } from './counted-contracts.ts';

export { countedContracts } from './counted-contracts.ts';

export type CountDeps = {
  stats: { count(at: Date, counters: Record<string, number>): Promise<void> };
  participants: { getParticipant(id: string): Promise<Participant | undefined> };
  sessions: { getSessions(ids: readonly string[]): Promise<Map<string, Session>> };
};

/**
 * Keeps the digest's counters on write: each registration event adds to the hourly bucket of when it
 * happened, by session, kind, stakeholder type, country and language. The consumer is idempotent on the
 * event id, so an event counts once.
 */
export async function countActivity(deps: CountDeps, event: ConsumedEvent<(typeof CountedContracts)[number]>): Promise<Record<string, number>> {
  const at = new Date(event.detail.occurredAt);
  const counters: Record<string, number> = {};
  const add = (name: string, by = 1) => (counters[name] = (counters[name] ?? 0) + by);

  const byDimensions = async (prefix: string, participantId: string, sessionIds: string[]) => {
    const [participant, sessions] = await Promise.all([deps.participants.getParticipant(participantId), deps.sessions.getSessions(sessionIds)]);
    for (const sessionId of sessionIds) {
      add(`${prefix}|session|${sessionId}`);
      add(`${prefix}|kind|${sessions.get(sessionId)?.kind ?? 'unknown'}`);
      add(`${prefix}|stakeholder|${participant?.stakeholderType ?? 'unknown'}`);
      add(`${prefix}|country|${participant?.country ?? 'unknown'}`);
      add(`${prefix}|language|${participant?.language ?? 'unknown'}`);
      add(`${prefix}|total`);
    }
  };

  switch (event.detailType) {
    case RegistrationConfirmed.detailType: {
      const { detail } = event;
      await byDimensions('new', detail.participantId, detail.sessions.map((s) => s.sessionId));
      for (const outcome of detail.sessions) add(`outcome|${outcome.status}`);
      break;
    }
    case RegistrationCancelled.detailType: {
      const { detail } = event;
      // A place still held (address never confirmed) was never counted as new, so its end is no cancellation.
      if (detail.previousStatus === 'held') break;
      await byDimensions('cancelled', detail.participantId, [detail.sessionId]);
      break;
    }
    case RegistrationHoldExpired.detailType:
      add(`holds|expired|${event.detail.sessionId}`);
      add('holds|expired');
      break;
    case RegistrationOfferMade.detailType:
      add(`waitlist|offered|${event.detail.sessionId}`);
      add('waitlist|offered');
      break;
    case RegistrationOfferExpired.detailType:
      add(`waitlist|expired|${event.detail.sessionId}`);
      add('waitlist|expired');
      break;
    case RegistrationPromoted.detailType:
      add(`waitlist|promoted|${event.detail.sessionId}`);
      add('waitlist|promoted');
      break;
    case RegistrationApproved.detailType:
      add('approvals|approved');
      break;
    case RegistrationRejected.detailType:
      add('approvals|rejected');
      break;
  }
  await deps.stats.count(at, counters);
  return counters;
}
