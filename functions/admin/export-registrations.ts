import { stringify } from 'csv-stringify/sync';
import type { Participant } from '../core/model.ts';
import type { StoredRegistration } from '../core/model.ts';

/** Cells starting like a formula are prefixed, so a spreadsheet never executes registrant text. */
function cell(value: unknown): string {
  const text = value === undefined || value === null ? '' : String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/**
 * The registrations of one session as CSV for organisers. Erased participants appear without name,
 * email or organisation: only their status remains, for the counts. Held places (address confirmation)
 * are left out: they are not registrations yet, and their details may have been typed by anyone.
 */
export function registrationsCsv(registrations: StoredRegistration[], participants: Map<string, Participant>): string {
  const rows = registrations.filter((registration) => registration.status !== 'held').map((registration) => {
    const participant = participants.get(registration.participantId);
    const erased = !participant || Boolean(participant.erasedAt);
    return [
      registration.participantId,
      erased ? '' : participant.name,
      erased ? '' : participant.email,
      erased ? '' : participant.organisation,
      participant?.stakeholderType ?? '',
      participant?.country ?? '',
      participant?.language ?? '',
      participant?.timeZone ?? '',
      registration.status,
      registration.waitlistPosition ?? '',
      registration.registeredAt,
    ].map(cell);
  });
  return stringify(rows, {
    header: true,
    columns: ['participantId', 'name', 'email', 'organisation', 'stakeholderType', 'country', 'language', 'timeZone', 'status', 'waitlistPosition', 'registeredAt'],
  });
}
