import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { BUNDLING_STACKS } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { afterEach, describe, expect, it } from 'vitest';
import { EDGE_PAGE_MAX_BYTES } from '../../functions/core/pages/edge-pages.ts';
import { languages } from '../../functions/core/model.ts';
import { FRONT_DOOR_HEADER } from '../../functions/core/http/front-door.ts';
import { POSTS_PER_IP, REQUESTS_PER_IP } from '../../infra/constructs/edge-firewall.ts';
import { httpFunctionNames } from '../../infra/constructs/safe-deploys.ts';
import { defineConvene, readConveneSettings } from '../../infra/stack.ts';
import { functions, routes, routeThrottle, schedules } from '../../infra/topology.ts';
import { cdkContext, PLACEHOLDER_ENV } from './context.ts';

/**
 * Deployable to a real account, more than once: stages, the environment from context, the front door
 * and its firewall, the sending domain, the aliases and their gradual deploys. Cheap synths (no bundling).
 */
type Resource = { Type: string; Properties: Record<string, any>; UpdatePolicy?: Record<string, any> };
type Synth = { app: App; main: Record<string, Resource>; edge: Record<string, Resource>; mainJson: string; edgeJson: string };

const DOMAIN = { 'convene:domainName': 'forum.example.org', 'convene:hostedZoneId': 'Z0123456789ABCDEFGHIJ', 'convene:senderAddress': 'forum@forum.example.org' };

function synth(context: Record<string, unknown> = {}): Synth {
  const app = new App({ context: { ...cdkContext, ...context, [BUNDLING_STACKS]: [] } });
  const { stack, edge } = defineConvene(app);
  const main = Template.fromStack(stack).toJSON();
  const edgeTemplate = Template.fromStack(edge).toJSON();
  return { app, main: main.Resources, edge: edgeTemplate.Resources, mainJson: JSON.stringify(main), edgeJson: JSON.stringify(edgeTemplate) };
}

