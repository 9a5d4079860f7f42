import { hashEmail } from '../core/store/keys.ts';
import { unsubscribeUrl, type TokenSigner } from '../identity/index.ts';
import { stringify } from 'csv-stringify/sync';
import type { Clock } from '../core/clock.ts';
import { html, type SafeHtml } from '../core/html.ts';
import type { Mailer } from '../core/mail/mailer.ts';
import { pickText, type Session } from '../core/model.ts';
import { formatRange, zoneLabel } from '../core/time-format.ts';

export type DigestLog = {
  /** Claims the digest of `day`; returns the previous digest's time, or 'sent' when that day's already went out. */
  claim(day: string, now: Date): Promise<{ previousAt?: string } | 'sent'>;
  complete(day: string, now: Date): Promise<void>;
  release(day: string): Promise<void>;
  /** True when this organiser address stopped the digest (one-click unsubscribe). */
  isOptedOut(address: string): Promise<boolean>;
};

export type DigestDeps = {
  stats: { sum(from: Date, to: Date): Promise<Record<string, number>> };
  sessions: { listSessions(): Promise<Session[]> };
  offers: { openOfferCounts(): Promise<Map<string, number>> };
  log: DigestLog;
  mailer: Mailer;
  clock: Clock;
  /** Every configured organiser address; those who opted out are skipped. */
  organisers: string[];
  forumTimeZone: string;
  publicUrl: string;
  /** A one-click unsubscribe URL per organiser address (RFC 8058). */
  unsubscribeUrl: (address: string) => string;
};

const dayIn = (at: Date, zone: string) => new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);

type Row = {
  session: Session;
  /** Seats taken by confirmed addresses (seatsTaken less seatsHeld). */
  seats: number;
  fill: number;
  fresh: number;
  cancelled: number;
  offered: number;
  promoted: number;
  expired: number;
  openOffers: number;
  bounced: number;
  complained: number;
};

/**
 * The organisers' daily digest: what moved since the previous digest (new registrations and
 * cancellations by session, kind, stakeholder type, country and language; waiting-list movement;
 * approvals; bounces, complaints, suppressions), the fill of every upcoming session as inline bars, the
 * pending approvals and the next 48 hours, with a CSV of per-session figures. It reads hourly counters and
 * session items only, so its cost grows with the number of sessions, not registrations. Sent once per
 * forum-local day, even if the schedule fires twice.
 */
