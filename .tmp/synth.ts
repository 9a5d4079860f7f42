import { App } from 'aws-cdk-lib';
import { BUNDLING_STACKS } from 'aws-cdk-lib/cx-api';
import { defineConvene } from '/work/main/infra/stack.ts';
import { cdkContext } from '/work/main/test/cdk/context.ts';
const extra = JSON.parse(process.argv[2] ?? '{}');
const app = new App({ context: { ...cdkContext, ...extra, [BUNDLING_STACKS]: [] }, outdir: '/tmp/cdkout' });
defineConvene(app);
const asm = app.synth();
for (const s of asm.stacks) console.log(s.stackName, s.environment.name, Object.keys(s.template.Resources).length);
