// The incremental merge (FragmentMerger, Workspace.build) against the one-shot merge it replaced
// (mergeReference.ts, the merge as it was before it became incremental): random sequences of
// fragment sets / file edits must give deep-equal models and diagnostics, and elements whose
// inputs did not change must stay the same objects.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { FragmentMerger, mergeFragments } from '../../../src/parse/merge';
import { createWorkspace, PARSERS, type WorkspaceBuild } from '../../../src/parse/workspace';
import { detectFormat } from '../../../src/parse/detect';
import { mergeFragments as referenceMerge } from './mergeReference';
import type { Declaration, InputFormat, ModelFragment } from '../../../src/parse/types';
import type { ParseDiagnostic } from '../../../src/model/inputs';
import { unresolved, type NetworkElement } from '../../../src/model/types';
import { cliAccountWithTweak, generateEstate, tfVpc } from '../../../src/bench/generate';
import { exampleFiles, byId } from './helpers';

const RUNS = Number(process.env.FUZZ_RUNS) || 200;

// ---------------------------------------------------------------------------------------------
// Synthetic fragments: a small universe of ids, provider ids, service names and files, so that
// duplicates, combined exports, .tf + plan pairs, twins and provider-id references are frequent.

const IDS = ['a', 'b', 'c', 'd', 'e', 'f'];
const PIDS = ['p1', 'p2'];
const FILES = ['f1.json', 'f2.json', 'f3.tf', 'f4.yaml'];
const DECLARED = ['x', 'x["k"]', 'missing', 'a'];
const FORMATS: InputFormat[] = ['terraform', 'terraform-plan', 'aws-cli', 'aviatrix-export', 'cloudformation'];

const at = (file: string, line: number) => ({ file, range: { start: { line, character: 0 }, end: { line, character: 4 } } });
const ref = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...IDS, ...PIDS, 'missing') },
  // Names of resources some fragments declare without an element (with and without instance keys).
  { weight: 2, arbitrary: fc.constantFrom(...DECLARED, 'x[0]', 'x["k"]', 'missing[1]') },
  { weight: 1, arbitrary: fc.constantFrom(unresolved('var.x', 'variable'), unresolved('svc1', 'by name'), unresolved('svc2', 'by name')) },
);
const refs = fc.array(ref, { maxLength: 3 });
const val = fc.oneof(
  fc.constantFrom('10.0.1.0/24', '10.0.2.0/24'),
  fc.constant(unresolved('cidrsubnet(var.x)', 'variable')),
  fc.constant(undefined),
);