export async function sendDigest(deps: DigestDeps, now: Date): Promise<{ sent: boolean; day: string; headline?: string }> {
  const day = dayIn(now, deps.forumTimeZone);
  // Opt-outs are read before the day is claimed: a failed read must not leave a claimed day half sent.
  const recipients: string[] = [];
  for (const address of deps.organisers) if (!(await deps.log.isOptedOut(address))) recipients.push(address);
  const claim = await deps.log.claim(day, now);
  if (claim === 'sent') return { sent: false, day };
  try {
    // Since the previous digest, but at most a week back: the digest's cost stays bounded after a pause.
    const since = new Date(Math.max(claim.previousAt ? Date.parse(claim.previousAt) : 0, now.getTime() - (claim.previousAt ? 7 : 1) * 86_400_000));
    const [counters, sessions, openOffers] = await Promise.all([deps.stats.sum(since, now), deps.sessions.listSessions(), deps.offers.openOfferCounts()]);
    const c = (name: string) => counters[name] ?? 0;
    const upcoming = sessions.filter((s) => s.status === 'scheduled' && Date.parse(s.endsAt) > now.getTime());
    const rows: Row[] = upcoming.map((session) => ({
      session,
      // Seats held for addresses that have not confirmed are not registrations yet (they may be squatted).
      seats: session.seatsTaken - session.seatsHeld,
      fill: session.capacity ? (session.seatsTaken - session.seatsHeld) / session.capacity : 0,
      fresh: c(`new|session|${session.sessionId}`),
      cancelled: c(`cancelled|session|${session.sessionId}`),
      offered: c(`waitlist|offered|${session.sessionId}`),
      promoted: c(`waitlist|promoted|${session.sessionId}`),
      expired: c(`waitlist|expired|${session.sessionId}`),
      openOffers: openOffers.get(session.sessionId) ?? 0,
      bounced: c(`mail|bounced|${session.sessionId}`),
      complained: c(`mail|complained|${session.sessionId}`),
    }));
    const next48 = upcoming.filter((s) => Date.parse(s.startsAt) <= now.getTime() + 48 * 3_600_000);
    // Held requests (addresses not confirmed yet) cannot be decided: they are not shown as waiting for one.
    const pending = upcoming.filter((s) => s.pendingCount - s.pendingHeld > 0);
    const headline = `${c('new|total')} new, ${c('cancelled|total')} cancelled, ${c('mail|bounced')} bounces, ${c('mail|complained')} complaints`;
    const subject = `Convene digest ${day}: ${headline}`;
    const breakdown = (prefix: string) =>
      Object.entries(counters)
        .filter(([name]) => name.startsWith(prefix))
        .map(([name, value]) => [name.slice(prefix.length), value] as const)
        .sort((a, b) => b[1] - a[1]);

    // One list of facts, written out twice: as HTML and as the text part (the same facts, times with their zone).
    const summary: Array<[string, number | string]> = [
      ['New registrations', c('new|total')],
      ['Cancellations', c('cancelled|total')],
      ['Waiting-list offers made', c('waitlist|offered')],
      ['Offers expired', c('waitlist|expired')],
      ['Holds released unconfirmed', c('holds|expired')],
      ['Promoted from the waiting list', c('waitlist|promoted')],
      ['Approved / rejected', `${c('approvals|approved')} / ${c('approvals|rejected')}`],
      ['Delivered', c('mail|delivered')],
      ['Bounces', c('mail|bounced')],
      ['Complaints', c('mail|complained')],
      ['Addresses suppressed', c('mail|suppressed')],
      ['Bulk runs paused: SES daily quota nearly spent', c('mail|paused-daily-quota')],
    ];
    const when = (s: { startsAt: string; endsAt: string }) => `${formatRange(s.startsAt, s.endsAt, deps.forumTimeZone, 'en')} (${zoneLabel(s.startsAt, deps.forumTimeZone, 'en')})`;
    const groups = (['kind', 'stakeholder', 'country', 'language'] as const).map((dimension) => {
      const entries = breakdown(`new|${dimension}|`);
      return [dimension, entries.length ? entries.map(([key, value]) => `${key} ${value}`).join(', ') : 'none'] as const;
    });
    const sinceText = `${since.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

    const body = html`<!doctype html><html lang="en" dir="ltr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${subject}</title></head>
<body style="margin:0;background:#f4f5f7;"><div style="max-width:760px;margin:0 auto;padding:20px;font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#1b1f24;">
<h1 style="font-size:20px;margin:0 0 4px;">Convene digest, ${day}</h1>
<p style="margin:0 0 16px;color:#4a5560;">Since ${sinceText}: <strong>${headline}</strong>.</p>
${summaryTable(summary)}
<h2 style="font-size:16px;margin:24px 0 8px;">Fill of upcoming sessions</h2>
<div style="overflow-x:auto;"><table role="presentation" cellpadding="4" cellspacing="0" style="border-collapse:collapse;width:100%;">
<tr style="background:#e8ebef;text-align:left;"><th>Session</th><th>Seats</th><th style="width:200px;">Fill</th><th>Waiting</th><th>New</th><th>Cancelled</th><th>Open offers</th></tr>
${rows.map((row) => html`<tr style="border-bottom:1px solid #d5dae0;"><td>${pickText(row.session.title, 'en')}<br><span style="color:#4a5560;font-size:12px;">${when(row.session)}</span></td>
<td>${row.seats}/${row.session.capacity}${row.session.seatsHeld ? html`<br><span style="color:#4a5560;font-size:12px;">+${row.session.seatsHeld} held</span>` : ''}</td>
<td>${bar(row.fill)}</td><td>${row.session.waitlistCount - row.session.waitlistHeld}</td><td>${row.fresh}</td><td>${row.cancelled}</td><td>${row.openOffers}</td></tr>`)}
</table></div>
<h2 style="font-size:16px;margin:24px 0 8px;">Pending approvals</h2>
${pending.length ? html`<ul>${pending.map((s) => html`<li>${pickText(s.title, 'en')}: ${s.pendingCount - s.pendingHeld} waiting for a decision</li>`)}</ul>` : html`<p>None.</p>`}
<h2 style="font-size:16px;margin:24px 0 8px;">Next 48 hours</h2>
${next48.length ? html`<ul>${next48.map((s) => html`<li>${when(s)}: ${pickText(s.title, 'en')} (${s.seatsTaken - s.seatsHeld}/${s.capacity})</li>`)}</ul>` : html`<p>No sessions.</p>`}
<h2 style="font-size:16px;margin:24px 0 8px;">New registrations by group</h2>
${groups.map(([dimension, list]) => html`<p style="margin:4px 0;"><strong>${dimension}:</strong> ${list}</p>`)}
<p style="margin-top:24px;color:#4a5560;font-size:12px;">Per-session figures are attached as CSV.</p>
</div></body></html>`;

    const text = [
      `Convene digest, ${day}`,
      `Since ${sinceText}: ${headline}.`,
      '',
      ...summary.map(([label, value]) => `${label}: ${value}`),
      '',
      'Fill of upcoming sessions (seats taken/capacity, fill, waiting, new, cancelled, open offers):',
      ...(rows.length ? rows.map((row) => `* ${pickText(row.session.title, 'en')}, ${when(row.session)}: ${row.seats}/${row.session.capacity}${row.session.seatsHeld ? ` (+${row.session.seatsHeld} held)` : ''}, ${Math.round(row.fill * 100)} %, waiting ${row.session.waitlistCount - row.session.waitlistHeld}, new ${row.fresh}, cancelled ${row.cancelled}, open offers ${row.openOffers}`) : ['None.']),
      '',
      'Pending approvals:',
      ...(pending.length ? pending.map((s) => `* ${pickText(s.title, 'en')}: ${s.pendingCount - s.pendingHeld} waiting for a decision`) : ['None.']),
      '',
      'Next 48 hours:',
      ...(next48.length ? next48.map((s) => `* ${when(s)}: ${pickText(s.title, 'en')} (${s.seatsTaken - s.seatsHeld}/${s.capacity})`) : ['No sessions.']),
      '',
      'New registrations by group:',
      ...groups.map(([dimension, list]) => `* ${dimension}: ${list}`),
      '',
      'Per-session figures are in the attached CSV.',
      '',
    ].join('\n');

    const csv = stringify(
      rows.map((row) => [row.session.sessionId, pickText(row.session.title, 'en'), row.session.kind, row.session.startsAt, row.session.capacity, row.seats, row.session.seatsHeld, row.session.waitlistCount - row.session.waitlistHeld, row.session.pendingCount - row.session.pendingHeld, Math.round(row.fill * 1000) / 10, row.fresh, row.cancelled, row.offered, row.promoted, row.expired, row.openOffers, row.bounced, row.complained]),
      { header: true, columns: ['sessionId', 'title', 'kind', 'startsAt', 'capacity', 'seatsTaken', 'seatsHeld', 'waitlisted', 'pending', 'fillPercent', 'new', 'cancelled', 'offersMade', 'promoted', 'offersExpired', 'openOffers', 'bounces', 'complaints'] },
    );
    for (const address of recipients) {
      const unsubscribe = deps.unsubscribeUrl(address);
      await deps.mailer.send({
        to: address,
        lang: 'en',
        subject,
        html: body.value,
        text,
        attachments: [{ filename: `convene-digest-${day}.csv`, contentType: 'text/csv; charset=UTF-8', content: csv }],
        headers: [
          { name: 'List-Unsubscribe', value: `<${unsubscribe}>` },
          { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
        ],
        tags: { kind: 'digest' },
      });
    }
    await deps.log.complete(day, now);
    return { sent: true, day, headline };
  } catch (error) {
    await deps.log.release(day);
    throw error;
  }
}

function summaryTable(rows: Array<[string, number | string]>): SafeHtml {
  return html`<table role="presentation" cellpadding="4" cellspacing="0" style="border-collapse:collapse;">
${rows.map(([label, value]) => html`<tr><td style="padding-right:24px;">${label}</td><td style="text-align:right;font-weight:bold;">${value}</td></tr>`)}
</table>`;
}

/** A bar that mail clients render: a fixed-width table cell with a coloured inner cell, no images. */
function bar(fill: number): SafeHtml {
  const percent = Math.max(0, Math.min(100, Math.round(fill * 100)));
  const colour = percent >= 100 ? '#b42318' : percent >= 80 ? '#b54708' : '#1a7f37';
  return html`<table role="presentation" cellpadding="0" cellspacing="0" style="width:160px;border:1px solid #98a2b3;border-collapse:collapse;display:inline-table;vertical-align:middle;"><tr><td style="width:${percent}%;background:${colour};height:10px;font-size:0;line-height:0;">&nbsp;</td><td style="background:#ffffff;font-size:0;line-height:0;">&nbsp;</td></tr></table> ${percent}%`;
}

/** The one-click unsubscribe URL of an organiser's digest (RFC 8058): a token naming the address's hash, valid a year. */
export function organiserUnsubscribeUrl(publicUrl: string, tokens: TokenSigner, address: string, now: Date): string {
  const token = tokens.sign({ purpose: 'digest-opt-out', subject: hashEmail(address), expiresAt: new Date(now.getTime() + 365 * 86_400_000) });
  return unsubscribeUrl(publicUrl, token);
}
