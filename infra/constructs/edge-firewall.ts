import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { edgePage, type EdgeRefusal } from '../../functions/core/pages/edge-pages.ts';
import { languages, type Language } from '../../functions/core/model.ts';

/**
 * The per-IP limit on the public POST routes (the form, the confirmation, the manage page's actions): 300
 * in five minutes, one a second for a whole office behind one address (a ministry's staff registering
 * together), while a script posting 50 a second is stopped within seconds. WAF counts per IP over a
 * sliding window of `evaluationWindowSec`.
 */
export const POSTS_PER_IP = { limit: 300, evaluationWindowSec: 300 } as const;

/**
 * The per-IP limit on every request (CloudFront's cache is no shield: a query string of its own misses
 * it): ten a second over five minutes, far above a person's pages, so that one client cannot spend the
 * API's throttle that every registrant shares.
 */
export const REQUESTS_PER_IP = { limit: 3000, evaluationWindowSec: 300 } as const;

/**
 * Paths the POST limit leaves alone: one-click unsubscribes (RFC 8058) come from the mail providers' own
 * few servers, hundreds at once after a large reminder, and must never be refused.
 */
export const POST_LIMIT_EXEMPT_PATHS = ['/unsubscribe'] as const;

/** Labels the counting rules give a request; the blocking rules below match them. */
const TOO_MANY_POSTS_LABEL = 'convene:too-many-posts';
const TOO_MANY_REQUESTS_LABEL = 'convene:too-many-requests';
const COMMON_RULES_NAMESPACE = 'awswaf:managed:aws:core-rule-set:';

const REFUSALS: Record<EdgeRefusal, { status: number; code: string }> = {
  tooMany: { status: 429, code: 'too_many_requests' },
  blocked: { status: 403, code: 'request_blocked' },
};

const bodyKey = (kind: EdgeRefusal, lang: Language | 'json') => `${kind}-${lang}`;

const visibility = (metricName: string) => ({ cloudWatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true });

const byteMatch = (field: wafv2.CfnWebACL.FieldToMatchProperty, search: string, positionalConstraint: 'EXACTLY' | 'STARTS_WITH' | 'CONTAINS') => ({
  byteMatchStatement: { fieldToMatch: field, searchString: search, positionalConstraint, textTransformations: [{ priority: 0, type: 'LOWERCASE' }] },
});

/** A language the request names by `?lang=` (which the site reads first). */
const queryAsks = (lang: Language) => byteMatch({ singleQueryArgument: { Name: 'lang' } }, lang, 'EXACTLY');
/** A language first in Accept-Language. */
const browserAsks = (lang: Language) => byteMatch({ singleHeader: { Name: 'accept-language' } }, lang, 'STARTS_WITH');

/** API clients (asking for JSON, or not for HTML) get JSON; browsers get the page. */
const wantsHtml = byteMatch({ singleHeader: { Name: 'accept' } }, 'text/html', 'CONTAINS');

/**
 * The web ACL in front of CloudFront (in us-east-1, as CloudFront requires). Three rules count, and label
 * what they find: the per-IP rate of public POSTs (unsubscribes exempt), the per-IP rate of all requests,
 * and AWS's managed common rule set. The rules after them block a labelled request with Convene's own
 * answer: JSON to an API client, and to a browser the page in its language (one rule per language, since
 * WAF's custom bodies are static; `?lang=` first, then Accept-Language, as the site reads them), else English.
 */
