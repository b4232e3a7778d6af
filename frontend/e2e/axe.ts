/**
 * Accessibility checks of the screens the e2e visits: axe-core in the page, with the WCAG 2.1
 * A/AA rules and axe's best practices. Every screen must come out with no violation at all.
 */
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import type { BrowserUser } from './browser-user.js';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
/**
 * WCAG 2.5.3 (label in name): a control's accessible name contains the text it shows. axe counts
 * the rule as experimental and leaves it off unless asked.
 */
const EXTRA_RULES = { 'label-content-name-mismatch': { enabled: true } };

/**
 * The one exception, and only for that extra rule: the category tabs inside emoji-picker-element's
 * shadow root show an emoji and are named by the category ("Food and drink"). That markup is the
 * third-party element's own, closed to our styles and templates; every other rule runs in it too.
 */
type Target = Awaited<ReturnType<AxeBuilder['analyze']>>['violations'][number]['nodes'][number]['target'];

function isThirdPartyException(rule: string, target: Target): boolean {
  const [host] = target;
  return rule === 'label-content-name-mismatch' && Array.isArray(host) && host[0] === 'emoji-picker';
}

/** Screen name → how many rules passed and were violated there, for the run's summary. */
export const axeResults = new Map<string, { passes: number; violations: number }>();

/** Runs axe on what `user` sees now, as `screen`, and fails with every violation found. */
export async function assertNoAxeViolations(user: BrowserUser, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page: user.page }).withTags(TAGS).options({ rules: EXTRA_RULES }).analyze();
  const found = results.violations
    .map((v) => ({
      rule: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes
        .filter((n) => !isThirdPartyException(v.id, n.target))
        .map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
    }))
    .filter((v) => v.nodes.length > 0);
  axeResults.set(`${user.label} ${screen}`, { passes: results.passes.length, violations: found.length });
  assert.deepEqual(found, [], `${user.label}, ${screen}: axe found ${found.length} violation(s):\n${JSON.stringify(found, null, 2)}`);
}
