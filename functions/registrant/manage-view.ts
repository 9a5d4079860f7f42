import type { Language, RegistrationStatus } from '../core/model.ts';
import type { SessionView } from '../core/sessions-view.ts';

/** What the manage page (`GET /me?token=…`) shows; also its JSON answer with `Accept: application/json`. */
export type ManageView = {
  participant: {
    participantId: string;
    name: string;
    email: string;
    organisation: string;
    language: Language;
    timeZone: string;
    remindersOff: boolean;
  };
  registrations: Array<{
    sessionId: string;
    status: RegistrationStatus;
    waitlistPosition?: number;
    /** Set while a waiting-list offer is open: accept before this instant. */
    offerExpiresAt?: string;
    /** Set while `held` (address confirmation): what it becomes when confirmed, and until when it is held. */
    heldAs?: 'confirmed' | 'waitlisted' | 'pending';
    holdExpiresAt?: string;
    session: SessionView;
  }>;
  /** Sessions the participant could still add (open, not yet registered). */
  available: SessionView[];
  /** The registrant's calendar feed (https; `webcal:` subscribes), its token good for nothing else. */
  feedUrl?: string;
};