export class EdgeFirewall extends Construct {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: { name: string }) {
    super(scope, id);
    const refusalRules = (kind: EdgeRefusal, matches: object, firstPriority: number): wafv2.CfnWebACL.RuleProperty[] => {
      const { status } = REFUSALS[kind];
      const block = (key: string) => ({ block: { customResponse: { responseCode: status, customResponseBodyKey: key, ...(kind === 'tooMany' ? { responseHeaders: [{ name: 'retry-after', value: '300' }] } : {}) } } });
      const name = kind === 'tooMany' ? 'TooManyPosts' : 'Blocked';
      // In the site's order: `?lang=` first, then the browser's language, else English.
      const pages = [
        ...languages.map((lang) => ({ rule: `${name}Query${lang.toUpperCase()}`, lang, asks: queryAsks(lang) })),
        ...languages.filter((lang) => lang !== 'en').map((lang) => ({ rule: `${name}Browser${lang.toUpperCase()}`, lang, asks: browserAsks(lang) })),
      ];
      return [
        { name: `${name}Api`, priority: firstPriority, statement: { andStatement: { statements: [matches, { notStatement: { statement: wantsHtml } }] } }, action: block(bodyKey(kind, 'json')), visibilityConfig: visibility(`${name}Api`) },
        ...pages.map((page, index) => ({
          name: page.rule,
          priority: firstPriority + 1 + index,
          statement: { andStatement: { statements: [matches, page.asks] } },
          action: block(bodyKey(kind, page.lang)),
          visibilityConfig: visibility(page.rule),
        })),
        { name: `${name}Page`, priority: firstPriority + 1 + pages.length, statement: matches, action: block(bodyKey(kind, 'en')), visibilityConfig: visibility(`${name}Page`) },
      ];
    };

    const bodies: Record<string, wafv2.CfnWebACL.CustomResponseBodyProperty> = {};
    for (const kind of Object.keys(REFUSALS) as EdgeRefusal[]) {
      bodies[bodyKey(kind, 'json')] = { contentType: 'APPLICATION_JSON', content: JSON.stringify({ error: { code: REFUSALS[kind].code } }) };
      for (const lang of languages) bodies[bodyKey(kind, lang)] = { contentType: 'TEXT_HTML', content: edgePage(lang, kind) };
    }

    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: props.name,
      description: 'Convene: per-IP rate of public POSTs and the AWS common rule set, answered with Convene pages',
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(props.name),
      customResponseBodies: bodies,
      rules: [
        {
          name: 'CountPublicPosts',
          priority: 0,
          statement: {
            rateBasedStatement: {
              ...POSTS_PER_IP,
              aggregateKeyType: 'IP',
              scopeDownStatement: {
                andStatement: {
                  statements: [
                    { byteMatchStatement: { fieldToMatch: { method: {} }, searchString: 'POST', positionalConstraint: 'EXACTLY', textTransformations: [{ priority: 0, type: 'NONE' }] } },
                    ...POST_LIMIT_EXEMPT_PATHS.map((path) => ({ notStatement: { statement: byteMatch({ uriPath: {} }, path, 'STARTS_WITH') } })),
                  ],
                },
              },
            },
          },
          action: { count: {} },
          ruleLabels: [{ name: TOO_MANY_POSTS_LABEL }],
          visibilityConfig: visibility('CountPublicPosts'),
        },
        {
          name: 'CountAllRequests',
          priority: 1,
          statement: { rateBasedStatement: { ...REQUESTS_PER_IP, aggregateKeyType: 'IP' } },
          action: { count: {} },
          ruleLabels: [{ name: TOO_MANY_REQUESTS_LABEL }],
          visibilityConfig: visibility('CountAllRequests'),
        },
        {
          name: 'AWSManagedRulesCommonRuleSet',
          priority: 2,
          statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesCommonRuleSet' } },
          // Counted, so that the rules below answer what it finds with Convene's page instead of WAF's 403.
          overrideAction: { count: {} },
          visibilityConfig: visibility('AWSManagedRulesCommonRuleSet'),
        },
        ...refusalRules('tooMany', { orStatement: { statements: [TOO_MANY_POSTS_LABEL, TOO_MANY_REQUESTS_LABEL].map((key) => ({ labelMatchStatement: { scope: 'LABEL', key } })) } }, 10),
        ...refusalRules('blocked', { labelMatchStatement: { scope: 'NAMESPACE', key: COMMON_RULES_NAMESPACE } }, 30),
      ],
    });
  }
}
