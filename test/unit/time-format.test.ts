import { describe, expect, it } from 'vitest';
import { formatInstant, formatRange, zoneLabel } from '../../functions/core/time-format.ts';

describe('time formatting', () => {
  it('formats a range in the registrant’s zone and language', () => {
    expect(formatRange('2026-12-07T13:00:00Z', '2026-12-07T14:30:00Z', 'Asia/Tokyo', 'en')).toBe('Mon, 7 Dec 2026, 22:00–23:30');
  });

  it('labels the zone as it is at that instant (daylight-saving aware)', () => {
    expect(zoneLabel('2026-12-07T13:00:00Z', 'Europe/Zurich', 'en')).toBe('CET');
    expect(zoneLabel('2026-07-07T13:00:00Z', 'Europe/Zurich', 'en')).toBe('CEST');
  });

  it('gives the same text with reused formatters for different zones and languages', () => {
    const first = formatInstant('2026-12-07T13:00:00Z', 'America/Lima', 'es');
    formatInstant('2026-12-07T13:00:00Z', 'Asia/Tokyo', 'fr');
    expect(formatInstant('2026-12-07T13:00:00Z', 'America/Lima', 'es')).toBe(first);
    expect(first).toContain('8:00');
  });
});
