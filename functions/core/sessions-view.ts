import type { Session } from './model.ts';

export type Availability = 'open' | 'waitlist' | 'approval' | 'closed';

/** The public view of a session, as `GET /sessions` and the registration page show it. */
export type SessionView = Pick<Session, 'sessionId' | 'title' | 'kind' | 'startsAt' | 'endsAt' | 'capacity' | 'status'> & {
  seatsLeft: number;
  restricted: boolean;
  availability: Availability;
  joinUrl?: string;
  description?: Session['description'];
};

/** What a visitor may know of a session: seats left and how registering would go, never who registered. */
export function toSessionView(session: Session, now: Date): SessionView {
  const seatsLeft = Math.max(0, session.capacity - session.seatsTaken);
  const closed = session.status === 'cancelled' || Date.parse(session.endsAt) <= now.getTime();
  const availability: Availability = closed
    ? 'closed'
    : session.restricted
      ? 'approval'
      : seatsLeft > 0 && session.waitlistCount - session.waitlistHeld === 0
        ? 'open'
        : 'waitlist';
  return {
    sessionId: session.sessionId,
    title: session.title,
    kind: session.kind,
    startsAt: session.startsAt,
    endsAt: session.endsAt,
    capacity: session.capacity,
    seatsLeft,
    status: session.status,
    restricted: Boolean(session.restricted),
    availability,
    ...(session.description ? { description: session.description } : {}),
  };
}
