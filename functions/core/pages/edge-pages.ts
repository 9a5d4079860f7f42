import { html } from '../html.ts';
import { isRightToLeft, pageText, tp } from '../i18n/page-messages.ts';
import { t } from '../i18n/messages.ts';
import type { Language } from '../model.ts';

/** The refusals the edge answers itself, before any function runs. */
export type EdgeRefusal = 'tooMany' | 'blocked';

/** AWS WAF keeps a custom response body to 4 KB: these pages carry a few lines of style, not the site's sheet. */
export const EDGE_PAGE_MAX_BYTES = 4096;

/**
 * The page the edge's firewall answers a browser with when it refuses a request (too many from one
 * network, or a request that looks like an attack), in the browser's language: the same words as the
 * site's own message pages, with the way back to the form. Static (WAF cannot render), so it carries no
 * language switcher; the link back keeps the language.
 */
export function edgePage(lang: Language, kind: EdgeRefusal): string {
  const { title, message } = pageText.message(lang, kind);
  return html`<!doctype html>
<html lang="${lang}" dir="${isRightToLeft(lang) ? 'rtl' : 'ltr'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} – ${t(lang, 'site.forumName')}</title>
<style>body{font:1.0625rem/1.5 system-ui,"Noto Sans","Noto Sans Arabic","Noto Sans CJK SC",sans-serif;margin:0;color:#1b1b1b;background:#fff}main{max-width:40rem;margin:0 auto;padding:1.5rem 1rem}.box{border-inline-start:.375rem solid #b3261e;background:#fdf0ef;padding:.75rem 1rem;margin:1rem 0}a{color:#0b57d0}a:focus{outline:3px solid #0b57d0;outline-offset:2px}</style>
</head>
<body>
<main>
<p>${t(lang, 'site.forumName')}</p>
<h1>${title}</h1>
<div class="box"><p>${message}</p></div>
<p><a href="/?lang=${lang}">${tp(lang, 'message.back')}</a></p>
</main>
</body>
</html>
`.value;
}
