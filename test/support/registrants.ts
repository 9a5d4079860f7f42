import { randomUUID } from 'node:crypto';
import { languages, type Language, type Participant } from '../../functions/core/model.ts';
import { registrationItem } from '../../functions/core/store/items.ts';
import { keys } from '../../functions/core/store/keys.ts';

const zones: Record<Language, string> = { ar: 'Asia/Riyadh', en: 'America/New_York', es: 'America/Bogota', fr: 'Africa/Dakar', ru: 'Europe/Moscow', zh: 'Asia/Shanghai' };

/**
 * The items of `count` confirmed registrants of a session, to write straight into the table (tests and
 * benchmarks at a scale the HTTP API would take minutes to reach): participants in the six languages,
 * round robin, with their email index items and registration items, built with the store's own builders.
 */
export function confirmedRegistrantItems(sessionId: string, count: number, options: { registeredAt: Date; emailPrefix: string }) {
  const registeredAt = options.registeredAt.toISOString();
  const participants: Participant[] = [];
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const language = languages[i % languages.length]!;
    const participant: Participant = {
      participantId: randomUUID(),
      name: `Registrant ${i}`,
      email: `${options.emailPrefix}-${sessionId}-${i}@example.org`,
      organisation: 'Seeded organisation',
      stakeholderType: 'academia',
      country: 'CH',
      language,
      timeZone: zones[language],
      createdAt: registeredAt,
    };
    participants.push(participant);
    items.push({ ...keys.participant(participant.participantId), type: 'participant', ...participant });
    items.push({ ...keys.email(participant.email), type: 'email', participantId: participant.participantId });
    items.push(registrationItem({ participantId: participant.participantId, sessionId, status: 'confirmed', registeredAt, updatedAt: registeredAt }));
  }
  return { participants, items };
}