function element(file: string): fc.Arbitrary<NetworkElement> {
  const base = fc.record({
    id: fc.constantFrom(...IDS),
    name: fc.constantFrom('n1', 'n2'),
    line: fc.nat({ max: 50 }),
    providerId: fc.option(fc.constantFrom(...PIDS, ...IDS), { nil: undefined }),
  });
  const kinds: fc.Arbitrary<Record<string, unknown>>[] = [
    fc.record({ kind: fc.constant('vpc'), cidrs: fc.constant(['10.0.0.0/16']), flavor: fc.constant('vpc') }),
    fc.record({ kind: fc.constant('subnet'), vpc: ref, cidr: val, az: fc.constantFrom('us-east-1a', undefined) }),
    fc.record({
      kind: fc.constant('routeTable'),
      vpc: ref,
      routes: fc.array(
        fc.record({
          id: fc.constantFrom('r1', 'r2', 'r3'),
          dest: fc.oneof(fc.record({ cidr: val }), fc.record({ prefixList: ref })),
          target: fc.oneof(
            fc.record({ kind: fc.constantFrom('tgw', 'igw', 'natgw'), ref }),
            fc.record({ kind: fc.constant('local') }),
            fc.record({ kind: fc.constant('eni'), ref }),
          ),
        }),
        { maxLength: 3 },
      ),
    }),
    fc.record({
      kind: fc.constant('tgwRouteTable'),
      tgw: ref,
      associations: refs,
      propagations: refs,
      routes: fc.array(fc.record({ id: fc.constantFrom('t1', 't2'), attachment: fc.option(ref, { nil: undefined }) }), { maxLength: 2 }),
    }),
    fc.record({ kind: fc.constant('endpointService'), loadBalancers: refs, serviceName: fc.constantFrom('svc1', 'svc2', undefined) }),
    fc.record({ kind: fc.constant('gwlbe'), vpc: ref, subnet: ref, service: ref }),
    fc.record({ kind: fc.constant('targetGroup'), targets: fc.array(fc.oneof(ref, fc.constant('10.0.0.5')), { maxLength: 3 }) }),
    fc.record({ kind: fc.constant('peering'), vpc: ref, peerVpc: ref }),
    fc.record({ kind: fc.constant('dcfPolicy'), priority: fc.constantFrom(1, 2), srcGroups: refs, dstGroups: refs, webGroups: refs }),
    fc.record({ kind: fc.constant('dcfConfig'), enabled: fc.boolean() }),
    fc.record({ kind: fc.constant('smartGroup'), builtin: fc.constantFrom('anywhere', undefined), selectors: fc.constant([]) }),
  ];
  return fc.tuple(base, fc.oneof(...kinds)).map(([b, k]) => {
    const e: Record<string, unknown> = { id: b.id, name: b.name, loc: at(file, b.line), cloud: 'aws', ...k };
    if (b.providerId !== undefined) e.providerId = b.providerId;
    if (k.kind === 'routeTable') {
      e.routes = (k.routes as { id: string; dest: unknown; target: unknown }[]).map((r, i) => ({
        id: r.id,
        loc: at(file, b.line + i + 1),
        destination: r.dest,
        target: r.target,
        state: 'active',
      }));
    }
    if (k.kind === 'tgwRouteTable') {
      e.routes = (k.routes as { id: string; attachment?: unknown }[]).map((r, i) => ({
        id: r.id,
        loc: at(file, b.line + i + 1),
        destination: '0.0.0.0/0',
        ...(r.attachment !== undefined ? { attachment: r.attachment } : {}),
        blackhole: false,
      }));
    }
    // Plain objects, as parsers make them (fast-check's records have no prototype).
    return JSON.parse(JSON.stringify(e)) as NetworkElement;
  });
}

function declarations(file: string): fc.Arbitrary<Declaration[]> {
  const d = fc.record({ id: fc.constantFrom(...DECLARED), type: fc.constantFrom('aws_lb', 'aws_alb'), line: fc.nat({ max: 3 }) });
  return fc.array(
    d.map(({ id, type, line }) => ({ id, type, loc: at(file, line) })),
    { maxLength: 3 },
  );
}

const fragment: fc.Arbitrary<ModelFragment> = fc
  .record({ file: fc.constantFrom(...FILES), format: fc.constantFrom(...FORMATS) })
  .chain(({ file, format }) =>
    fc
      .record({
        file: fc.constant(file),
        format: fc.constant(format),
        elements: fc.array(element(file), { maxLength: 6 }),
        diagnostics: fc.constant([] as ParseDiagnostic[]),
        declared: declarations(file),
      })
      .map(({ declared, ...f }): ModelFragment => (declared.length ? { ...f, declared } : f)),
  );

/** Previous and current results: ids outside changedIds keep the same object, the others do not. */
function assertChangedIds(prev: NetworkElement[], cur: NetworkElement[], changed: ReadonlySet<string> | undefined): void {
  assert.ok(changed, 'changedIds after the first update');
  const before = new Map(prev.map((e) => [e.id, e]));
  const after = new Map(cur.map((e) => [e.id, e]));
  for (const id of new Set([...before.keys(), ...after.keys()])) {
    const same = before.get(id) !== undefined && before.get(id) === after.get(id);
    assert.equal(changed.has(id), !same, `${id}: in changedIds exactly when its element is not the same object`);
  }
}

