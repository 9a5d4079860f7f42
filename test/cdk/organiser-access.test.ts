import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { BUNDLING_STACKS } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { organiserRoutes } from '../../infra/constructs/organiser-access.ts';
import { defineConvene, readConveneSettings, type ConveneStack } from '../../infra/stack.ts';
import { cdkContext } from './context.ts';
import { routes, type RouteSpec } from '../../infra/topology.ts';

/**
 * Organiser access: a customer-managed policy allowing execute-api:Invoke on exactly the admin routes, and
 * a role organisers assume only when `convene:organiserPrincipalArns` names who. Two cheap synths (no
 * bundling): the cdk.json context as it is, and with two principals.
 */
const principals = ['arn:aws:iam::123456789012:root', 'arn:aws:iam::210987654321:role/ForumOrganisers'];

type Resource = { Type: string; Properties: Record<string, any> };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Principal?: unknown; Condition?: unknown };
type Synth = { app: App; stack: ConveneStack; resources: Record<string, Resource>; outputs: Record<string, { Value: unknown }> };

function synth(context: Record<string, unknown>): Synth {
  const app = new App({ context: { ...cdkContext, ...context, [BUNDLING_STACKS]: [] } });
  const stack = defineConvene(app).stack;
  const json = Template.fromStack(stack).toJSON();
  return { app, stack, resources: json.Resources, outputs: json.Outputs };
}

