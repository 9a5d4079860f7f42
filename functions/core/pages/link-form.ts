import { html, type SafeHtml } from '../html.ts';
import { tp } from '../i18n/page-messages.ts';
import type { Language } from '../model.ts';

/**
 * "Mail me my link": one address field. Whatever is entered, the answer is the same page (nothing to
 * learn about an address); the link goes only to the address itself.
 */
export function linkRequestForm(lang: Language): SafeHtml {
  const id = 'link-email';
  return html`<form method="post" action="/me/link?lang=${lang}" class="panel" novalidate>
<fieldset>
<legend class="legend-heading"><h2>${tp(lang, 'link.legend')}</h2></legend>
<div class="field">
<label for="${id}">${tp(lang, 'link.email')}</label>
<input type="email" id="${id}" name="email" autocomplete="email" required maxlength="254" dir="ltr">
</div>
<button type="submit" class="button button--secondary">${tp(lang, 'link.submit')}</button>
</fieldset>
</form>`;
}
