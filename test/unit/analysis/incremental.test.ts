// The incremental Analyzer must give exactly what a fresh analyze() gives, whatever the sequence of edits:
// random element edits (retargeted references, changed routes, CIDRs, AZs, ids, removed and re-added
// elements) on generated estates and the example workspaces, each analysed incrementally and from scratch.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import type { NetworkElement, NetworkModel, Route } from '../../../src/model/types';
import { createWorkspace } from '../../../src/parse/workspace';
import { generateEstate, type EstateFormat } from '../../../src/bench/generate';
import { analyze, createAnalyzer } from '../../../src/analysis/analyze';
import type { AnalysisOptions, AnalysisResult } from '../../../src/analysis/types';

const EXAMPLES = join(__dirname, '../../../../examples');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.md') ? [] : [p];
  });
}

/** Everything but the model itself and the timing. */
function comparable(r: AnalysisResult): unknown {
  return JSON.parse(JSON.stringify({ ...r, model: undefined, timing: undefined }));
}

const clone = <T>(x: T): T => structuredClone(x);

/** Reference-like fields an edit may point elsewhere. */
const REF_FIELDS = [
  'vpc',
  'subnet',
  'routeTable',
  'gateway',
  'mainOfVpc',
  'tgw',
  'service',
  'eip',
  'transit',
  'loadBalancer',
  'peerVpc',
  'attachment',
];

interface Edit {
  op: number;
  a: number;
  b: number;
  c: number;
}

/**
 * Apply one edit to the element list: untouched elements stay the same objects (the workspace contract),
 * touched ones are new objects. `graveyard` keeps removed elements for re-adding.
 */