const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
const ofType = (s: Synth, type: string) => Object.entries(s.resources).filter(([, r]) => r.Type === type);
/** A CloudFormation value as one string, references as `<LogicalId>` (as cdk-nag names them). */
const flatten = (value: unknown): string => {
  if (typeof value === 'string') return value;
  const node = value as Record<string, any>;
  if (node['Fn::Join']) return (node['Fn::Join'][1] as unknown[]).map(flatten).join(node['Fn::Join'][0]);
  if (node.Ref) return `<${node.Ref}>`;
  if (node['Fn::GetAtt']) return `<${node['Fn::GetAtt'].join('.')}>`;
  return JSON.stringify(value);
};
/** An IAM resource pattern as a regular expression (`*` any characters, `?` one). */
const iamPattern = (arn: string) => new RegExp(`^${arn.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);

let plain: Synth;
let withRole: Synth;

beforeAll(() => {
  plain = synth({});
  withRole = synth({ 'convene:organiserPrincipalArns': principals.join(',') });
});

function organiserPolicy(s: Synth): [string, Resource] {
  const found = ofType(s, 'AWS::IAM::ManagedPolicy').filter(([id]) => id.startsWith('OrganiserAccess'));
  expect(found).toHaveLength(1);
  return found[0]!;
}
const statementsOf = (policy: Resource) => policy.Properties.PolicyDocument.Statement as Statement[];
const apiArnPrefix = (s: Synth) => {
  const [api] = ofType(s, 'AWS::ApiGatewayV2::Api');
  return `arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<${api![0]}>`;
};
/** The ARN API Gateway checks for a call of `route` on the $default stage, with path parameters filled in. */
const requestArn = (s: Synth, route: RouteSpec) => `${apiArnPrefix(s)}/$default/${route.method}${route.path.replace(/\{[^}]+\}/g, 'p-1')}`;

describe('the organiser policy', () => {
  it('allows only execute-api:Invoke, on exactly one ARN per admin route of this API', () => {
    const statements = statementsOf(organiserPolicy(plain)[1]);
    expect(statements.every((s) => s.Effect === 'Allow' && s.Condition === undefined && s.Principal === undefined)).toBe(true);
    expect([...new Set(statements.flatMap((s) => asArray(s.Action)))]).toEqual(['execute-api:Invoke']);
    const arns = statements.flatMap((s) => asArray(s.Resource)).map(flatten);
    const expected = routes
      .filter((route) => route.auth === 'iam')
      .map((route) => `${apiArnPrefix(plain)}/*/${route.method}${route.path.replace(/\{[^}]+\}/g, '*')}`);
    expect(arns.sort()).toEqual(expected.sort());
    expect(organiserRoutes.length).toBeGreaterThan(0);
    for (const route of organiserRoutes) expect(route.path).toMatch(/^\/admin\//);
  });

  it.each(routes.filter((route) => route.auth === 'iam'))('lets organisers call $method $path', (route) => {
    const arns = statementsOf(organiserPolicy(plain)[1]).flatMap((s) => asArray(s.Resource)).map(flatten);
    expect(arns.some((arn) => iamPattern(arn).test(requestArn(plain, route)))).toBe(true);
  });

  it.each(routes.filter((route) => route.auth === 'none'))('names no public route: not $method $path', (route) => {
    const arns = statementsOf(organiserPolicy(plain)[1]).flatMap((s) => asArray(s.Resource)).map(flatten);
    expect(arns.filter((arn) => iamPattern(arn).test(requestArn(plain, route)))).toEqual([]);
  });

  it('is the only grant of execute-api in the stack, attached by the stack to nothing when no principals are given', () => {
    const invokeGrants = [...ofType(plain, 'AWS::IAM::Policy'), ...ofType(plain, 'AWS::IAM::ManagedPolicy')].filter(([, p]) =>
      statementsOf(p).some((s) => asArray(s.Action).some((a) => a.startsWith('execute-api:'))),
    );
    expect(invokeGrants.map(([id]) => id)).toEqual([organiserPolicy(plain)[0]]);
    const { Properties: policy } = organiserPolicy(plain)[1];
    expect(policy.Roles ?? policy.Users ?? policy.Groups).toBeUndefined();
    const trustingAccounts = ofType(plain, 'AWS::IAM::Role').filter(([, r]) => JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('"AWS"'));
    expect(trustingAccounts).toEqual([]);
  });

  it('is output as OrganiserPolicyArn; no OrganiserRoleArn without principals', () => {
    expect(plain.outputs.OrganiserPolicyArn!.Value).toEqual({ Ref: organiserPolicy(plain)[0] });
    expect(plain.outputs.OrganiserRoleArn).toBeUndefined();
  });
});

describe('the organiser role', () => {
  it('exists only when principals are given, trusts exactly them and carries only the organiser policy', () => {
    const roles = ofType(withRole, 'AWS::IAM::Role').filter(([id]) => id.startsWith('OrganiserAccess'));
    expect(roles).toHaveLength(1);
    const [roleId, { Properties: role }] = roles[0]!;
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: principals } }]);
    expect(role.ManagedPolicyArns).toEqual([{ Ref: organiserPolicy(withRole)[0] }]);
    expect(role.Policies).toBeUndefined();
    const inline = ofType(withRole, 'AWS::IAM::Policy').filter(([, p]) => JSON.stringify(p.Properties.Roles ?? []).includes(roleId));
    expect(inline).toEqual([]);
    expect(withRole.outputs.OrganiserRoleArn!.Value).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
    expect(ofType(plain, 'AWS::IAM::Role').filter(([id]) => id.startsWith('OrganiserAccess'))).toEqual([]);
  });

  it('takes the principals as a comma-separated string or a cdk.json list', () => {
    const read = (value: unknown) => readConveneSettings(new App({ context: { ...cdkContext, 'convene:organiserPrincipalArns': value } }).node).organiserPrincipalArns;
    expect(read(` ${principals[0]} ,${principals[1]}`)).toEqual(principals);
    expect(read(principals)).toEqual(principals);
    expect(read('')).toEqual([]);
    expect(readConveneSettings(new App({ context: cdkContext }).node).organiserPrincipalArns).toEqual([]);
  });

  it.each(['*', 'arn:aws:iam::*:root', '123456789012', 'arn:aws:iam::12345:root', 'arn:aws:sts::123456789012:assumed-role/x/y', `${principals[0]},*`])(
    'refuses %s as a principal, naming the context key',
    (value) => {
      const app = new App({ context: { ...cdkContext, 'convene:organiserPrincipalArns': value } });
      expect(() => readConveneSettings(app.node)).toThrow(/convene:organiserPrincipalArns/);
    },
  );
});

describe('checks', () => {
  it('leaves no unacknowledged cdk-nag AwsSolutions finding on the organiser policy and role', () => {
    const report = new AwsSolutionsChecks().validateScope(withRole.app);
    const findings = report.violations.flatMap((v) =>
      v.violatingResources.filter((r) => r.constructPath?.includes('/OrganiserAccess/')).map((r) => `${v.ruleName} at ${r.constructPath}`),
    );
    expect(findings).toEqual([]);
  });

  it('acknowledges only the wildcard of each route ARN, on the policy itself', () => {
    const access = withRole.stack.node.findChild('OrganiserAccess');
    const acknowledged = (construct: { node: { metadata: Array<{ type: string; data: unknown }> } }) =>
      construct.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY).flatMap((m) => Object.keys(m.data as object));
    expect(acknowledged(access)).toEqual([]);
    const policy = access.node.findChild('InvokeAdminRoutes');
    const ids = acknowledged(policy).map((id) => id.replace(/^annotation::/i, ''));
    expect(ids.sort()).toEqual(statementsOf(organiserPolicy(withRole)[1]).flatMap((s) => asArray(s.Resource)).map((r) => `AwsSolutions-IAM5[Resource::${flatten(r)}]`).sort());
    expect(acknowledged(access.node.findChild('OrganiserRole'))).toEqual([]);
  });
});