describe('parse/merge incremental', () => {
  it('update() after any change equals the one-shot merge (the reference, as the merge was)', () => {
    fc.assert(
      fc.property(
        fc.array(fragment, { minLength: 1, maxLength: 8 }),
        fc.array(fc.array(fc.nat({ max: 15 }), { maxLength: 8 }), { minLength: 1, maxLength: 8 }),
        (frags0, steps) => {
          // Each fragment also as an equal copy (new objects): a file parsed again.
          const pool = [...frags0, ...frags0.map((f) => JSON.parse(JSON.stringify(f)) as ModelFragment)];
          const merger = new FragmentMerger();
          let prev: NetworkElement[] | undefined;
          for (const step of steps) {
            // Indexes may repeat: the same fragment object twice is allowed too.
            const frags = step.map((i) => pool[i % pool.length]);
            const r = merger.update(frags);
            const want = referenceMerge(frags);
            assert.deepStrictEqual(r.elements, want.elements);
            assert.deepStrictEqual(r.diagnostics, want.diagnostics);
            if (prev) assertChangedIds(prev, r.elements, r.changedIds);
            prev = r.elements;
          }
        },
      ),
      { numRuns: RUNS * 5 },
    );
  });

  it('mergeFragments on the examples equals the reference and never writes to its input', async () => {
    const frags: ModelFragment[] = [];
    for (const folder of ['aws-cli-export', 'azure-cli-export', 'cloudformation', 'terraform-plan', 'aviatrix-dcf/controller-export']) {
      for (const [file, text] of exampleFiles(folder)) {
        const format = detectFormat(file, text);
        if (format && format !== 'terraform') frags.push(PARSERS[format](file, text));
      }
    }
    const before = JSON.stringify(frags);
    const got = mergeFragments(frags);
    assert.deepStrictEqual(got, referenceMerge(frags));
    assert.ok(got.elements.length > 50);
    assert.equal(JSON.stringify(frags), before);
  });

  it('keeps elements and rewritten elements the same objects while their inputs do not change', () => {
    const el = (id: string, file: string, extra: Record<string, unknown>) =>
      ({ id, name: id, loc: at(file, 1), cloud: 'aws', ...extra }) as unknown as NetworkElement;
    const vpcs: ModelFragment = {
      file: 'a.json',
      format: 'aws-cli',
      elements: [el('vpc-1', 'a.json', { kind: 'vpc', cidrs: [], flavor: 'vpc' })],
      diagnostics: [],
    };
    // subnet-1 refers to a provider id (rewritten to the id), subnet-2 to nothing (rewritten to Unresolved).
    const plan: ModelFragment = {
      file: 'b.json',
      format: 'terraform-plan',
      elements: [el('aws_vpc.x', 'b.json', { kind: 'vpc', cidrs: [], flavor: 'vpc', providerId: 'vpc-9' })],
      diagnostics: [],
    };
    const subnets: ModelFragment = {
      file: 'c.json',
      format: 'aws-cli',
      elements: [
        el('subnet-1', 'c.json', { kind: 'subnet', vpc: 'vpc-9', cidr: '10.0.0.0/24' }),
        el('subnet-2', 'c.json', { kind: 'subnet', vpc: 'vpc-7', cidr: '10.0.1.0/24' }),
      ],
      diagnostics: [],
    };
    const m = new FragmentMerger();
    const r1 = m.update([vpcs, plan, subnets]);
    const s1 = byId(r1.elements, 'subnet-1');
    assert.ok(s1.kind === 'subnet' && s1.vpc === 'aws_vpc.x');
    assert.equal(byId(r1.elements, 'vpc-1'), vpcs.elements[0], 'an element nothing rewrites is the fragment object');
    const other: ModelFragment = {
      file: 'd.json',
      format: 'aws-cli',
      elements: [el('igw-1', 'd.json', { kind: 'igw', vpc: 'vpc-1' })],
      diagnostics: [],
    };
    const r2 = m.update([vpcs, plan, subnets, other]);
    assert.deepEqual([...r2.changedIds!], ['igw-1']);
    assert.deepEqual([...r2.changedFiles], ['d.json']);
    for (const e of r1.elements) assert.equal(byId(r2.elements, e.id), e, `${e.id} is the same object`);
    assert.deepEqual(r2.diagnostics, r1.diagnostics);
    // The provider id's holder goes: subnet-1 is rewritten again, nothing else changes. (Whatever
    // the holder of a result does with its array does not matter to the next one.)
    r2.elements.reverse();
    const r3 = m.update([vpcs, subnets, other]);
    assert.deepStrictEqual(r3.elements, referenceMerge([vpcs, subnets, other]).elements);
    assert.deepEqual([...r3.changedIds!].sort(), ['aws_vpc.x', 'subnet-1']);
    assert.equal(byId(r3.elements, 'subnet-2'), byId(r1.elements, 'subnet-2'));
    assert.equal(r3.diagnostics.length, 2);
    const r4 = m.update([vpcs, subnets, other]);
    assert.equal(r4.changedIds!.size, 0);
    assert.equal(r4.diagnostics.length, 2);
  });
});

