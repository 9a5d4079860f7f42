import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Debian's Chromium, driven by playwright-core (a browser download is impossible here). The flags keep
 * it off the network and quiet: this machine refuses every connection that is not loopback.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (.ci/run does)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

/** Where browser tests keep their screenshots. */
export const SCREENSHOTS = path.resolve(import.meta.dirname, '..', 'artifacts', 'screenshots');

/** One browser for a test file: launched before its tests, closed after; `browser()` gives it. */
export function browserForFile(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('the browser is not launched yet');
    return browser;
  };
}

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
/** The rule sets the pages are held to: WCAG 2.0–2.2 A and AA, and axe's best practices. */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/**
 * What axe-core finds on the page, every disclosure opened (a closed week's sessions are checked too),
 * one line per rule broken (its id, impact and the first nodes). axe is added as an inline script, which
 * the pages' own Content-Security-Policy allows (`script-src 'unsafe-inline'`), so the check runs under it.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate('document.querySelectorAll("details").forEach((d) => { d.open = true; })');
  await page.addScriptTag({ path: AXE });
  const result = (await page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(AXE_TAGS)} }, resultTypes: ['violations'] })`)) as {
    violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }>;
  };
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}${v.nodes.length > 3 ? ` and ${v.nodes.length - 3} more` : ''}`);
}
