import { SessionCancelled, SessionRescheduled, SessionSeatsReleased, SessionUpdated } from '../../events/index.ts';
import type { Clock } from '../core/clock.ts';
import { ConcurrencyConflict, RequestError } from '../core/errors.ts';
import * as z from 'zod';
import { storedSession, type Session, type SessionChanges, type SessionInput } from '../core/model.ts';
import { outboxItem, type OutboxItem } from '../core/outbox.ts';

/** What registrants see of a session: a change elsewhere (capacity, kind) sends them nothing. */
export const visibleStateSchema = storedSession.pick({ startsAt: true, endsAt: true, title: true, joinUrl: true, description: true, status: true });
export type VisibleState = z.infer<typeof visibleStateSchema>;

export function visibleState(session: Session): VisibleState {
  return {
    startsAt: session.startsAt,
    endsAt: session.endsAt,
    title: session.title,
    status: session.status,
    ...(session.joinUrl ? { joinUrl: session.joinUrl } : {}),
    ...(session.description ? { description: session.description } : {}),
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const sameInstant = (a: string, b: string) => Date.parse(a) === Date.parse(b);

/** Fields that differ between two visible states (instants compared as instants, not as strings). */
export function visibleDifferences(before: VisibleState, after: VisibleState): string[] {
  const changed: string[] = [];
  if (!sameInstant(before.startsAt, after.startsAt) || !sameInstant(before.endsAt, after.endsAt)) changed.push('time');
  if (!same(before.title, after.title)) changed.push('title');
  if (!same(before.joinUrl, after.joinUrl)) changed.push('joinUrl');
  if (!same(before.description, after.description)) changed.push('description');
  if (before.status !== after.status) changed.push('status');
  return changed;
}

export type SessionChange =
  | { kind: 'reschedule'; startsAt: string; endsAt: string }
  /**
   * `translations: 'merge'` (the admin PATCH): a title or description names only the languages it changes
   * and the others stay; otherwise (the programme import) it is the whole text, so a dropped translation goes.
   */
  | { kind: 'update'; fields: SessionChanges & Partial<Pick<SessionInput, 'kind'>>; translations?: 'merge' }
  | { kind: 'cancel'; reason?: string };

/** A pending (coalescing) notice: the state registrants were last told, and when the burst goes quiet. */
/** A session's pending notice as stored: what registrants last heard (the baseline) and when it is due. */
export const pendingNotice = z.object({
  sessionId: z.string(),
  baseline: visibleStateSchema,
  version: z.coerce.number().int(),
  dueAt: z.string(),
  reason: z.string().optional(),
  /** When the burst's first change was made: who registered later never saw the baseline's time. */
  changedAt: z.string().optional(),
});
export type PendingNotice = z.infer<typeof pendingNotice>;

/** Everything one change writes, atomically, conditioned on the session's version. */
export type ChangePlan = {
  before: Session;
  after: Session;
  outbox: OutboxItem[];
  /** Set when registrants must hear about it: creates or extends the session's pending notice. */
  notice?: { dueAt: string; baseline: VisibleState; changedAt: string; reason?: string };
};

export interface ProgrammeChangeStore {
  getSession(sessionId: string): Promise<Session | undefined>;
  /** Writes the plan; throws ConcurrencyConflict when the version moved. */
  applyChange(plan: ChangePlan): Promise<void>;
}

/**
 * Applies an organiser's change to a session: new version, one event (Session.Rescheduled, .Updated or
 * .Cancelled) through the outbox, and a pending notice due after the quiet period (a burst of edits
 * extends it, so registrants hear once, about the final state). Refuses 404 for an unknown session,
 * 400 for an end before the start, 409 for a capacity below the seats already taken or a change to a
 * cancelled session. A change that alters nothing returns `changed: false` and writes nothing.
 */
export async function changeSession(
  deps: { store: ProgrammeChangeStore; clock: Clock; quietPeriodMinutes: number },
  sessionId: string,
  change: SessionChange,
): Promise<{ changed: boolean; session: Session }> {
  for (let attempt = 1; ; attempt++) {
    const before = await deps.store.getSession(sessionId);
    if (!before) throw new RequestError(404, 'unknown_session', `Unknown session ${sessionId}.`);
    if (before.status === 'cancelled') throw new RequestError(409, 'session_cancelled', `Session ${sessionId} is cancelled.`);
    const after = applyTo(before, change);
    // Every page and mail falls back to English: a merge may not leave a title or description without it.
    for (const field of ['title', 'description'] as const) {
      const text = after[field] as Record<string, string> | undefined;
      if (text && !text.en) throw new RequestError(400, 'invalid_request', `The ${field} needs its English text.`, [{ field: `${field}.en`, code: 'required', message: 'required' }]);
    }
    if (Date.parse(after.endsAt) <= Date.parse(after.startsAt)) {
      throw new RequestError(400, 'invalid_request', 'The end must be after the start.', [{ field: 'endsAt', code: 'before_start', message: 'must be after startsAt' }]);
    }
    if (after.capacity < before.seatsTaken) {
      throw new RequestError(409, 'capacity_below_seats_taken', `Capacity ${after.capacity} is below the ${before.seatsTaken} seats already taken.`, [
        { field: 'capacity', code: 'too_small', message: `at least ${before.seatsTaken}` },
      ]);
    }
    const visible = visibleDifferences(visibleState(before), visibleState(after));
    const capacityChanged = after.capacity !== before.capacity;
    const otherChanged = !same({ ...before, version: 0 }, { ...after, version: 0 });
    if (!otherChanged) return { changed: false, session: before };

    const now = deps.clock.now();
    after.version = before.version + 1;
    after.changedAt = now.toISOString();
    const outbox: OutboxItem[] = [];
    if (change.kind === 'cancel') {
      outbox.push(outboxItem(SessionCancelled, { sessionId, version: after.version, ...(change.reason ? { reason: change.reason } : {}) }, now));
    } else if (visible.includes('time')) {
      outbox.push(outboxItem(SessionRescheduled, { sessionId, version: after.version, previous: eventState(before), current: eventState(after) }, now));
    } else {
      const changed = [...visible, ...(capacityChanged ? ['capacity'] : [])];
      outbox.push(
        outboxItem(
          SessionUpdated,
          { sessionId, version: after.version, changed: changed.length ? changed : ['settings'], ...(capacityChanged ? { capacity: { from: before.capacity, to: after.capacity } } : {}) },
          now,
        ),
      );
    }
    if (after.capacity > before.capacity && after.status === 'scheduled') {
      outbox.push(outboxItem(SessionSeatsReleased, { sessionId, reason: 'capacity-increase' }, now));
    }
    const plan: ChangePlan = {
      before,
      after,
      outbox,
      ...(visible.length
        ? {
            notice: {
              dueAt: new Date(now.getTime() + deps.quietPeriodMinutes * 60_000).toISOString(),
              baseline: visibleState(before),
              changedAt: now.toISOString(),
              ...(change.kind === 'cancel' && change.reason ? { reason: change.reason } : {}),
            },
          }
        : {}),
    };
    try {
      await deps.store.applyChange(plan);
      return { changed: true, session: after };
    } catch (error) {
      if (!(error instanceof ConcurrencyConflict) || attempt >= 5) throw error;
    }
  }
}

function applyTo(session: Session, change: SessionChange): Session {
  const next: Session = structuredClone(session);
  if (change.kind === 'reschedule') {
    next.startsAt = change.startsAt;
    next.endsAt = change.endsAt;
  } else if (change.kind === 'cancel') {
    next.status = 'cancelled';
  } else {
    for (const [field, value] of Object.entries(change.fields)) {
      if (value === undefined) continue;
      const translated = change.translations === 'merge' && (field === 'title' || field === 'description') && typeof value === 'object';
      (next as Record<string, unknown>)[field] = translated ? { ...(session[field] ?? {}), ...(value as Record<string, string>) } : value;
    }
  }
  return next;
}

function eventState(session: Session) {
  return {
    startsAt: session.startsAt,
    endsAt: session.endsAt,
    title: session.title as Record<string, string>,
    status: session.status,
    ...(session.joinUrl ? { joinUrl: session.joinUrl } : {}),
  };
}

/** Maps an upsert of an existing session (programme import) to the change it makes. */
export function changeFromInput(existing: Session, input: SessionInput): SessionChange {
  if (!sameInstant(existing.startsAt, input.startsAt) || !sameInstant(existing.endsAt, input.endsAt)) {
    return { kind: 'reschedule', startsAt: input.startsAt, endsAt: input.endsAt };
  }
  return {
    kind: 'update',
    fields: {
      title: input.title,
      joinUrl: input.joinUrl,
      capacity: input.capacity,
      description: input.description,
      kind: input.kind,
      restricted: input.restricted,
      claimWindowHours: input.claimWindowHours,
    },
  };
}
