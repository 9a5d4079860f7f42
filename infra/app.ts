import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { defineConvene } from './stack.ts';

const app = new App();
// The forum's stack and its us-east-1 edge stack, named after -c convene:stage (README, "Deploying").
defineConvene(app);
// Any unacknowledged finding of either pack (warning or error) fails synth.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