const ofType = (resources: Record<string, Resource>, type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const only = (resources: Record<string, Resource>, type: string): [string, Resource] => {
  const found = ofType(resources, type);
  expect(found, type).toHaveLength(1);
  return found[0]!;
};

/** Every physical name a template sets: two stages in one account must not share one. */
const PHYSICAL_NAMES: Record<string, string[]> = {
  'AWS::Events::EventBus': ['Name'],
  'AWS::Events::Archive': ['ArchiveName'],
  'AWS::SES::ConfigurationSet': ['Name'],
  'AWS::Scheduler::Schedule': ['Name'],
  'AWS::CloudWatch::Dashboard': ['DashboardName'],
  'AWS::ApiGatewayV2::Api': ['Name'],
  'AWS::WAFv2::WebACL': ['Name'],
  'AWS::CloudFront::CachePolicy': ['CachePolicyConfig.Name'],
  // An SES identity exists once per account and region: each stage sends from its own address or domain.
  'AWS::SES::EmailIdentity': ['EmailIdentity'],
};
function physicalNames(s: Synth): string[] {
  return [s.main, s.edge].flatMap((resources) =>
    Object.values(resources).flatMap((r) =>
      (PHYSICAL_NAMES[r.Type] ?? []).map((path) => {
        const value = path.split('.').reduce<any>((v, key) => v?.[key], r.Properties);
        expect(typeof value, `${r.Type} ${path}`).toBe('string');
        return `${r.Type}:${value as string}`;
      }),
    ),
  );
}

const savedEnv = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
afterEach(() => {
  for (const [key, value] of [['CDK_DEFAULT_ACCOUNT', savedEnv.account], ['CDK_DEFAULT_REGION', savedEnv.region]] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

describe('stages', () => {
  it('synthesizes dev and prod into one account without a single shared physical name, stack name included', () => {
    const dev = synth();
    const prod = synth({ 'convene:stage': 'prod', 'convene:senderAddress': 'forum-prod@example.org' });
    const devNames = physicalNames(dev);
    const prodNames = physicalNames(prod);
    expect(devNames.length).toBeGreaterThanOrEqual(1 + 1 + 1 + schedules.length + 1 + 1 + 1 + 1);
    expect(devNames.filter((name) => prodNames.includes(name))).toEqual([]);
    const stackNames = (s: Synth) => s.app.synth().stacks.map((stack) => stack.stackName);
    expect(stackNames(dev).sort()).toEqual(['Convene-dev', 'Convene-dev-edge']);
    expect(stackNames(prod).sort()).toEqual(['Convene-prod', 'Convene-prod-edge']);
  });

  it('forwards from the default bus only the SES events of its own configuration set', () => {
    for (const stage of ['dev', 'prod']) {
      const s = synth({ 'convene:stage': stage });
      const [, configurationSet] = only(s.main, 'AWS::SES::ConfigurationSet');
      const forwards = ofType(s.main, 'AWS::Events::Rule').filter(([, r]) => r.Properties.EventBusName === undefined);
      expect(forwards).toHaveLength(1);
      expect(forwards[0]![1].Properties.EventPattern).toEqual({ source: ['aws.ses'], detail: { mail: { tags: { 'ses:configuration-set': [configurationSet.Properties.Name] } } } });
      expect(configurationSet.Properties.Name).toBe(`convene-${stage}`);
    }
  });

  it('refuses a stage name that cannot be part of every physical name', () => {
    expect(() => readConveneSettings(new App({ context: { ...cdkContext, 'convene:stage': 'Prod_2' } }).node)).toThrow(/convene:stage/);
  });
});

describe('environment', () => {
  it.each(['account', 'region'])('fails synth naming convene:%s when the context does not give it, whatever the machine has', (key) => {
    process.env.CDK_DEFAULT_ACCOUNT = '999999999999';
    process.env.CDK_DEFAULT_REGION = 'us-west-2';
    const context = { ...cdkContext };
    delete context[`convene:${key}`];
    expect(() => defineConvene(new App({ context: { ...context, [BUNDLING_STACKS]: [] } }))).toThrow(new RegExp(`convene:${key}: missing: deploy with -c convene:${key}=`));
  });

  it('deploys to the context\'s account and region, never to the machine\'s, which no template names', () => {
    process.env.CDK_DEFAULT_ACCOUNT = '999999999999';
    process.env.CDK_DEFAULT_REGION = 'us-west-2';
    const s = synth();
    const environments = Object.fromEntries(s.app.synth().stacks.map((stack) => [stack.stackName, stack.environment.name]));
    expect(environments).toEqual({ 'Convene-dev': `aws://${PLACEHOLDER_ENV['convene:account']}/${PLACEHOLDER_ENV['convene:region']}`, 'Convene-dev-edge': `aws://${PLACEHOLDER_ENV['convene:account']}/us-east-1` });
    for (const json of [s.mainJson, s.edgeJson]) {
      expect(json).not.toContain('999999999999');
      expect(json).not.toContain('us-west-2');
    }
  });

  it('writes the ARNs Convene builds itself with the deploying region and account, not literals', () => {
    const s = synth();
    // The scheduler's source condition, the alarm topic's, the organisers' execute-api ARNs, the configuration set's.
    const [, role] = ofType(s.main, 'AWS::IAM::Role').find(([, r]) => JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('scheduler.amazonaws.com'))!;
    const condition = JSON.stringify(role.Properties.AssumeRolePolicyDocument.Statement[0].Condition);
    expect(condition).toContain('"Ref":"AWS::Region"');
    expect(condition).toContain('"Ref":"AWS::AccountId"');
    expect(condition).not.toContain(PLACEHOLDER_ENV['convene:region']);
  });
});

describe('the front door', () => {
  it('puts CloudFront before the API, behind the edge\'s web ACL, and points every mailed link at it', () => {
    const s = synth();
    const [distributionId, distribution] = only(s.main, 'AWS::CloudFront::Distribution');
    const config = distribution.Properties.DistributionConfig;
    expect(config.WebACLId).toEqual({ 'Fn::GetStackOutput': expect.objectContaining({ StackName: 'Convene-dev-edge', Region: 'us-east-1' }) });
    const [apiId] = only(s.main, 'AWS::ApiGatewayV2::Api');
    expect(JSON.stringify(config.Origins[0].DomainName)).toContain(JSON.stringify({ Ref: apiId }));
    expect(JSON.stringify(config.Origins[0].DomainName)).toContain('"Ref":"AWS::Region"');
    expect(config.Origins[0].CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    const publicUrl = { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }]] };
    for (const [, fn] of ofType(s.main, 'AWS::Lambda::Function')) {
      if ('PUBLIC_URL' in fn.Properties.Environment.Variables) expect(fn.Properties.Environment.Variables.PUBLIC_URL).toEqual(publicUrl);
    }
    expect(Object.values(functions).filter((spec) => (spec.env as readonly string[]).includes('PUBLIC_URL')).length).toBeGreaterThan(0);
  });

  it('sends the public functions a secret header only the front door knows, so the API\'s own endpoint cannot serve them past the web ACL', () => {
    const s = synth();
    const [, distribution] = only(s.main, 'AWS::CloudFront::Distribution');
    const headers = distribution.Properties.DistributionConfig.Origins[0].OriginCustomHeaders as Array<{ HeaderName: string; HeaderValue: unknown }>;
    const header = headers.find((h) => h.HeaderName === FRONT_DOOR_HEADER)!;
    // A deploy-time reference to the origin secret, never a literal in the template.
    const [secretId] = ofType(s.main, 'AWS::SecretsManager::Secret').find(([, r]) => String(r.Properties.Description).includes(FRONT_DOOR_HEADER))!;
    expect(JSON.stringify(header.HeaderValue)).toContain('{{resolve:secretsmanager:');
    expect(JSON.stringify(header.HeaderValue)).toContain(secretId);
    const publicFunctions = new Set(routes.filter((r) => r.auth === 'none').map((r) => r.function));
    for (const [name, spec] of Object.entries(functions)) {
      const [, fn] = ofType(s.main, 'AWS::Lambda::Function').find(([, f]) => f.Properties.Description === spec.description)!;
      if (publicFunctions.has(name as keyof typeof functions)) expect(fn.Properties.Environment.Variables.ORIGIN_SECRET, name).toEqual(header.HeaderValue);
      else expect(fn.Properties.Environment.Variables.ORIGIN_SECRET, name).toBeUndefined();
    }
  });

  it('caches only what the origin marks public, for seconds, per language, zone and query (GET / and GET /sessions say max-age=5)', () => {
    const s = synth();
    const [, policy] = only(s.main, 'AWS::CloudFront::CachePolicy');
    const config = policy.Properties.CachePolicyConfig;
    expect(config).toMatchObject({ DefaultTTL: 0, MinTTL: 0, MaxTTL: 10 });
    expect(config.ParametersInCacheKeyAndForwardedToOrigin.QueryStringsConfig.QueryStringBehavior).toBe('all');
    expect(config.ParametersInCacheKeyAndForwardedToOrigin.HeadersConfig.Headers.sort()).toEqual(['Accept', 'Accept-Language']);
    expect(config.ParametersInCacheKeyAndForwardedToOrigin.CookiesConfig.CookieBehavior).toBe('none');
  });

  it('throttles every route on its own, the form for an opening hour, the organisers least', () => {
    const s = synth();
    const [, stage] = only(s.main, 'AWS::ApiGatewayV2::Stage');
    const settings = stage.Properties.RouteSettings as Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }>;
    expect(Object.keys(settings).sort()).toEqual([...routes.map((r) => `${r.method} ${r.path}`), '$default'].sort());
    for (const route of routes) {
      expect(settings[`${route.method} ${route.path}`]).toEqual({ ThrottlingRateLimit: routeThrottle(route).rateLimit, ThrottlingBurstLimit: routeThrottle(route).burstLimit });
    }
    expect(settings['POST /registrations']!.ThrottlingRateLimit).toBeGreaterThanOrEqual(500);
    expect(settings['GET /admin/sessions']!.ThrottlingRateLimit).toBeLessThan(settings['POST /registrations']!.ThrottlingRateLimit);
  });

  it('limits public POSTs per IP and applies AWS\'s common rule set at the edge, answering with Convene\'s pages in six languages and JSON to API clients', () => {
    const s = synth();
    const [, acl] = only(s.edge, 'AWS::WAFv2::WebACL');
    expect(acl.Properties.Scope).toBe('CLOUDFRONT');
    const rules = acl.Properties.Rules as Array<Record<string, any>>;
    const rule = (name: string) => rules.find((r) => r.Name === name)!;
    const posts = rule('CountPublicPosts').Statement.RateBasedStatement;
    expect(posts).toMatchObject({ Limit: POSTS_PER_IP.limit, EvaluationWindowSec: POSTS_PER_IP.evaluationWindowSec, AggregateKeyType: 'IP' });
    const [isPost, notUnsubscribe] = posts.ScopeDownStatement.AndStatement.Statements;
    expect(isPost.ByteMatchStatement).toMatchObject({ FieldToMatch: { Method: {} }, SearchString: 'POST' });
    // One-click unsubscribes come in bursts from the mail providers' few servers: never counted.
    expect(notUnsubscribe.NotStatement.Statement.ByteMatchStatement).toMatchObject({ FieldToMatch: { UriPath: {} }, SearchString: '/unsubscribe', PositionalConstraint: 'STARTS_WITH' });
    // Every request counts too, cached or not (a query string of its own misses the cache).
    expect(rule('CountAllRequests').Statement.RateBasedStatement).toEqual({ Limit: REQUESTS_PER_IP.limit, EvaluationWindowSec: REQUESTS_PER_IP.evaluationWindowSec, AggregateKeyType: 'IP' });
    // `?lang=en` wins over a French browser, as on the site: every query rule comes before every browser rule.
    const priority = (name: string) => rule(name).Priority as number;
    expect(priority('TooManyPostsQueryEN')).toBeLessThan(priority('TooManyPostsBrowserFR'));
    expect(rules.some((r) => r.Statement.ManagedRuleGroupStatement?.Name === 'AWSManagedRulesCommonRuleSet')).toBe(true);
    const bodies = acl.Properties.CustomResponseBodies as Record<string, { ContentType: string; Content: string }>;
    for (const kind of ['tooMany', 'blocked']) {
      expect(JSON.parse(bodies[`${kind}-json`]!.Content).error.code).toMatch(/^[a-z_]+$/);
      for (const lang of languages) {
        const page = bodies[`${kind}-${lang}`]!;
        expect(page.ContentType).toBe('TEXT_HTML');
        expect(page.Content).toContain(`<html lang="${lang}" dir="${lang === 'ar' ? 'rtl' : 'ltr'}">`);
        expect(Buffer.byteLength(page.Content)).toBeLessThanOrEqual(EDGE_PAGE_MAX_BYTES);
      }
    }
    // Every blocking rule answers with one of those bodies, a 429 for the rate and a 403 for the rule set.
    const blocks = rules.filter((r) => r.Action?.Block);
    expect(blocks.length).toBe(2 * (1 + languages.length + (languages.length - 1) + 1));
    for (const block of blocks) expect(bodies[block.Action.Block.CustomResponse.CustomResponseBodyKey], block.Name).toBeDefined();
    expect(new Set(blocks.map((b) => b.Action.Block.CustomResponse.ResponseCode))).toEqual(new Set([429, 403]));
  });

  it('with a domain: the certificate in us-east-1 validated in the zone, the distribution under the domain at TLS 1.2, A and AAAA records, links on the domain', () => {
    const s = synth(DOMAIN);
    const [, certificate] = only(s.edge, 'AWS::CertificateManager::Certificate');
    expect(certificate.Properties).toMatchObject({ DomainName: 'forum.example.org', ValidationMethod: 'DNS', DomainValidationOptions: [{ DomainName: 'forum.example.org', HostedZoneId: 'Z0123456789ABCDEFGHIJ' }] });
    const [, distribution] = only(s.main, 'AWS::CloudFront::Distribution');
    const config = distribution.Properties.DistributionConfig;
    expect(config.Aliases).toEqual(['forum.example.org']);
    expect(config.ViewerCertificate).toMatchObject({ SslSupportMethod: 'sni-only', MinimumProtocolVersion: 'TLSv1.2_2021' });
    const records = ofType(s.main, 'AWS::Route53::RecordSet').filter(([, r]) => r.Properties.Name === 'forum.example.org.');
    expect(records.map(([, r]) => r.Properties.Type).sort()).toEqual(['A', 'AAAA']);
    for (const [, fn] of ofType(s.main, 'AWS::Lambda::Function')) {
      if ('PUBLIC_URL' in fn.Properties.Environment.Variables) expect(fn.Properties.Environment.Variables.PUBLIC_URL).toBe('https://forum.example.org');
    }
  });
});

describe('mail that passes DMARC', () => {
  it('with a domain: a domain identity with 2048-bit Easy DKIM and a bounce.<domain> MAIL FROM, its records in the zone and as outputs', () => {
    const s = synth(DOMAIN);
    const [, identity] = only(s.main, 'AWS::SES::EmailIdentity');
    expect(identity.Properties).toMatchObject({
      EmailIdentity: 'forum.example.org',
      DkimAttributes: { SigningEnabled: true },
      DkimSigningAttributes: { NextSigningKeyLength: 'RSA_2048_BIT' },
      MailFromAttributes: { MailFromDomain: 'bounce.forum.example.org', BehaviorOnMxFailure: 'USE_DEFAULT_VALUE' },
    });
    const records = ofType(s.main, 'AWS::Route53::RecordSet').map(([, r]) => r.Properties);
    expect(records.filter((r) => r.Type === 'CNAME')).toHaveLength(3);
    expect(records.find((r) => r.Type === 'MX')?.Name).toBe('bounce.forum.example.org.');
    expect(records.find((r) => r.Type === 'TXT')?.ResourceRecords).toEqual(['"v=spf1 include:amazonses.com ~all"']);
    const outputs = Object.keys(JSON.parse(s.mainJson).Outputs as object);
    expect(outputs.filter((name) => name.includes('DkimRecord'))).toHaveLength(3);
    // Sending stays confined to the sender address, now through the domain identity.
    const sends = ofType(s.main, 'AWS::IAM::Policy').flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Array<Record<string, any>>).filter((st) => JSON.stringify(st.Action).includes('ses:SendEmail'));
    expect(sends.length).toBeGreaterThan(0);
    for (const send of sends) expect(send.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'forum@forum.example.org' } });
  });

  it('refuses a sender outside the domain (its mail could not align), and a domain without its zone', () => {
    expect(() => readConveneSettings(new App({ context: { ...cdkContext, ...DOMAIN, 'convene:senderAddress': 'forum@other.example.net' } }).node)).toThrow(/convene:senderAddress: must be an address of forum\.example\.org/);
    expect(() => readConveneSettings(new App({ context: { ...cdkContext, 'convene:domainName': 'forum.example.org' } }).node)).toThrow(/convene:hostedZoneId/);
  });

  it('without a domain: the sender address alone, an email identity', () => {
    const [, identity] = only(synth().main, 'AWS::SES::EmailIdentity');
    expect(identity.Properties.EmailIdentity).toBe(cdkContext['convene:senderAddress']);
  });
});

