/** The registrant's manage link: the page behind it needs the token, which only the mail carries. */
export function manageUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/$/, '')}/me?token=${encodeURIComponent(token)}`;
}