function applyEdit(elements: NetworkElement[], edit: Edit, graveyard: NetworkElement[]): NetworkElement[] {
  if (elements.length === 0) return elements;
  const pick = <T>(xs: T[], i: number): T => xs[i % xs.length];
  const i = edit.a % elements.length;
  const e = elements[i];
  const other = pick(elements, edit.b);
  const out = elements.slice();
  const replace = (n: NetworkElement): void => {
    out[i] = n;
  };
  const ids = elements.map((x) => x.id);
  switch (edit.op % 10) {
    case 0: {
      // Retarget a reference field to another element (or to nothing the model knows).
      const n = clone(e) as unknown as Record<string, unknown>;
      const fields = REF_FIELDS.filter((f) => f in n);
      if (fields.length === 0) return elements;
      n[pick(fields, edit.c)] = edit.c % 5 === 0 ? `missing-${edit.b}` : other.id;
      replace(n as unknown as NetworkElement);
      return out;
    }
    case 1: {
      // Change a route of a table: target, destination, state, or remove it.
      const tables = elements.map((x, k) => [x, k] as const).filter(([x]) => x.kind === 'routeTable');
      if (tables.length === 0) return elements;
      const [t, k] = pick(tables, edit.a);
      const n = clone(t) as NetworkElement & { routes: Route[] };
      if (n.routes.length === 0) return elements;
      const r = pick(n.routes, edit.b);
      const kinds = ['natgw', 'gwlbe', 'igw', 'tgw', 'local'] as const;
      const targets = elements.filter((x) => (kinds as readonly string[]).includes(x.kind));
      switch (edit.c % 5) {
        case 0:
          if (targets.length > 0) {
            const tg = pick(targets, edit.c >> 3);
            r.target = { kind: tg.kind as Route['target']['kind'], ref: tg.id };
          }
          break;
        case 1:
          r.destination = {
            cidr: pick(['0.0.0.0/0', '10.0.0.0/8', '10.0.1.0/24', '8.8.8.0/24', '100.64.0.0/26', '192.168.0.0/16'], edit.c >> 3),
          };
          break;
        case 2:
          r.state = r.state === 'blackhole' ? 'active' : 'blackhole';
          break;
        case 3:
          n.routes = n.routes.filter((x) => x !== r);
          break;
        default:
          r.target = { kind: 'local' };
      }
      out[k] = n;
      return out;
    }
    case 2: {
      // Remove an element.
      graveyard.push(e);
      out.splice(i, 1);
      return out;
    }
    case 3: {
      // Re-add a removed element (when its id is free).
      const g = graveyard.length ? graveyard[edit.b % graveyard.length] : undefined;
      if (!g || ids.includes(g.id)) return elements;
      out.push(g);
      return out.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
    }
    case 4: {
      // A copy under a new id (a new resource next to an existing one).
      const n = clone(e);
      n.id = `${e.id}-copy${edit.c}`;
      if (ids.includes(n.id)) return elements;
      if (n.providerId) n.providerId = `${n.providerId}-c${edit.c}`;
      out.push(n);
      return out.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
    }
    case 5: {
      // Change a CIDR, AZ, private IP or name (one of those the element has).
      const n = clone(e) as unknown as Record<string, unknown>;
      const values: Record<string, unknown[]> = {
        cidr: ['10.0.0.0/26', '10.0.1.0/24', '10.0.0.64/26', '100.64.0.0/26', '10.1.0.0/16'],
        cidrs: [['10.0.0.0/22'], ['10.0.0.0/16'], ['10.0.4.0/22'], ['100.64.0.0/22']],
        privateIp: ['10.0.0.74', '10.0.1.10', '100.64.0.10', '10.0.0.10'],
        az: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
        name: [`renamed-${edit.c}`, ''],
      };
      const fields = Object.keys(values).filter((f) => f in n);
      if (fields.length === 0) return elements;
      const f = pick(fields, edit.c);
      n[f] = pick(values[f], edit.c >> 2);
      replace(n as unknown as NetworkElement);
      return out;
    }
    case 6: {
      // Change a provider id or address (what references written as literals resolve to).
      const n = clone(e);
      if (edit.c % 2 === 0) n.providerId = other.providerId ?? other.id;
      else n.address = other.address ?? `addr-${edit.c}`;
      replace(n);
      return out;
    }
    case 7: {
      // A new object with the same content (the file was re-parsed without a change).
      replace(clone(e));
      return out;
    }
    case 8: {
      // Toggle booleans that steer the walk (main table, SNAT, appliance mode, cross-zone).
      const n = clone(e) as unknown as Record<string, unknown>;
      const flags = ['main', 'snat', 'applianceMode', 'crossZone', 'enabled', 'egressCapability'].filter(
        (f) => f in n || (f === 'main' && e.kind === 'routeTable'),
      );
      if (flags.length === 0) return elements;
      const f = pick(flags, edit.c);
      n[f] = !n[f];
      replace(n as unknown as NetworkElement);
      return out;
    }
    default:
      // Nothing changes.
      return elements;
  }
}