describe('safe deploys', () => {
  it('shifts each HTTP function\'s live alias by CodeDeploy, a tenth for five minutes, rolled back on the new version\'s errors', () => {
    const s = synth();
    const groups = ofType(s.main, 'AWS::CodeDeploy::DeploymentGroup');
    expect(groups).toHaveLength(httpFunctionNames().length);
    for (const [, group] of groups) {
      expect(group.Properties.DeploymentConfigName).toBe('CodeDeployDefault.LambdaCanary10Percent5Minutes');
      expect(group.Properties.AutoRollbackConfiguration).toEqual({ Enabled: true, Events: expect.arrayContaining(['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM']) });
      expect(group.Properties.AlarmConfiguration.Alarms).toHaveLength(2);
    }
    // The new version's own errors (ExecutedVersion: the version the deploy published), and the API's 5xx share.
    const alarms = Object.fromEntries(ofType(s.main, 'AWS::CloudWatch::Alarm'));
    for (const [, group] of groups) {
      const [own, rate] = (group.Properties.AlarmConfiguration.Alarms as Array<{ Name: { Ref: string } }>).map((a) => alarms[a.Name.Ref]!.Properties);
      expect(own!.Dimensions.map((d: { Name: string }) => d.Name).sort()).toEqual(['ExecutedVersion', 'FunctionName', 'Resource']);
      expect(JSON.stringify(own!.Dimensions.find((d: { Name: string }) => d.Name === 'ExecutedVersion').Value)).toContain('Version');
      expect(rate!.Metrics.find((m: { Expression?: string }) => m.Expression)?.Expression).toBe('IF(requests >= 20, 100 * errors / requests, 0)');
    }
    const aliases = ofType(s.main, 'AWS::Lambda::Alias');
    expect(aliases).toHaveLength(Object.keys(functions).length);
    const gradual = aliases.filter(([, a]) => a.UpdatePolicy?.CodeDeployLambdaAliasUpdate);
    expect(gradual).toHaveLength(httpFunctionNames().length);
  });
});

describe('checks', () => {
  it.each([
    ['without a domain', {}],
    ['with a domain', DOMAIN],
    ['as a second stage', { 'convene:stage': 'prod' }],
  ])('leaves no unacknowledged AwsSolutions or Serverless finding %s, in either stack', (_, context) => {
    const { app } = synth(context);
    for (const pack of [new AwsSolutionsChecks(), new ServerlessChecks()]) {
      const findings = pack.validateScope(app).violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
      expect(findings).toEqual([]);
    }
  });
});