// ---------------------------------------------------------------------------------------------
// Workspace level: real example files and generated estates, random edits, against a fresh
// workspace given the same final files.

interface PoolFile {
  file: string;
  /** Versions of its text: [0] as is, then edits (one changed value, a truncated file). */
  texts: string[];
}

function versions(text: string, tweak: (t: string) => string): string[] {
  return [text, tweak(text), text.slice(0, Math.floor(text.length / 2))];
}

function examplePool(): PoolFile[] {
  const pool: PoolFile[] = [];
  for (const folder of [
    'aws-cli-export',
    'azure-cli-export',
    'cloudformation',
    'terraform-plan',
    'aviatrix-dcf',
    'aws-distributed-egress-ok',
  ]) {
    for (const [file, text] of exampleFiles(folder, (f) => !f.endsWith('.md'))) {
      // Edits that change ids, names and references: the first vpc/subnet id in the text.
      pool.push({ file, texts: versions(text, (t) => t.replace(/(vpc|subnet)-0[0-9a-f]{4}/, '$1-0ffff').replace(/10\.0\./, '10.9.')) });
    }
  }
  // The same file under a second name: duplicates, and exports of the same object combined.
  for (const name of ['describe-vpcs.json', 'describe-route-tables.json', 'egress.tfplan.json']) {
    const p = pool.find((x) => x.file.endsWith(name))!;
    pool.push({ file: `copy/${name}`, texts: p.texts });
  }
  return pool;
}

function estatePool(): PoolFile[] {
  const pool: PoolFile[] = [];
  const n = 3;
  for (const f of generateEstate(n, 'aws-cli')) {
    const tweaked = cliAccountWithTweak(n, 1).find((x) => x.file === f.file);
    pool.push({ file: `gen/${f.file}`, texts: [f.text, tweaked?.text ?? f.text.replace('10.', '11.'), f.text.slice(0, 200)] });
  }
  for (const f of generateEstate(n, 'terraform'))
    pool.push({
      file: `gen/${f.file}`,
      texts: [f.text, f.file.includes('v00001') ? tfVpc(1, 2) : f.text.replace('10.', '12.'), f.text.slice(0, 300)],
    });
  return pool;
}

type Op = { kind: 'set'; file: number; version: number } | { kind: 'remove'; file: number } | { kind: 'build' };

const op = (files: number): fc.Arbitrary<Op> =>
  fc.oneof(
    {
      weight: 5,
      arbitrary: fc.record({ kind: fc.constant('set' as const), file: fc.nat({ max: files - 1 }), version: fc.nat({ max: 2 }) }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('remove' as const), file: fc.nat({ max: files - 1 }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('build' as const) }) },
  );