describe('analysis: incremental Analyzer equals a fresh analyze()', function () {
  this.timeout(600000);
  const bases: { name: string; model: NetworkModel }[] = [];

  before(async () => {
    for (const [n, format] of [
      [4, 'aws-cli'],
      [3, 'terraform'],
    ] as [number, EstateFormat][]) {
      const ws = await createWorkspace();
      for (const f of generateEstate(n, format)) ws.setFile(f.file, f.text);
      bases.push({ name: `generated ${format} N=${n}`, model: ws.build().model });
    }
    for (const ex of readdirSync(EXAMPLES)) {
      const dir = join(EXAMPLES, ex);
      if (!statSync(dir).isDirectory()) continue;
      const ws = await createWorkspace();
      for (const f of files(dir)) ws.setFile(relative(dir, f), readFileSync(f, 'utf8'));
      bases.push({ name: ex, model: ws.build().model });
    }
    assert.ok(bases.length >= 8);
  });

  it('reuses traces when nothing changed, re-traces what an edit touches', () => {
    const base = bases[0].model;
    const an = createAnalyzer();
    const first = an.analyze(base);
    assert.equal(an.stats.reused, 0);
    const again = an.analyze({ elements: base.elements.slice() });
    assert.equal(an.stats.traced, 0);
    assert.equal(an.stats.reused, first.egress.length);
    assert.deepEqual(comparable(again), comparable(first));
    // One app route table changes: only the sources routed through it are traced again.
    const k = base.elements.findIndex((e) => e.kind === 'routeTable' && e.routes.length > 10);
    const elements = base.elements.slice();
    elements[k] = structuredClone(elements[k]);
    const r = an.analyze({ elements });
    assert.ok(an.stats.traced >= 1 && an.stats.traced < first.egress.length / 2, JSON.stringify(an.stats));
    assert.deepEqual(comparable(r), comparable(analyze({ elements })));
  });

  // A lazily built answer (the routes of stand-in tables) once recorded the kind key of every route table in
  // the trace that first asked, so each later table edit re-traced that unrelated source too (bench: 2 traced).
  it('editing one route table again and again re-traces only the subnets it serves', () => {
    const base = bases.find((b) => b.name === 'generated terraform N=3')!.model;
    const an = createAnalyzer();
    const first = an.analyze(base);
    const src = first.egress[Math.floor(first.egress.length / 2)];
    const served = (tableId: string): number =>
      base.elements.filter((e) => e.kind === 'rtAssociation' && e.routeTable === tableId && e.subnet !== undefined).length;
    const k = base.elements.findIndex(
      (e) =>
        e.kind === 'routeTable' &&
        served(e.id) === 1 &&
        base.elements.some((a) => a.kind === 'rtAssociation' && a.routeTable === e.id && a.subnet === src.subnet),
    );
    assert.ok(k >= 0, 'a table serving one traced subnet');
    let elements = base.elements;
    for (let edit = 1; edit <= 3; edit++) {
      elements = elements.slice();
      elements[k] = structuredClone(elements[k]);
      const r = an.analyze({ elements });
      assert.equal(an.stats.traced, 1, `edit ${edit}: ${JSON.stringify(an.stats)}`);
      assert.deepEqual(comparable(r), comparable(analyze({ elements })));
    }
  });

  // Found by the property below: a rename is not an index change, but a subnet's name decides whether it is
  // one of Azure's reserved subnets, so renaming AzureFirewallSubnet must make it a traffic source again.
  it('renaming an Azure reserved subnet makes it a source, as in a fresh analysis', () => {
    const base = bases.find((b) => b.name === 'azure-hub-spoke-firewall')!.model;
    const an = createAnalyzer();
    // Without the firewall in it, only the reserved name keeps the subnet out of the sources.
    let elements = base.elements.map((e) => (e.kind === 'firewall' ? { ...e, subnet: 'missing-subnet' } : e));
    an.analyze({ elements });
    elements = elements.map((e) => (e.kind === 'subnet' && e.name === 'AzureFirewallSubnet' ? { ...e, name: 'renamed' } : e));
    const inc = an.analyze({ elements });
    assert.ok(inc.egress.some((g) => g.subnet === 'azurerm_subnet.firewall'));
    assert.deepEqual(comparable(inc), comparable(analyze({ elements })));
  });

  it('property: any sequence of edits gives the result of a fresh analysis', () => {
    const edit = fc.record({ op: fc.nat(99), a: fc.nat(100000), b: fc.nat(100000), c: fc.nat(1000) });
    fc.assert(
      fc.property(
        fc.nat(bases.length - 1),
        fc.array(fc.array(edit, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        (b, steps, otherDest) => {
          const an = createAnalyzer();
          let elements = bases[b].model.elements;
          const graveyard: NetworkElement[] = [];
          an.analyze({ elements });
          for (const [s, batch] of steps.entries()) {
            for (const e of batch) elements = applyEdit(elements, e, graveyard);
            // Now and then the options change too: everything is traced again.
            const options: AnalysisOptions = otherDest && s === 1 ? { destination: '10.0.1.10' } : {};
            const model = { elements };
            const inc = an.analyze(model, options);
            const fresh = analyze(model, options);
            assert.deepEqual(comparable(inc), comparable(fresh), `${bases[b].name} after step ${s}: ${JSON.stringify(batch)}`);
          }
        },
      ),
      {
        numRuns: Number(process.env.FUZZ_RUNS) || 150,
        ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED), path: process.env.FC_PATH } : {}),
      },
    );
  });
});
