// Printed once per test file: the suite must run on the Node major that Lambda runs (nodejs24.x).
if (!process.env.CONVENE_PRINTED_NODE) {
  process.env.CONVENE_PRINTED_NODE = '1';
  console.log(`[setup] tests run on Node ${process.version}`);
}
if (!process.version.startsWith('v24.')) throw new Error(`Tests must run on Node 24 (found ${process.version}); run them through npm.`);
