import { html, type SafeHtml } from '../html.ts';
import { t } from '../i18n/mail-messages.ts';
import { isRightToLeft } from '../i18n/messages.ts';
import type { Language } from '../model.ts';

/**
 * The frame of every mail: language and direction set (Arabic reads right to left), inline styles only,
 * because mail clients drop style sheets and external images.
 */
export function mailLayout(input: { lang: Language; title: string; body: SafeHtml; manageUrl?: string }): string {
  const dir = isRightToLeft(input.lang) ? 'rtl' : 'ltr';
  const align = dir === 'rtl' ? 'right' : 'left';
  return html`<!doctype html>
<html lang="${input.lang}" dir="${dir}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${input.title}</title></head>
<body style="margin:0;padding:0;background:#f4f5f7;">
<div style="max-width:640px;margin:0 auto;padding:24px;font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#1b1f24;text-align:${align};" dir="${dir}">
${input.body}
${input.manageUrl ? html`<p style="margin:24px 0;"><a href="${input.manageUrl}" style="display:inline-block;background:#0b5cad;color:#ffffff;padding:10px 18px;border-radius:4px;text-decoration:none;">${t(input.lang, 'mail.manageLink')}</a></p>` : ''}
<p style="color:#4a5560;">${t(input.lang, 'mail.signoff')}</p>
</div>
</body>
</html>`.value;
}
