import { functions } from '/work/main/infra/topology.ts';
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
for (const [name, spec] of Object.entries(functions)) {
  const r = await build({ entryPoints: ['/work/main/' + spec.entry], bundle: true, write: false, platform: 'node', format: 'esm', metafile: true, logLevel: 'silent' });
  const files = Object.keys(r.metafile.inputs).filter((f) => !f.includes('node_modules'));
  const used = new Set<string>();
  for (const f of files) for (const m of readFileSync('/work/main/' + f, 'utf8').matchAll(/configFields\.([A-Z_]+)/g)) used.add(m[1]!);
  const declared = new Set<string>(spec.env);
  const missing = [...used].filter((u) => !declared.has(u));
  const extra = [...declared].filter((d) => !used.has(d));
  console.log(name.padEnd(22), 'missing:', missing.join(',') || '-', ' unused:', extra.join(',') || '-');
}
