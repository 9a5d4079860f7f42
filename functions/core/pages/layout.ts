import { html, SafeHtml } from '../html.ts';
import { isRightToLeft, pageText, tp } from '../i18n/page-messages.ts';
import { t } from '../i18n/messages.ts';
import { languages, type Language } from '../model.ts';
import { pageStyles } from './styles.ts';

export type PageLayoutInput = {
  lang: Language;
  /** The page's own title (the `<h1>` text); the forum name is appended for the window title. */
  title: string;
  body: SafeHtml;
  /** Trusted enhancement code (never registrant text); the page must work without it. */
  script?: string;
  /**
   * Where the language switcher's link for `lang` goes; by default `?lang=xx`. Pass one that keeps the
   * page's other query parameters (the manage page keeps its token); `null` hides the switcher, for pages
   * that answer a POST and cannot be fetched again.
   */
  switchHref?: ((lang: Language) => string) | null;
  /** The forum's name as organisers configure it; a generic, translated name otherwise. */
  forumName?: string;
};

/**
 * The frame of every page: `lang` and `dir` on `<html>` (Arabic reads right to left), a skip link, a
 * header with the forum's name and a language switcher, the main content and a footer. Styles are
 * inlined, there is no external asset. Never throws.
 */
export function pageLayout(input: PageLayoutInput): string {
  const { lang } = input;
  const dir = isRightToLeft(lang) ? 'rtl' : 'ltr';
  const forumName = input.forumName ?? t(lang, 'site.forumName');
  const switchHref = input.switchHref === undefined ? (target: Language) => `?lang=${target}` : input.switchHref;
  return html`<!doctype html>
<html lang="${lang}" dir="${dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${input.title} – ${forumName}</title>
<style>${new SafeHtml(pageStyles)}</style>
</head>
<body>
<a class="skip-link" href="#main">${tp(lang, 'layout.skip')}</a>
<header class="site-header">
<div class="wrap">
<p class="site-name"><a href="/?lang=${lang}">${forumName}</a></p>
${switchHref ? languageSwitcher(lang, switchHref) : ''}
</div>
</header>
<main id="main" class="wrap" tabindex="-1">
${input.body}
</main>
<footer class="site-footer">
<div class="wrap"><p>${tp(lang, 'layout.footer')}</p></div>
</footer>
${input.script ? html`<script>${new SafeHtml(inlineScript(input.script))}</script>` : ''}
</body>
</html>
`.value;
}

function languageSwitcher(current: Language, href: (lang: Language) => string): SafeHtml {
  const items = languages.map((target) =>
    target === current
      ? html`<li><span aria-current="true" lang="${target}">${pageText.languageName(target)}</span></li>`
      : html`<li><a href="${href(target)}" lang="${target}" hreflang="${target}">${pageText.languageName(target)}</a></li>`,
  );
  return html`<nav aria-label="${tp(current, 'layout.languages')}"><ul class="lang-switch">${items}</ul></nav>`;
}

/** A `</script>` inside the code would end the element early; `<\/` means the same to JavaScript. */
function inlineScript(code: string): string {
  return code.replace(/<\//g, '<\\/').replace(/<!--/g, '<\\!--');
}
