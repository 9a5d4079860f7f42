import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build, type Metafile } from 'esbuild';
import { functionSpecs, type Access, type FunctionName } from '../../infra/topology.ts';
import { handlerEnv, repoRoot, resultsDir } from './support/config.ts';
import { describeShares, packageOf, profileByPackage } from './support/cpu-profile.ts';
import { result, type BenchmarkResult, type Figures } from './support/result.ts';
import { median, round, summarize } from './support/stats.ts';

const run = promisify(execFile);

/**
 * The banner of infra/constructs/convene-function.ts (REQUIRE_BANNER, not exported): ESM bundles have no
 * `require`, and the alias keeps it from colliding with names esbuild emits.
 */
const REQUIRE_BANNER = "import { createRequire as __conveneCreateRequire } from 'node:module'; const require = __conveneCreateRequire(import.meta.url);";

export type ColdStartOptions = { runs: number; progress: (line: string) => void };

type Bundle = { file: string; map: string; bytes: number; metafile: Metafile };
type TopInput = { name: string; kb: number };

const outDir = path.join(resultsDir, 'cold-start');

/** Bundles an entry the way the CDK stack's NodejsFunction does (convene-function.ts `bundling`). */
async function bundle(entry: string, out: string): Promise<Bundle> {
  const built = await build({
    entryPoints: [entry],
    outfile: out,
    absWorkingDir: repoRoot,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    mainFields: ['module', 'main'],
    banner: { js: REQUIRE_BANNER },
    minify: true,
    // As CDK: source maps without sources; they also map a CPU profile of the bundle back to packages.
    sourcemap: true,
    sourcesContent: false,
    charset: 'utf8',
    // Bundle the AWS SDK too (CDK: externalModules: []).
    external: [],
    metafile: true,
    logLevel: 'warning',
  });
  return { file: out, map: `${out}.map`, bytes: statSync(out).size, metafile: built.metafile };
}

/** The inputs that weigh most in a bundle's output, node_modules grouped by package. */
export function largestInputs(metafile: Metafile, count = 3): TopInput[] {
  const totals = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = packageOf(path.resolve(repoRoot, input));
      totals.set(name, (totals.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, bytes]) => ({ name, kb: round(bytes / 1024, 1) }));
}

/** The SDK clients a function creates, from its `access` in the topology: the baseline creates only these. */
export function clientsFor(access: Access): string[] {
  const clients: string[] = [];
  if (access.table || access.idempotencyTable) clients.push('dynamodb');
  if (access.sendMail) clients.push('sesv2');
  if (access.bus) clients.push('eventbridge');
  if (access.tokenSecret) clients.push('secrets-manager');
  return clients;
}

const clientSource: Record<string, string> = {
  dynamodb:
    "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nimport { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';\nconst dynamo = new DynamoDBClient({});\nclients.push(DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }));",
  sesv2: "import { SESv2Client } from '@aws-sdk/client-sesv2';\nclients.push(new SESv2Client({}));",
  eventbridge: "import { EventBridgeClient } from '@aws-sdk/client-eventbridge';\nclients.push(new EventBridgeClient({}));",
  'secrets-manager': "import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';\nclients.push(new SecretsManagerClient({}));",
};

/** A baseline entry (plain .mjs, outside tsc's reach) that only creates the given clients at load. */
function baselineEntry(clients: readonly string[]): string {
  const dir = path.join(outDir, `baseline-${clients.join('+')}`);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'entry.mjs');
  const imports = clients.map((c) => clientSource[c]!.split('\n').filter((l) => l.startsWith('import')).join('\n')).join('\n');
  const body = clients.map((c) => clientSource[c]!.split('\n').filter((l) => !l.startsWith('import')).join('\n')).join('\n');
  writeFileSync(file, `${imports}\nconst clients = [];\n${body}\nexport const handler = async () => clients.length;\n`);
  return file;
}

/** The environment a bundle's module initialisation needs (config parsing), without tsx or other preloads. */
function loadEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...handlerEnv() };
  delete env.NODE_OPTIONS;
  return env;
}

