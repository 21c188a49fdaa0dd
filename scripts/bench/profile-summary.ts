/**
 * `tsx scripts/bench/profile-summary.ts <file.cpuprofile> [filter-regexp]`: where a sidecar's CPU time went, from a
 * profile written by `npm run bench -- --profile`: self time by file and function, then inclusive time (the
 * function and everything it called synchronously) of the functions matching the filter.
 */
import fs from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const profile = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8')) as Profile;
const filter = new RegExp(process.argv[3] ?? 'sidecar/src');

const self = new Map<number, number>();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const file = (n: ProfileNode) =>
  (n.callFrame.url || '(native)')
    .replace(/.*node_modules\//, 'nm/')
    .replace(/^file:\/\/\/.*?\/(sidecar|shared)\//, '$1/');
const label = (n: ProfileNode) =>
  `${n.callFrame.functionName || '(anonymous)'} ${file(n)}:${n.callFrame.lineNumber}`;
const pkg = (f: string) =>
  f.startsWith('nm/')
    ? f
        .split('/')
        .slice(0, f.startsWith('nm/@') ? 3 : 2)
        .join('/')
    : f;

function add(map: Map<string, number>, key: string, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value);
}

const byFile = new Map<string, number>();
const byFunction = new Map<string, number>();
const inclusive = new Map<string, number>();
for (const [id, time] of self) {
  const node = nodes.get(id)!;
  add(byFile, pkg(file(node)), time);
  add(byFunction, label(node), time);
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const key = label(nodes.get(cur)!);
    if (!seen.has(key)) (add(inclusive, key, time), seen.add(key));
  }
}

function show(
  title: string,
  map: Map<string, number>,
  count: number,
  keep: (key: string) => boolean = () => true,
) {
  console.log(`--- ${title}`);
  [...map]
    .filter(([key]) => keep(key))
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .forEach(([key, time]) => console.log(`${((100 * time) / total).toFixed(1).padStart(5)} %  ${key}`));
}

console.log(`${Math.round(total / 1000)} ms sampled`);
show('self time by file or package', byFile, 20);
show('self time by function', byFunction, 30);
show(`inclusive time, functions matching ${filter}`, inclusive, 30, (key) => filter.test(key));
