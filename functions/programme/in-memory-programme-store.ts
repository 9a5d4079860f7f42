import { inMemorySession } from '../core/in-memory-session.ts';
import { ConcurrencyConflict, RequestError } from '../core/errors.ts';
import type { Session, SessionInput } from '../core/model.ts';
import type { OutboxItem } from '../core/outbox.ts';
import type { ChangePlan, PendingNotice, VisibleState } from './change-session.ts';
import type { ProgrammeStore } from './programme-store.ts';

/** What a concurrent request does between a change's read and its write (runs inside `applyChange`). */
export type ChangeInterleaving = (plan: ChangePlan) => void | Promise<void>;

/** A session's pending notice as the adapter stores it; a row left by completeNotice may hold a baseline only. */
export type StoredNotice = { sessionId?: string; baseline: VisibleState; changedAt?: string; version?: number; dueAt?: string; reason?: string };

const ORGANISER_FIELDS = ['title', 'kind', 'startsAt', 'endsAt', 'capacity', 'restricted', 'joinUrl', 'description', 'claimWindowHours', 'changedAt'] as const;
const sortKey = (session: Session) => `${new Date(session.startsAt).toISOString()}#${session.sessionId}`;
const byKey = <T>(key: (value: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

/**
 * An in-memory fake of the programme store (and of the notices port of send-notices) for domain unit
 * tests. `applyChange` enforces what the DynamoDB adapter's transaction does, all-or-nothing: the session
 * moves only from the version the plan was made on and only while its seats taken fit the new capacity
 * (ConcurrencyConflict, or 409 when the version held and the seats alone no longer fit); counters are never
 * written by a change (registrations move them concurrently); the pending notice keeps the baseline of the
 * burst's first change and takes the latest version and due time. `completeNotice` deletes the notice only
 * at the version that was sent, else keeps it with the sent state as its new baseline.
 *
 * Lost races are reached on purpose: `interleave` runs a concurrent request inside the next `applyChange`,
 * after the change's read and before its conditions; `conflictsToInject` makes the next N writes lose.
 *
 * `sessions` may be shared with the lifecycle fake: both adapters write the same session item.
 */
export class InMemoryProgrammeStore implements ProgrammeStore {
  readonly notices = new Map<string, StoredNotice>();
  readonly outbox: OutboxItem[] = [];
  /** Plans committed, in order. */
  readonly applied: ChangePlan[] = [];
  /** End of the forum's last session (only ever moves later). */
  forumEnd: string | undefined;
  conflictsToInject = 0;
  private readonly interleavings: ChangeInterleaving[] = [];

  constructor(readonly sessions: Map<string, Session> = new Map()) {}

  addSession(session: Partial<Session> & Pick<Session, 'sessionId'>): Session {
    const stored = inMemorySession(session);
    this.sessions.set(stored.sessionId, stored);
    return stored;
  }

  /** Runs `action` once, inside the next `applyChange`; a write made by the action does not trigger it again. */
  interleave(action: ChangeInterleaving): void {
    this.interleavings.push(action);
  }

  /** The events written to the outbox, in order, optionally only those of one detail-type. */
  events(detailType?: string): Array<{ detailType: string; detail: Record<string, unknown> }> {
    return this.outbox
      .filter((item) => detailType === undefined || item.detailType === detailType)
      .map((item) => ({ detailType: item.detailType, detail: JSON.parse(item.detail) as Record<string, unknown> }));
  }

  async listSessions(): Promise<Session[]> {
    return [...this.sessions.values()].sort(byKey(sortKey)).map((s) => structuredClone(s));
  }

  /** Sessions starting in (from, to], by the programme index's sort key. */
  async sessionsStartingBetween(from: Date, to: Date): Promise<Session[]> {
    const low = from.toISOString();
    const high = `${to.toISOString()}~`;
    return (await this.listSessions()).filter((s) => sortKey(s) >= low && sortKey(s) <= high);
  }

  async getSession(sessionId: string): Promise<Session | undefined> {
    const session = this.sessions.get(sessionId);
    return session && structuredClone(session);
  }

  async createSession(input: SessionInput): Promise<void> {
    if (this.sessions.has(input.sessionId)) throw new ConcurrencyConflict('Session created concurrently');
    this.sessions.set(input.sessionId, { ...structuredClone(input), status: 'scheduled', version: 1, seatsTaken: 0, waitlistCount: 0, pendingCount: 0, waitlistSeq: 0, seatsHeld: 0, waitlistHeld: 0, pendingHeld: 0 });
    await this.extendForumEnd(input.endsAt);
  }

  async extendForumEnd(endsAt: string): Promise<void> {
    const end = new Date(endsAt).toISOString();
    if (this.forumEnd === undefined || this.forumEnd < end) this.forumEnd = end;
  }

  async applyChange(plan: ChangePlan): Promise<void> {
    const { before, after } = plan;
    const action = this.interleavings.shift();
    if (action) await action(plan);
    if (this.conflictsToInject > 0) {
      this.conflictsToInject--;
      throw new ConcurrencyConflict('injected TransactionConflict');
    }
    const current = this.sessions.get(after.sessionId);
    if (!current || current.version !== before.version || current.seatsTaken > after.capacity) {
      if (current && current.version === before.version) {
        throw new RequestError(409, 'capacity_below_seats_taken', `Capacity ${after.capacity} is below the ${current.seatsTaken} seats already taken.`);
      }
      throw new ConcurrencyConflict('Session changed concurrently');
    }

    // The organiser's fields, version and status; the counters stay as they are now.
    for (const field of ORGANISER_FIELDS) {
      if (after[field] === undefined) delete (current as Partial<Session>)[field];
      else (current as Record<string, unknown>)[field] = structuredClone(after[field]);
    }
    current.version = after.version;
    current.status = after.status;
    this.outbox.push(...plan.outbox);
    if (plan.notice) {
      const existing = this.notices.get(after.sessionId);
      this.notices.set(after.sessionId, {
        ...existing,
        sessionId: after.sessionId,
        baseline: existing?.baseline ?? structuredClone(plan.notice.baseline),
        changedAt: existing?.changedAt ?? plan.notice.changedAt,
        version: after.version,
        dueAt: plan.notice.dueAt,
        ...(plan.notice.reason ? { reason: plan.notice.reason } : {}),
      });
    }
    this.applied.push(structuredClone(plan));
    if (after.endsAt !== before.endsAt) await this.extendForumEnd(after.endsAt);
  }

  /** Pending notices whose quiet period ended by `now`, in due order (the notices index). */
  async dueNotices(now: Date): Promise<PendingNotice[]> {
    const bound = `${now.toISOString()}~`;
    return [...this.notices.values()]
      .filter((n): n is StoredNotice & Required<Pick<StoredNotice, 'sessionId' | 'version' | 'dueAt'>> => Boolean(n.dueAt && n.sessionId && n.version !== undefined))
      .map((n) => ({ ...n, key: `${n.dueAt}#${n.sessionId}` }))
      .filter((n) => n.key <= bound)
      .sort(byKey((n) => n.key))
      .map(({ key: _key, ...n }) => ({
        sessionId: n.sessionId,
        baseline: structuredClone(n.baseline),
        version: n.version,
        dueAt: n.dueAt,
        ...(n.reason ? { reason: n.reason } : {}),
        ...(n.changedAt ? { changedAt: n.changedAt } : {}),
      }));
  }

  async completeNotice(notice: PendingNotice, sent: VisibleState, sendingSince: Date): Promise<void> {
    const stored = this.notices.get(notice.sessionId);
    if (stored && stored.version === notice.version) {
      this.notices.delete(notice.sessionId);
      return;
    }
    // As the adapter's unconditioned update: keeps a newer notice with the sent state as its baseline.
    this.notices.set(notice.sessionId, { ...stored, baseline: structuredClone(sent), changedAt: sendingSince.toISOString() });
  }
}
