import { Construct } from 'constructs';
import { functions, schedules, type EnvNeed, type FunctionName, type FunctionSpec } from '../topology.ts';
import type { SettingName } from '../../functions/core/settings.ts';
import type { SharedResources } from './access.ts';
import { ConveneFunction } from './convene-function.ts';

/** `sendRegistrationMail` -> `SendRegistrationMail`: construct ids that keep logical ids readable. */
export const pascalCase = (name: string): string =>
  name.replace(/(^|[-_\s]+)(\w)/g, (_, __, letter: string) => letter.toUpperCase()).replace(/^\w/, (c) => c.toUpperCase());

/**
 * One ConveneFunction per entry of `topology.functions`, created once; the capability constructs look
 * functions up here by name to wire routes, rules, streams and schedules to them.
 */
export class ConveneFunctions extends Construct {
  private readonly byName = new Map<FunctionName, ConveneFunction>();

  constructor(
    scope: Construct,
    id: string,
    props: { environment: Readonly<Record<EnvNeed, string>>; settings: Readonly<Record<SettingName, string>>; resources: SharedResources; metricsNamespace: string },
  ) {
    super(scope, id);
    // Scheduler invokes its targets asynchronously; event rules reach theirs through a queue (EventQueues).
    const asyncTargets = new Set<FunctionName>(schedules.map((s) => s.target));
    for (const [name, spec] of Object.entries(functions) as Array<[FunctionName, FunctionSpec]>) {
      this.byName.set(
        name,
        new ConveneFunction(this, pascalCase(name), {
          name,
          spec,
          environment: props.environment,
          settings: props.settings,
          metricsNamespace: props.metricsNamespace,
          resources: props.resources,
          invokedAsynchronously: asyncTargets.has(name),
        }),
      );
    }
  }

  get(name: FunctionName): ConveneFunction {
    const fn = this.byName.get(name);
    if (!fn) throw new Error(`No function ${name} in topology.functions`);
    return fn;
  }

  get all(): ConveneFunction[] {
    return [...this.byName.values()];
  }
}
