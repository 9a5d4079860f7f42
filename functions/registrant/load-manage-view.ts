import type { Clock } from '../core/clock.ts';
import { RequestError } from '../core/errors.ts';
import type { Participant, Session } from '../core/model.ts';
import { toSessionView } from '../core/sessions-view.ts';
import type { LifecycleStore } from '../waitlist/index.ts';
import type { ManageView } from './manage-view.ts';

const ACTIVE = new Set(['confirmed', 'offered', 'waitlisted', 'pending', 'held']);

/**
 * Everything the manage page shows for one participant. Throws 410 once the participant's data was
 * erased, so an old link says so instead of showing an empty page.
 */
export async function loadManageView(
  deps: { store: LifecycleStore; clock: Clock; getParticipant(id: string): Promise<Participant | undefined>; listSessions(): Promise<Session[]> },
  participantId: string,
): Promise<ManageView> {
  const participant = await deps.getParticipant(participantId);
  if (!participant) throw new RequestError(404, 'not_found', 'Not found.');
  if (participant.erasedAt) throw new RequestError(410, 'erased', 'These registrations were erased at the registrant’s request.');
  const now = deps.clock.now();
  const [registrations, sessions] = await Promise.all([deps.store.listParticipantRegistrations(participantId), deps.listSessions()]);
  const byId = new Map(sessions.map((s) => [s.sessionId, s]));
  const mine = registrations.flatMap((registration) => {
    const session = byId.get(registration.sessionId);
    // The join link is the seat's: shown for a confirmed seat only (the public programme never has it).
    const joinUrl = registration.status === 'confirmed' && session?.joinUrl ? { joinUrl: session.joinUrl } : {};
    return session ? [{ ...registration, session: { ...toSessionView(session, now), ...joinUrl } }] : [];
  });
  const taken = new Set(mine.filter((r) => ACTIVE.has(r.status)).map((r) => r.sessionId));
  return {
    participant: {
      participantId,
      name: participant.name,
      email: participant.email,
      organisation: participant.organisation,
      language: participant.language,
      timeZone: participant.timeZone,
      remindersOff: Boolean(participant.remindersOff),
    },
    registrations: mine
      .sort((a, b) => Date.parse(a.session.startsAt) - Date.parse(b.session.startsAt))
      .map(({ participantId: _p, registeredAt: _r, updatedAt: _u, holdIds: _h, dataTtl: _d, ...rest }) => rest),
    available: sessions.map((s) => toSessionView(s, now)).filter((s) => !taken.has(s.sessionId) && s.availability !== 'closed'),
  };
}
