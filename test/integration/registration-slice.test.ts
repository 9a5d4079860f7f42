import { describe, expect, it } from 'vitest';
import { attachmentText, drain, futureSession, importSessions, mailedLink, mails, postJson, registrationBody, apiUrl } from '../support/api.ts';

describe('the first vertical slice: register, relay, confirm by mail', () => {
  it('answers /health with 200 once every stand-in is up', async () => {
    // Act
    const response = await fetch(`${apiUrl()}/health`);
    // Assess
    expect(response.status).toBe(200);
  });

  it('lists imported sessions with seats left', async () => {
    // Prepare
    const session = futureSession({ capacity: 30 });
    await importSessions(session);
    // Act
    const response = await fetch(`${apiUrl()}/sessions`);
    const body = (await response.json()) as { sessions: Array<Record<string, unknown>> };
    // Assess
    const listed = body.sessions.find((s) => s.sessionId === session.sessionId);
    expect(listed).toMatchObject({ sessionId: session.sessionId, kind: 'thematic-workshop', capacity: 30, seatsLeft: 30, status: 'scheduled' });
    expect(listed?.title).toEqual(session.title);
  });

  it('sends exactly one confirmation mail, to the registrant, in their language, with a calendar invite', async () => {
    // Prepare
    const session = futureSession();
    await importSessions(session);
    const body = registrationBody([session.sessionId], { language: 'fr' });

    // Act
    const response = await postJson('/registrations', body);
    await drain();

    // Assess
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ sessions: [{ sessionId: session.sessionId, status: 'confirmed' }] });
    // The answer never carries the manage link, a token or the participant id: the mail does.
    expect(Object.keys(response.body).sort()).toEqual(['mailedTo', 'sessions']);
    expect(response.body.mailedTo).toBe(`${body.email.slice(0, 1)}•••@example.org`);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const received = await mails(body.email);
    expect(received).toHaveLength(1);
    const [mail] = received;
    expect(mail!.destination.to).toEqual([body.email]);
    expect(mail!.subject).toContain('Inscription reçue');
    expect(mail!.subject).toContain(session.title.fr);
    expect(mail!.body.text).toContain('Confirmée');
    expect(mail!.body.html).toContain('lang="fr"');
    const ics = attachmentText(mail!);
    expect(ics).toContain('METHOD:REQUEST');
    expect(ics).toContain(`UID:${session.sessionId}@`);
  });

  it('refuses invalid input with field-level errors and sends nothing', async () => {
    // Prepare
    const session = futureSession();
    await importSessions(session);
    const body = registrationBody([session.sessionId], { email: 'not-an-email', consent: false, timeZone: 'Mars/Olympus' });

    // Act
    const response = await postJson('/registrations', body);
    await drain();

    // Assess
    expect(response.status).toBe(400);
    const fields = (response.body.error as { fields: Array<{ field: string }> }).fields.map((f) => f.field).sort();
    expect(fields).toEqual(['consent', 'email', 'timeZone']);
    expect(await mails('not-an-email')).toHaveLength(0);
    const sessions = (await (await fetch(`${apiUrl()}/sessions`)).json()) as { sessions: Array<{ sessionId: string; seatsLeft: number }> };
    expect(sessions.sessions.find((s) => s.sessionId === session.sessionId)?.seatsLeft).toBe(100);
  });

  it('lets a shared cache keep only what carries nothing personal: the registration page and the programme for seconds, a manage page never', async () => {
    // Prepare
    const session = futureSession();
    await importSessions(session);
    const body = registrationBody([session.sessionId]);
    expect((await postJson('/registrations', body)).status).toBe(201);
    const { manageUrl } = await mailedLink(body.email);
    // Act
    const page = await fetch(`${apiUrl()}/?lang=fr`, { headers: { accept: 'text/html' } });
    const programme = await fetch(`${apiUrl()}/sessions`);
    const manage = await fetch(manageUrl, { headers: { accept: 'text/html' } });
    // Assess
    expect(page.headers.get('cache-control')).toBe('public, max-age=5');
    expect(page.headers.get('vary')).toBe('Accept-Language, Accept');
    expect(programme.headers.get('cache-control')).toBe('public, max-age=5');
    expect(manage.status).toBe(200);
    expect(manage.headers.get('cache-control')).toBe('no-store');
  });
});

