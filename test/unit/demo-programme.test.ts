import { describe, expect, it } from 'vitest';
import { programmeFile } from '../../functions/core/model.ts';
import { demoProgramme } from '../../infra/local/demo-programme.ts';

describe('the demo programme (infra/local/demo-programme.json)', () => {
  it('is a valid programme file of 162 sessions from the first Monday after now, in start order, with parallel tracks', () => {
    // Thursday 12 March 2026: week 1 starts on Monday 16 March.
    const { sessions } = demoProgramme(new Date('2026-03-12T09:00:00Z'));
    expect(programmeFile.safeParse({ sessions }).success).toBe(true);
    // 42 sessions of the file and 120 of the parallel tracks (four each working day of weeks 1 to 6).
    expect(sessions).toHaveLength(162);
    expect(sessions[0]).toMatchObject({ sessionId: 'w1-mon-country-jp', startsAt: '2026-03-16T07:00:00+01:00', endsAt: '2026-03-16T08:00:00+01:00' });
    expect(sessions.find((s) => s.sessionId === 'w1-thematic-ai-governance')).toMatchObject({ startsAt: '2026-03-16T10:00:00+01:00', endsAt: '2026-03-16T11:30:00+01:00' });
    expect(new Set(sessions.map((s) => s.sessionId)).size).toBe(162);
    for (const [index, session] of sessions.entries()) {
      if (index > 0) expect(Date.parse(session.startsAt)).toBeGreaterThanOrEqual(Date.parse(sessions[index - 1]!.startsAt));
      expect(Object.keys(session.title).sort()).toEqual(['ar', 'en', 'es', 'fr', 'ru', 'zh']);
      // Restricted sessions get their link after approval; every other one has its own.
      if (session.restricted) expect(session.joinUrl).toBeUndefined();
      else expect(session.joinUrl).toBe(`https://meet.example.org/${session.sessionId}`);
    }
    // Country and region names in each language, from Intl.DisplayNames.
    expect(sessions.find((s) => s.sessionId === 'w1-mon-country-jp')!.title).toMatchObject({ en: 'Country workshop: Japan', fr: 'Atelier national : Japon', zh: '国别研讨会：日本' });
    // Parallel sessions exist (the hackathon runs beside the tracks), as in a real forum.
    const overlapping = sessions.filter((a, i) => sessions.some((b, j) => i !== j && Date.parse(a.startsAt) < Date.parse(b.endsAt) && Date.parse(b.startsAt) < Date.parse(a.endsAt)));
    expect(overlapping.length).toBeGreaterThan(0);
  });

  it('keeps local times across the daylight-saving change, each date with its own offset', () => {
    const { sessions } = demoProgramme(new Date('2026-03-12T09:00:00Z'));
    const byId = new Map(sessions.map((s) => [s.sessionId, s]));
    // Week 2 starts on 23 March (+01:00); Europe/Zurich moves to +02:00 on 29 March, so week 3 is in summer time.
    expect(byId.get('w2-thematic-cybersecurity-capacity')!.startsAt).toBe('2026-03-23T10:00:00+01:00');
    expect(byId.get('w3-thematic-connecting-schools')!.startsAt).toBe('2026-03-30T10:00:00+02:00');
    // The two-day hackathon: Thursday 09:00 to Friday 17:00.
    expect(byId.get('w3-hackathon-healthy-ageing')).toMatchObject({ startsAt: '2026-04-02T09:00:00+02:00', endsAt: '2026-04-03T17:00:00+02:00' });
    expect(byId.get('final-prize-ceremony')!.startsAt).toBe('2026-04-30T16:00:00+02:00');
  });

  it('starts a full week later when now is a Monday in Zurich, even when it is still Sunday in UTC', () => {
    // 23:30Z on Sunday 15 March is 00:30 on Monday 16 March in Zurich.
    expect(demoProgramme(new Date('2026-03-15T23:30:00Z')).sessions[0]!.startsAt).toBe('2026-03-23T07:00:00+01:00');
    expect(() => demoProgramme(new Date('not a date'))).toThrow(RangeError);
  });
});
