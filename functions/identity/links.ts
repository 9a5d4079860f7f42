import type { TokenSigner } from './tokens.ts';

const base = (publicUrl: string) => publicUrl.replace(/\/$/, '');

/** The registrant's manage link: the page behind it needs the token, which only the mail carries. */
export function manageUrl(publicUrl: string, token: string): string {
  return `${base(publicUrl)}/me?token=${encodeURIComponent(token)}`;
}

/** A one-click unsubscribe link (RFC 8058) with a token of its own purpose, which opens nothing else. */
export function unsubscribeUrl(publicUrl: string, token: string): string {
  return `${base(publicUrl)}/unsubscribe?token=${encodeURIComponent(token)}`;
}

/**
 * A registrant's calendar feed: the token (purpose `feed`) is in the path, ending in `.ics`, because
 * calendar apps keep the address as typed and some look at its ending; it reads the feed and nothing else.
 */
export function feedUrl(publicUrl: string, token: string): string {
  return `${base(publicUrl)}/calendar/${encodeURIComponent(token)}.ics`;
}

/**
 * How long a feed address works: a calendar app keeps polling the address it was given months ago, so it
 * outlives a forum's programme (a manage link's TOKEN_TTL_DAYS would silently stop it mid-forum). "Sign out
 * all my links" and erasure end it sooner; a second rotation of the signing key too (README).
 */
export const FEED_TOKEN_DAYS = 400;

/** Signs a registrant's calendar feed address (revoked, as every link, by "sign out all my links"). */
export function signedFeedUrl(input: { publicUrl: string; tokens: TokenSigner; participantId: string; issuedAt: Date; generation: number }): string {
  const expiresAt = new Date(input.issuedAt.getTime() + FEED_TOKEN_DAYS * 86_400_000);
  return feedUrl(input.publicUrl, input.tokens.sign({ purpose: 'feed', subject: input.participantId, expiresAt, generation: input.generation }));
}

/** An address-confirmation link: it opens a page with a button; only the button's POST confirms. */
export function confirmUrl(publicUrl: string, token: string): string {
  return `${base(publicUrl)}/confirm?token=${encodeURIComponent(token)}`;
}

/** Signs a registrant's manage link. */
export function signedManageUrl(input: { publicUrl: string; tokens: TokenSigner; participantId: string; expiresAt: Date; generation: number }): string {
  return manageUrl(input.publicUrl, input.tokens.sign({ purpose: 'manage', subject: input.participantId, expiresAt: input.expiresAt, generation: input.generation }));
}