/** Milliseconds to import a bundle in a fresh Node process, measured inside that process. */
async function loadTime(file: string, extraArgs: string[] = []): Promise<number> {
  const code = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); console.log(performance.now() - t);`;
  const { stdout } = await run(process.execPath, [...extraArgs, '--input-type=module', '-e', code], { env: loadEnv(), cwd: repoRoot });
  return Number(stdout.trim().split('\n').at(-1));
}

type FunctionFigures = {
  bundleKb: number;
  baselineKb: number;
  sizeRatio: number;
  loadMs: number;
  baselineLoadMs: number;
  loadRatio: number;
  loadRatioRuns: number[];
  clients: string;
  largestInputs: TopInput[];
};

/**
 * Cold start of every function in the topology: bundle size and the time to import the bundle in a fresh
 * Node process, each against a baseline bundle that only creates the same AWS SDK clients. Function and
 * baseline loads alternate, and each run's ratio is taken against the baseline load next to it.
 */
export async function coldStartBenchmark(options: ColdStartOptions): Promise<BenchmarkResult[]> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const names = Object.keys(functionSpecs) as FunctionName[];
  const baselines = new Map<string, Bundle>();
  const perFunction: Record<string, FunctionFigures> = {};
  const bundles = new Map<FunctionName, Bundle>();
  const baselineOf = new Map<FunctionName, Bundle>();

  const bundleStarted = performance.now();
  for (const name of names) {
    const spec = functionSpecs[name];
    bundles.set(name, await bundle(path.join(repoRoot, spec.entry), path.join(outDir, name, 'index.mjs')));
    const clients = clientsFor(spec.access);
    const key = clients.join('+');
    if (!baselines.has(key)) baselines.set(key, await bundle(baselineEntry(clients), path.join(outDir, `baseline-${key}`, 'index.mjs')));
    baselineOf.set(name, baselines.get(key)!);
  }
  options.progress(`cold start: bundled ${names.length} functions and ${baselines.size} baselines in ${((performance.now() - bundleStarted) / 1000).toFixed(1)} s`);

  const loadStarted = performance.now();
  for (const name of names) {
    const fn = bundles.get(name)!;
    const base = baselineOf.get(name)!;
    const fnLoads: number[] = [];
    const baseLoads: number[] = [];
    const ratios: number[] = [];
    for (let i = 0; i < options.runs; i++) {
      // Alternate which goes first, so a noisy moment hits both.
      const [a, b] = i % 2 === 0 ? [await loadTime(fn.file), await loadTime(base.file)] : [...[await loadTime(base.file), await loadTime(fn.file)].reverse()];
      fnLoads.push(a!);
      baseLoads.push(b!);
      ratios.push(a! / b!);
    }
    const spec = functionSpecs[name];
    perFunction[name] = {
      bundleKb: round(fn.bytes / 1024, 1),
      baselineKb: round(base.bytes / 1024, 1),
      sizeRatio: round(fn.bytes / base.bytes),
      loadMs: round(median(fnLoads), 1),
      baselineLoadMs: round(median(baseLoads), 1),
      loadRatio: round(median(ratios)),
      loadRatioRuns: ratios.map((r) => round(r)),
      clients: clientsFor(spec.access).join(', '),
      largestInputs: largestInputs(fn.metafile),
    };
    options.progress(
      `cold start ${name}: ${perFunction[name].bundleKb} KB (×${perFunction[name].sizeRatio}), load ${perFunction[name].loadMs} ms vs ${perFunction[name].baselineLoadMs} ms (×${perFunction[name].loadRatio})`,
    );
  }
  options.progress(`cold start: ${names.length * options.runs * 2} loads in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`);

  const worstBy = (key: 'sizeRatio' | 'loadRatio') => names.reduce((worst, name) => (perFunction[name]![key] > perFunction[worst]![key] ? name : worst), names[0]!);
  const worstSize = worstBy('sizeRatio');
  const worstLoad = worstBy('loadRatio');
  const functionsFigure = perFunction as unknown as Figures;
  const sizeFigures: Figures = {
    functions: names.length,
    worstSizeFunction: worstSize,
    worstSizeRatio: perFunction[worstSize]!.sizeRatio,
    medianSizeRatio: round(median(names.map((n) => perFunction[n]!.sizeRatio))),
    perFunction: functionsFigure,
  };
  const loadFigures: Figures = {
    functions: names.length,
    runsPerFunction: options.runs,
    worstLoadFunction: worstLoad,
    worstLoadRatio: summarize(perFunction[worstLoad]!.loadRatioRuns),
    medianLoadRatio: round(median(names.map((n) => perFunction[n]!.loadRatio))),
    perFunction: functionsFigure,
  };
  const notes = [
    'Bundled with esbuild as infra/constructs/convene-function.ts does (platform node, esm, node24, mainFields module/main, minified, UTF-8, AWS SDK bundled, source maps without sources, the stack\'s aliased createRequire banner); size is the .mjs without its map.',
    `Load time: \`node --input-type=module -e "const t=performance.now(); await import(file); console.log(performance.now()-t)"\` with the handler environment, ${options.runs} runs per bundle alternating with its baseline; the ratio is the median of per-run ratios.`,
    'Baseline per function: a bundle that only creates the SDK clients its topology access implies (table/idempotency → DynamoDBClient + DynamoDBDocumentClient, sendMail → SESv2Client, bus → EventBridgeClient, tokenSecret → SecretsManagerClient).',
  ];
  return Promise.all([
    result({
      name: 'cold start: bundle size',
      figures: sizeFigures,
      goal: { metric: 'worstSizeRatio', op: '<=', value: 1.5 },
      notes,
      analysis: () =>
        sizeAnalysis(worstSize, new Map(names.map((n) => [n, { fn: bundles.get(n)!, base: baselineOf.get(n)! }])), names.filter((n) => perFunction[n]!.sizeRatio > 1.5)),
    }),
    result({
      name: 'cold start: load time',
      figures: loadFigures,
      goal: { metric: 'worstLoadRatio', op: '<=', value: 1.3 },
      notes,
      analysis: () => loadAnalysis(worstLoad, bundles.get(worstLoad)!, perFunction, names.filter((n) => perFunction[n]!.loadRatio > 1.3)),
    }),
  ]);
}

