import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConveneStack, readConveneSettings } from './stack.ts';

const app = new App();
new ConveneStack(app, 'Convene', {
  ...readConveneSettings(app.node),
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
// Any unacknowledged AwsSolutions finding (warning or error) fails synth.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