const byPlace = (a: ParseDiagnostic, b: ParseDiagnostic) => {
  const ka = `${a.loc.file}\u0000${String(a.loc.range.start.line).padStart(8)}\u0000${a.code}\u0000${a.message}`;
  const kb = `${b.loc.file}\u0000${String(b.loc.range.start.line).padStart(8)}\u0000${b.code}\u0000${b.message}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
};

/** Builds must equal a fresh workspace given the same files, and say what changed exactly. */
async function checkSequence(pool: PoolFile[], start: number[], ops: Op[], maxFileBytes?: number): Promise<void> {
  const ws = await createWorkspace({ maxFileBytes });
  const files = new Map<string, string>();
  const set = (i: number, v: number) => {
    const p = pool[i % pool.length];
    const text = p.texts[v % p.texts.length];
    ws.setFile(p.file, text);
    files.set(p.file, text);
  };
  for (const i of start) set(i, 0);
  let prev: WorkspaceBuild | undefined;
  const check = async () => {
    const b = ws.build();
    const fresh = await createWorkspace({ maxFileBytes });
    for (const [f, t] of files) fresh.setFile(f, t);
    const want = fresh.build();
    assert.deepStrictEqual(b.model, want.model);
    // The Terraform engine may order its fragments by history; the merge's own diagnostics are
    // compared in order by the tests above.
    assert.deepStrictEqual([...b.diagnostics].sort(byPlace), [...want.diagnostics].sort(byPlace));
    assert.deepStrictEqual(b.files, want.files);
    if (prev && b !== prev) assertChangedIds(prev.model.elements, b.model.elements, b.changedIds);
    prev = b;
  };
  await check();
  for (const o of ops) {
    if (o.kind === 'set') set(o.file, o.version);
    else if (o.kind === 'remove') {
      const p = pool[o.file % pool.length];
      ws.removeFile(p.file);
      files.delete(p.file);
    } else await check();
  }
  await check();
}

describe('parse/workspace incremental build', function () {
  this.timeout(120000);

  it('random edits of the example files build what a fresh workspace builds', async () => {
    const pool = examplePool();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat({ max: pool.length - 1 }), { maxLength: 12 }),
        fc.array(op(pool.length), { maxLength: 14 }),
        (start, ops) => checkSequence(pool, start, ops),
      ),
      { numRuns: Math.ceil(RUNS / 4) },
    );
  });

  it('random edits of the example files, some over maxFileBytes in one version and not in another', async () => {
    const pool = examplePool();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat({ max: pool.length - 1 }), { maxLength: 12 }),
        fc.array(op(pool.length), { maxLength: 14 }),
        (start, ops) => checkSequence(pool, start, ops, 8000),
      ),
      { numRuns: Math.ceil(RUNS / 10) },
    );
  });

  it('random edits of generated estates (aws-cli and Terraform) build what a fresh workspace builds', async () => {
    const pool = estatePool();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat({ max: pool.length - 1 }), { maxLength: 10 }),
        fc.array(op(pool.length), { maxLength: 10 }),
        (start, ops) => checkSequence(pool, start, ops),
      ),
      { numRuns: Math.ceil(RUNS / 10) },
    );
  });

  it('an edit keeps the elements of every other file the same objects and names what changed', async () => {
    const cli = exampleFiles('aws-cli-export', (f) => f.endsWith('.json'));
    const ws = await createWorkspace({ terraform: null });
    for (const [f, t] of cli) ws.setFile(f, t);
    const b1 = ws.build();
    assert.equal(b1.changedIds, undefined);
    const nat = [...cli.keys()].find((f) => f.endsWith('describe-nat-gateways.json'))!;
    ws.setFile(nat, cli.get(nat)!.replace('"natgw-a"', '"natgw-a-renamed"'));
    const b2 = ws.build();
    // Only the renamed NAT gateway: the file's other elements parse to equal values at the same
    // places, so they stay the objects they were.
    assert.deepEqual([...b2.changedIds!], ['nat-0a1a2b3c4d5e6f701']);
    assert.deepEqual([...b2.changedFiles!], [nat]);
    assert.equal(byId(b2.model.elements, 'nat-0a1a2b3c4d5e6f701').name, 'natgw-a-renamed');
    for (const e of b1.model.elements)
      if (e.id !== 'nat-0a1a2b3c4d5e6f701') assert.equal(byId(b2.model.elements, e.id), e, `${e.id} is the same object`);
    assert.deepEqual(
      b2.model.elements.map((e) => e.id),
      b1.model.elements.map((e) => e.id),
    );
    // The same text again: nothing changes, the build is memoised.
    ws.setFile(nat, cli.get(nat)!.replace('"natgw-a"', '"natgw-a-renamed"'));
    assert.equal(ws.build(), b2);
    // A line added at the top moves every element of the file: all of them change, no other.
    ws.setFile(nat, '\n' + cli.get(nat)!.replace('"natgw-a"', '"natgw-a-renamed"'));
    const b2b = ws.build();
    const natIds = b1.model.elements.filter((e) => e.loc.file === nat).map((e) => e.id);
    assert.ok(natIds.length >= 2);
    assert.deepEqual([...b2b.changedIds!].sort(), natIds.sort());
    for (const e of b2.model.elements) if (e.loc.file !== nat) assert.equal(byId(b2b.model.elements, e.id), e);
    ws.setFile(nat, cli.get(nat)!.replace('"natgw-a"', '"natgw-a-renamed"'));
    assert.deepEqual([...ws.build().changedIds!].sort(), natIds.sort());
    // Removing the subnets: elements referring to them are rewritten (Unresolved), the rest stay.
    const subnets = [...cli.keys()].find((f) => f.endsWith('describe-subnets.json'))!;
    ws.removeFile(subnets);
    const b3 = ws.build();
    const rewritten = [...b3.changedIds!].filter((id) => b3.model.elements.some((e) => e.id === id));
    assert.ok(rewritten.length > 0);
    assert.ok(b3.diagnostics.some((d) => d.code === 'missing-reference'));
    for (const e of b2.model.elements) if (!b3.changedIds!.has(e.id)) assert.equal(byId(b3.model.elements, e.id), e);
    // Back again: the same model as at first (deep-equal), the diagnostics gone.
    ws.setFile(subnets, cli.get(subnets)!);
    const b4 = ws.build();
    assert.deepStrictEqual(b4.model, b2.model);
    assert.deepStrictEqual(b4.diagnostics, []);
  });

  it('a Terraform fragment that comes back as the same object changes nothing', async () => {
    const a: ModelFragment = {
      file: 'a.tf',
      format: 'terraform',
      elements: [{ id: 'aws_vpc.a', kind: 'vpc', name: 'a', loc: at('a.tf', 0), cloud: 'aws', cidrs: ['10.0.0.0/16'], flavor: 'vpc' }],
      diagnostics: [],
    };
    let b: ModelFragment = {
      file: 'b.tf',
      format: 'terraform',
      elements: [
        { id: 'aws_subnet.b', kind: 'subnet', name: 'b', loc: at('b.tf', 0), cloud: 'aws', vpc: 'aws_vpc.a', cidr: '10.0.0.0/24' },
      ],
      diagnostics: [],
    };
    const tf = { setFile: () => {}, removeFile: () => {}, build: () => [a, b] };
    const ws = await createWorkspace({ terraform: tf });
    ws.setFile('a.tf', '#a');
    ws.setFile('b.tf', '#b');
    const b1 = ws.build();
    ws.setFile('b.tf', '#b2');
    b = { ...b, elements: [{ ...b.elements[0], name: 'b2' }] };
    const b2 = ws.build();
    assert.deepEqual([...b2.changedIds!], ['aws_subnet.b']);
    assert.equal(byId(b2.model.elements, 'aws_vpc.a'), byId(b1.model.elements, 'aws_vpc.a'));
    assert.equal(byId(b2.model.elements, 'aws_vpc.a'), a.elements[0]);
  });
});