/** Bytes per package in a bundle's output. */
function bytesByPackage(metafile: Metafile): Map<string, number> {
  const totals = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = packageOf(path.resolve(repoRoot, input));
      totals.set(name, (totals.get(name) ?? 0) + bytesInOutput);
    }
  }
  return totals;
}

/** Locale files of dependencies in the six languages Convene shows (zod's error messages are used). */
const SHOWN_LOCALES = new Set(['ar', 'en', 'es', 'fr', 'ru', 'zh', 'zh-CN']);

/** The libraries the design puts at every boundary (zod, middy, Powertools and what Powertools pulls in). */
const BOUNDARY_LIBRARIES = /^(zod|@middy\/[\w-]+|@aws-lambda-powertools\/[\w-]+|mnemonist|obliterator|@aws\/lambda-invoke-store)$/;

/**
 * A bundle's size ratio taken apart: 1 (its baseline) + the boundary libraries beyond the baseline + the
 * texts it shows registrants in six languages (Convene's catalogues and zod's field messages) + the rest
 * (Convene's code and other packages). Each part is bytes ÷ the baseline's bytes.
 */
function ratioParts(fn: Bundle, base: Bundle): { libraries: number; texts: number; rest: number; ownTexts: number; zodTexts: number } {
  const fnPackages = bytesByPackage(fn.metafile);
  const basePackages = bytesByPackage(base.metafile);
  let ownTexts = 0;
  let zodTexts = 0;
  for (const output of Object.values(fn.metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      if (input.startsWith('functions/core/i18n/')) ownTexts += bytesInOutput;
      const locale = /node_modules\/zod\/.*\/locales\/([\w-]+)\.[a-z]+$/.exec(input);
      if (locale && SHOWN_LOCALES.has(locale[1]!)) zodTexts += bytesInOutput;
    }
  }
  const libraries = [...fnPackages.entries()]
    .filter(([pkg]) => BOUNDARY_LIBRARIES.test(pkg))
    .reduce((sum, [pkg, bytes]) => sum + Math.max(0, bytes - (basePackages.get(pkg) ?? 0)), 0) - zodTexts;
  const texts = ownTexts + zodTexts;
  return { libraries: libraries / base.bytes, texts: texts / base.bytes, rest: (fn.bytes - base.bytes - libraries - texts) / base.bytes, ownTexts, zodTexts };
}

