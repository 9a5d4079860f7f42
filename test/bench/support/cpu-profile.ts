import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { repoRoot } from './config.ts';

type CallFrame = { functionName: string; url: string; lineNumber: number; columnNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
type CpuProfile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };

export type ProfileShare = { name: string; ms: number; share: number };

/** Node's own code in three buckets: sockets and HTTP, crypto (SigV4, HMAC), and the rest. */
function builtInBucket(name: string): string {
  if (/_http|net|stream|socket|writev|writeUtf8|llhttp|undici|dns|tcp|pipe/i.test(name)) return 'node: http/sockets';
  if (/crypto|hmac|hash|digest|keyobject|sign/i.test(name)) return 'node: crypto';
  return 'node: other built-ins';
}

/** `node_modules/@scope/name/…` → `@scope/name`; project files → their path; built-ins → a node bucket. */
export function packageOf(file: string): string {
  const normalised = file.replace(/\\/g, '/');
  const at = normalised.lastIndexOf('node_modules/');
  if (at >= 0) {
    const parts = normalised.slice(at + 'node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  if (normalised.startsWith('node:') || normalised.startsWith('internal/') || normalised === '') return builtInBucket(normalised);
  const absolute = normalised.startsWith('file://') ? fileURLToPath(normalised) : normalised;
  return path.isAbsolute(absolute) ? path.relative(repoRoot, absolute) : absolute;
}

/**
 * Self time of a V8 CPU profile (`node --cpu-prof`), grouped by package (node_modules), project file or
 * V8 category ((garbage collector), (program), (idle)). With `sourceMap` (a bundle's map), positions in the
 * bundle are mapped back to their original module first, so a minified bundle's time is attributed too.
 */
export function profileByPackage(profileFile: string, options: { sourceMap?: { bundleUrl: string; mapFile: string }; includeIdle?: boolean } = {}): { totalMs: number; shares: ProfileShare[] } {
  const profile = JSON.parse(readFileSync(profileFile, 'utf8')) as CpuProfile;
  const map = options.sourceMap ? new SourceMap(JSON.parse(readFileSync(options.sourceMap.mapFile, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]) : undefined;
  const mapDir = options.sourceMap ? path.dirname(options.sourceMap.mapFile) : '';
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMicros = new Map<number, number>();
  profile.samples.forEach((id, index) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));

  const totals = new Map<string, number>();
  let total = 0;
  for (const [id, micros] of selfMicros) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    let name: string;
    if (frame.functionName === 'compileSourceTextModule') name = '(V8 compile of module source)';
    else if (!frame.url) name = frame.functionName.startsWith('(') ? frame.functionName : builtInBucket(frame.functionName);
    else if (frame.url.startsWith('node:')) name = builtInBucket(`${frame.url} ${frame.functionName}`);
    else if (map && frame.url === options.sourceMap!.bundleUrl) {
      const entry = map.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string };
      name = entry.originalSource ? packageOf(path.resolve(mapDir, entry.originalSource.replace(/^file:\/\//, ''))) : '(bundle top level, esbuild helpers)';
    } else name = packageOf(frame.url);
    if (name === '(idle)' && !options.includeIdle) continue;
    totals.set(name, (totals.get(name) ?? 0) + micros);
    total += micros;
  }
  const shares = [...totals.entries()]
    .map(([name, micros]) => ({ name, ms: Math.round(micros / 100) / 10, share: Math.round((micros / total) * 1000) / 1000 }))
    .sort((a, b) => b.ms - a.ms);
  return { totalMs: Math.round(total / 1000), shares };
}

/** "zod 23 %, @aws-sdk/core 12 %, …" for the top `count` entries. */
export function describeShares(shares: readonly ProfileShare[], count = 6): string {
  return shares
    .slice(0, count)
    .map((s) => `${s.name} ${(s.share * 100).toFixed(0)} %`)
    .join(', ');
}
