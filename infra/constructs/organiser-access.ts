import { arnHere } from './arns.ts';
import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { routes, type RouteSpec } from '../topology.ts';

/** The organisers' routes: every topology route with auth 'iam' (all under `/admin/`). */
export const organiserRoutes: readonly RouteSpec[] = routes.filter((route) => route.auth === 'iam');

/**
 * A route as the last part of its execute-api ARN: method and path, each path parameter (`{sessionId}`)
 * as `*`, which IAM matches like the parameter (`POST /admin/sessions/{sessionId}/cancel` gives
 * `POST/admin/sessions/` + `*` + `/cancel`).
 */
export const invokeResource = (route: RouteSpec): string => `${route.method}${route.path.replace(/\{[^}/]+\}/g, '*')}`;

/**
 * What organisers may do, as IAM: a customer-managed policy allowing `execute-api:Invoke` on exactly the
 * HTTP API's organiser routes (any stage; the API has one, `$default`), and, when principals are given
 * (`-c convene:organiserPrincipalArns=…`), a role those principals may assume with that policy attached.
 * The routes themselves stay IAM-authorised (SigV4): this grants, it never opens.
 */
export class OrganiserAccess extends Construct {
  readonly policy: iam.ManagedPolicy;
  readonly role?: iam.Role;

  constructor(scope: Construct, id: string, props: { api: apigwv2.IHttpApi; principalArns: readonly string[] }) {
    super(scope, id);
    const stack = Stack.of(this);
    const outside = organiserRoutes.filter((route) => !route.path.startsWith('/admin/'));
    if (outside.length > 0) throw new Error(`topology: routes with auth 'iam' must be under /admin/: ${outside.map((r) => `${r.method} ${r.path}`).join(', ')}`);

    const resources = organiserRoutes.map((route) =>
      arnHere(this, { service: 'execute-api', resource: props.api.apiId, arnFormat: ArnFormat.SLASH_RESOURCE_NAME, resourceName: `*/${invokeResource(route)}` }),
    );
    this.policy = new iam.ManagedPolicy(this, 'InvokeAdminRoutes', {
      description: 'Convene organisers: execute-api:Invoke on the admin routes of the Convene HTTP API (topology auth iam), nothing else',
      statements: [new iam.PolicyStatement({ effect: iam.Effect.ALLOW, actions: ['execute-api:Invoke'], resources })],
    });
    for (const [index, arn] of resources.entries()) {
      const route = organiserRoutes[index]!;
      Validations.of(this.policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${flatten(stack.resolve(arn))}]`,
        reason: `Invoke of ${route.method} ${route.path} only: the first "*" is the stage (the API has only $default), ${route.path.includes('{') ? 'the others stand for the route\'s path parameters, which IAM cannot name' : 'the path has no parameter'}.`,
      });
    }

    if (props.principalArns.length > 0) {
      this.role = new iam.Role(this, 'OrganiserRole', {
        description: 'Convene organisers: assumed by the principals of convene:organiserPrincipalArns to call the admin API (SigV4)',
        assumedBy: new iam.CompositePrincipal(...props.principalArns.map((arn) => new iam.ArnPrincipal(arn))),
        managedPolicies: [this.policy],
        maxSessionDuration: Duration.hours(1),
      });
    }
  }
}

/** A resolved CloudFormation value as cdk-nag names it in a finding (`{ Ref: X }` -> `<X>`). */
function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const node = value as Record<string, unknown>;
    if ('Fn::Join' in node) {
      const [delimiter, parts] = node['Fn::Join'] as [string, unknown[]];
      return parts.map(flatten).join(delimiter);
    }
    if ('Ref' in node) return `<${String(node.Ref)}>`;
    if ('Fn::GetAtt' in node) {
      const [resource, attribute] = node['Fn::GetAtt'] as [string, string];
      return `<${resource}.${attribute}>`;
    }
  }
  return JSON.stringify(value);
}