/** What the worst bundle carries beyond its baseline, from the two metafiles, and every bundle's ratio taken apart. */
function sizeAnalysis(name: string, all: ReadonlyMap<string, { fn: Bundle; base: Bundle }>, over: string[]): string {
  const { fn, base } = all.get(name)!;
  const fnPackages = bytesByPackage(fn.metafile);
  const basePackages = bytesByPackage(base.metafile);
  const extra = [...fnPackages.entries()]
    .map(([pkg, bytes]) => [pkg, bytes - (basePackages.get(pkg) ?? 0)] as const)
    .filter(([, bytes]) => bytes > 0);
  const projectBytes = extra.filter(([pkg]) => !pkg.startsWith('@') && !/^[a-z0-9.-]+$/.test(pkg)).reduce((s, [, b]) => s + b, 0);
  const top = extra
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([pkg, bytes]) => `${pkg} ${(bytes / 1024).toFixed(0)} KB`)
    .join(', ');
  // Translations shipped inside dependencies (country names, validation messages) that Convene never shows.
  const locales = new Map<string, number>();
  for (const output of Object.values(fn.metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?:.*\/)?(?:langs|locales)\/([\w-]+)\.[a-z]+$/.exec(input);
      if (match && !SHOWN_LOCALES.has(match[2]!)) locales.set(match[1]!, (locales.get(match[1]!) ?? 0) + bytesInOutput);
    }
  }
  const why: Record<string, string> = {
    zod: "every error-message locale, when zod is imported as `{ z }` or through `z.locales`",
    'i18n-iso-countries': "i18n-iso-countries' Node entry point registers every language's country names",
  };
  const localeText = [...locales.entries()]
    .filter(([, bytes]) => bytes >= 10 * 1024)
    .map(([pkg, bytes]) => `${pkg} ${(bytes / 1024).toFixed(0)} KB${why[pkg] ? ` (${why[pkg]})` : ''}`)
    .join(', ');
  const worst = ratioParts(fn, base);
  const shown = `The texts it shows registrants in six languages weigh ${((worst.ownTexts + worst.zodTexts) / 1024).toFixed(0)} KB (Convene's pages, mails and errors ${(worst.ownTexts / 1024).toFixed(0)} KB, zod's field messages ${(worst.zodTexts / 1024).toFixed(0)} KB); without them it would be ${((fn.bytes - worst.ownTexts - worst.zodTexts) / base.bytes).toFixed(2)}× its baseline.`;
  const parts = [...all.entries()].map(([fnName, pair]) => ({ fnName, ...ratioParts(pair.fn, pair.base) }));
  const floors = parts.map((p) => 1 + p.libraries);
  const taken = parts
    .sort((a, b) => b.libraries + b.texts + b.rest - (a.libraries + a.texts + a.rest))
    .map((p) => `${p.fnName} 1 + ${p.libraries.toFixed(2)} + ${p.texts.toFixed(2)} + ${p.rest.toFixed(2)}`)
    .join('; ');
  const split = `Every bundle's ratio taken apart as 1 (the SDK clients) + the boundary libraries the design requires (zod, middy, Powertools) + six-language texts + the rest (Convene's code, other packages): ${taken}. The boundary libraries alone put the bundles at ${Math.min(...floors).toFixed(2)}–${Math.max(...floors).toFixed(2)}× their baseline, ${floors.filter((f) => f > 1.4).length} of ${floors.length} above 1.4×.`;
  return `${over.length} of ${Object.keys(functionSpecs).length} bundles exceed 1.5× their baseline (${over.join(', ')}). Worst: ${name}, ${(fn.bytes / 1024).toFixed(0)} KB against ${(base.bytes / 1024).toFixed(0)} KB; by its metafile the extra ${((fn.bytes - base.bytes) / 1024).toFixed(0)} KB are mostly ${top} (project sources ${(projectBytes / 1024).toFixed(0)} KB in all).${localeText ? ` Translations Convene never shows: ${localeText}.` : ''} ${shown} ${split}`;
}

/** Profiles the worst bundle's import with --cpu-prof and attributes its time to packages via the source map. */
async function loadAnalysis(name: string, fn: Bundle, all: Record<string, FunctionFigures>, over: string[]): Promise<string> {
  const figures = all[name]!;
  const dir = path.join(outDir, 'profiles', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  await loadTime(fn.file, ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=100']);
  const profile = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  const shares = profile ? profileByPackage(path.join(dir, profile), { sourceMap: { bundleUrl: pathToFileURL(fn.file).href, mapFile: fn.map } }).shares : [];
  // Least-squares slope of extra load time over extra bundle size, across all functions.
  const points = Object.values(all).map((f) => [f.bundleKb - f.baselineKb, f.loadMs - f.baselineLoadMs] as const);
  const mx = points.reduce((s, [x]) => s + x, 0) / points.length;
  const my = points.reduce((s, [, y]) => s + y, 0) / points.length;
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  const syy = points.reduce((s, [, y]) => s + (y - my) ** 2, 0);
  const slope = sxy / sxx;
  const r = sxy / Math.sqrt(sxx * syy);
  const fit =
    r >= 0.5
      ? `Across functions the extra load time grows with the extra bundle size, about ${(slope * 100).toFixed(0)} ms per 100 KB (r = ${r.toFixed(2)}).`
      : `Across functions the extra load time follows the extra bundle size only loosely in this run (r = ${r.toFixed(2)}): read the per-run spread, the machine was noisy.`;
  return `${over.length} of ${Object.keys(functionSpecs).length} functions load more than 1.3× slower than their baseline (${over.join(', ')}). Worst: ${name}, ${figures.loadMs} ms against ${figures.baselineLoadMs} ms; its bundle is ${figures.bundleKb} KB against ${figures.baselineKb} KB. ${fit} CPU profile of its import (node --cpu-prof, mapped through the source map): ${describeShares(shares, 7)}. Profile in test/bench/results/cold-start/profiles/${name}/.`;
}
