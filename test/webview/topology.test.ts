// The topology webview in headless Chromium: the real bundle, the real page and CSP, real
// AnalysisResults produced by the product's core from examples/*. Run with `npm run test:webview`.
import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { AnalysisResult, PathTrace } from '../../src/analysis/types';
import type { WebviewToHost } from '../../src/protocol';
import { exampleNames, exampleResult } from './examples';
import { distributedEgressAsymmetricResult, distributedEgressResult, XSS_NAME, xssResult } from './fixtures/distributedEgress';
import {
  clearPosted,
  launch,
  openPage,
  pageErrors,
  pixelStats,
  postMessage,
  postResult,
  posted,
  ROOT,
  setTheme,
  type Harness,
  type ThemeName,
} from './harness';

// Browser globals for page.evaluate callbacks (the root tsconfig has no DOM lib).
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const window: any;
declare const document: any;
declare const egressLensDebug: any;
declare const DOMParser: any;

/** Screenshots and exports; EGRESS_LENS_SHOTS (relative to the repository root) picks another folder. */
const OUT = join(ROOT, process.env.EGRESS_LENS_SHOTS || 'test-output');

/** Kinds the topology draws as nodes; the others (associations, policies, groups...) are not boxes. */
const DRAWN = new Set([
  'vpc',
  'subnet',
  'natgw',
  'gwlbe',
  'instance',
  'firewall',
  'igw',
  'eigw',
  'vgw',
  'gwlb',
  'targetGroup',
  'tgw',
  'aviatrixGateway',
  'routeTable',
]);

function traces(r: AnalysisResult): PathTrace[] {
  return [
    ...r.egress.flatMap((e) => (e.return ? [e.forward, e.return] : [e.forward])),
    ...r.simulations.flatMap((s) => (s.return ? [s.forward, s.return] : [s.forward])),
  ];
}

function hopNode(h: { kind: string; element: string }): string {
  return h.kind === 'internet' ? 'internet' : h.element;
}

function expectedPathEdges(r: AnalysisResult): Set<string> {
  const out = new Set<string>();
  for (const t of traces(r)) {
    for (let i = 1; i < t.hops.length; i++) {
      const a = hopNode(t.hops[i - 1]);
      const b = hopNode(t.hops[i]);
      if (a !== b) out.add(`${a}->${b}`);
    }
  }
  return out;
}

interface Drawn {
  nodes: { id: string; kind: string; classes: string[] }[];
  edges: { id: string; source: string; target: string; kind: string; classes: string[]; colour: string }[];
}

async function drawn(page: Page): Promise<Drawn> {
  return page.evaluate(() => {
    const cy = egressLensDebug.cy;
    return {
      nodes: cy.nodes().map((n: any) => ({ id: n.id(), kind: n.data('kind'), classes: n.classes() })),
      edges: cy.edges().map((e: any) => ({
        id: e.id(),
        source: e.source().id(),
        target: e.target().id(),
        kind: e.data('kind'),
        classes: e.classes(),
        colour: e.style('line-color'),
      })),
    };
  });
}

/** The secondary controls live in the toolbar's overflow menu: open it, click, close it. */
async function clickInMenu(page: Page, selector: string): Promise<void> {
  await page.click('#btn-more');
  await page.click(selector);
  await page.click('#btn-more');
}

async function currentHop(page: Page): Promise<string> {
  return page.evaluate(() => document.body.dataset.currentElement ?? '');
}

async function stepTo(page: Page, subject: string): Promise<void> {
  await postMessage(page, { type: 'trace', subnet: subject });
  await page.waitForFunction((s) => egressLensDebug.script?.subject === s, subject);
  await page.click('#btn-restart');
  await page.waitForFunction(() => document.body.dataset.step === '-1');
}

describe('topology webview (headless Chromium)', function () {
  // Generous: layout runs in a worker and CI machines are often loaded; the bench measures speed.
  this.timeout(600_000);
  let h: Harness;
  const examples = exampleNames();
  const results = new Map<string, AnalysisResult>();

  before(async () => {
    mkdirSync(OUT, { recursive: true });
    h = await launch();
    for (const name of examples) {
      try {
        results.set(name, await exampleResult(name));
      } catch (e) {
        // The core is written by other engineers at the same time; say why an example is missing.
        console.warn(`    (example ${name} not analysable: ${(e as Error).message})`);
      }
    }
  });
  after(async () => {
    await h?.close();
  });

  afterEach(function () {
    assert.deepEqual(h.strayRequests, [], 'the page requested nothing outside the bundle and stylesheet');
  });

  it('analyses the example workspaces with the real core', () => {
    assert.ok(results.size >= 3, `expected the examples to analyse, got ${[...results.keys()].join(', ')}`);
    assert.ok(results.has('aws-distributed-egress-asymmetric'), 'the asymmetric distributed egress example is there');
  });

  it('draws every resource, hop and path edge of each example, and nothing else', async () => {
    const page = await openPage(h);
    for (const [name, r] of results) {
      await postResult(page, r);
      const d = await drawn(page);
      const ids = new Set(d.nodes.map((n) => n.id));
      // The node that draws each element: itself, or (the GWLB service target several endpoints
      // reach) the one node drawn for all of them.
      const repOf = new Map<string, string>(await page.evaluate(() => [...egressLensDebug.graph.repOf.entries()] as [string, string][]));
      const rep = (id: string): string => repOf.get(id) ?? id;
      const hopIds = new Set(traces(r).flatMap((t) => t.hops.map(hopNode)));
      for (const e of r.model.elements) {
        // A resource packets are sent to that is not modelled (a vendor firewall's endpoints) is drawn where it is placed.
        const placedEndpoint = e.kind === 'unmodelled' && e.role === 'endpoint' && e.touches.length > 0;
        // A Virtual WAN hub (not modelled itself) that a firewall, gateway, routing intent or VNet connection names
        // is a box, and its VPN gateway a chip in it.
        const hubs = new Set(
          r.model.elements.flatMap((x) =>
            x.kind === 'firewall'
              ? [x.virtualHub]
              : x.kind === 'virtualHubConnection' || x.kind === 'hubVpnGateway' || x.kind === 'routingIntent'
                ? [x.hub]
                : [],
          ),
        );
        const virtualHub =
          (e.kind === 'unmodelled' && e.resourceType === 'azurerm_virtual_hub' && hubs.has(e.id)) || e.kind === 'hubVpnGateway';
        if (DRAWN.has(e.kind) || placedEndpoint || virtualHub) assert.ok(ids.has(e.id), `${name}: ${e.kind} ${e.id} is drawn`);
        else if (!hopIds.has(e.id)) assert.ok(!ids.has(e.id), `${name}: ${e.kind} ${e.id} is not a node`);
      }
      for (const hop of hopIds) assert.ok(ids.has(rep(hop)), `${name}: hop ${hop} has a node`);
      const modelIds = new Set(r.model.elements.map((e) => e.id));
      const badgeOf = new Map<string, string>(
        await page.evaluate(() => egressLensDebug.graph.nodes.filter((n: any) => n.badge).map((n: any) => [n.id, n.element])),
      );
      for (const n of d.nodes) {
        if (modelIds.has(n.id) || hopIds.has(n.id)) continue;
        // A route table shared by several subnets has a badge on each: the copies draw the same table.
        if (n.kind === 'routeTable' && modelIds.has(badgeOf.get(n.id) ?? '')) continue;
        if (n.kind === 'gwlbFirewall' && [...hopIds].some((h) => rep(h) === n.id)) continue;
        // An unmodelled endpoint placed in several subnets has a chip in each: `<element>@<subnet>`.
        if (n.kind === 'unmodelled' && modelIds.has(n.id.split('@')[0])) continue;
        assert.ok(['az', 'group', 'vpc', 'internet'].includes(n.kind), `${name}: extra node ${n.id} is a container (${n.kind})`);
      }
      const pathEdges = new Set(d.edges.filter((e) => e.kind === 'path').map((e) => `${e.source}->${e.target}`));
      // A hop into the box that contains it (VPC -> its spoke gateway) is drawn as containment, not an edge.
      const parentOf = new Map<string, string>(
        await page.evaluate(() => egressLensDebug.graph.nodes.filter((n: any) => n.parent).map((n: any) => [n.id, n.parent])),
      );
      const within = (a: string, b: string): boolean => {
        for (let cur = parentOf.get(a), k = 0; cur && k < 64; cur = parentOf.get(cur), k++) if (cur === b) return true;
        return false;
      };
      const expected = [
        ...new Set(
          [...expectedPathEdges(r)]
            .map((p) => p.split('->').map(rep))
            .filter(([a, b]) => a !== b && !within(a, b) && !within(b, a))
            .map(([a, b]) => `${a}->${b}`),
        ),
      ];
      assert.deepEqual([...pathEdges].sort(), expected.sort(), `${name}: path edges are exactly the consecutive hop pairs`);
      const counts = await page.evaluate(() => ({
        nodes: Number(document.body.dataset.nodes),
        edges: Number(document.body.dataset.edges),
      }));
      assert.equal(counts.nodes, d.nodes.length);
      assert.equal(counts.edges, d.edges.length);
    }
    assert.deepEqual(pageErrors(page), []);
    assert.deepEqual(await page.evaluate(() => window.__csp), [], 'no CSP violation');
    await page.close();
  });

  it('steps through exactly the hops of the trace, forward then return, and back', async () => {
    const r = results.get('aws-distributed-egress-asymmetric') ?? distributedEgressAsymmetricResult();
    const page = await openPage(h);
    await postResult(page, r);
    for (const e of r.egress.filter((x) => x.return)) {
      await stepTo(page, e.subnet);
      const expected = [...e.forward.hops, ...e.return!.hops].map((x) => x.element);
      const seen: string[] = [];
      for (let i = 0; i < expected.length; i++) {
        await page.click('#btn-step-fwd');
        seen.push(await currentHop(page));
      }
      assert.deepEqual(seen, expected, `${e.subnet}: hops in order`);
      await page.click('#btn-step-fwd');
      assert.equal(await currentHop(page), expected[expected.length - 1], 'stepping past the end stays on the last hop');
      await page.click('#btn-step-back');
      assert.equal(await currentHop(page), expected[expected.length - 2]);
      // Narration: one item per hop, each the hop's own note, as text.
      const notes = await page.$$eval('#narration li.hop .text', (els) => els.map((x) => x.textContent));
      assert.deepEqual(
        notes,
        [...e.forward.hops, ...e.return!.hops].map((x) => x.note),
      );
    }
    // Forward-only mode walks the forward leg alone.
    const e = r.egress[0];
    await page.selectOption('#mode', 'forward').catch(async () => {
      await page.evaluate(() => {
        const m = document.getElementById('mode');
        m.value = 'forward';
        m.dispatchEvent(new Event('change'));
      });
    });
    await stepTo(page, e.subnet);
    assert.equal(await page.$$eval('#narration li.hop', (els) => els.length), e.forward.hops.length);
    await page.close();
  });

  it('draws the asymmetric return leg in red and marks the diverging hop', async () => {
    const r = results.get('aws-distributed-egress-asymmetric') ?? distributedEgressAsymmetricResult();
    const e = r.egress.find((x) => x.divergence && x.return);
    assert.ok(e, 'the asymmetric example has a divergent return');
    const page = await openPage(h, { theme: 'dark' });
    await postResult(page, r);
    await stepTo(page, e.subnet);
    const d = await drawn(page);
    const ret = e.return!.hops.map(hopNode);
    const div = e.divergence!.returnHop;
    const asymEdges = new Set<string>();
    for (let i = div + 1; i < ret.length; i++) if (ret[i - 1] !== ret[i]) asymEdges.add(`p:${ret[i - 1]}->${ret[i]}`);
    assert.ok(asymEdges.size > 0);
    for (const edge of d.edges) {
      const isAsym = edge.classes.includes('asym');
      assert.equal(isAsym, asymEdges.has(edge.id), `edge ${edge.id} asym=${asymEdges.has(edge.id)}`);
      if (isAsym) assert.equal(edge.colour, 'rgb(248,81,73)', 'asymmetric edges use the theme error colour (dark: #f85149)');
    }
    const divergeNode = d.nodes.find((n) => n.classes.includes('diverge'));
    assert.equal(divergeNode?.id, ret[div], 'the diverging hop is marked');
    const flag = await page.textContent('#narration li.diverge .flag');
    assert.match(flag ?? '', /diverges/);
    // The symmetric subnet of the same VPC has no red edge.
    const sym = r.egress.find((x) => !x.divergence && x.return && x.forward.inspectedBy.length);
    if (sym) {
      await stepTo(page, sym.subnet);
      assert.equal((await drawn(page)).edges.filter((x) => x.classes.includes('asym')).length, 0);
    }
    await page.close();
  });

  it('posts reveal with the element location when a node is clicked, and for a hop on Enter', async () => {
    const r = results.get('aws-distributed-egress-ok') ?? distributedEgressResult();
    const page = await openPage(h);
    await postResult(page, r);
    const target = r.model.elements.find((e) => e.kind === 'natgw')!;
    await page.evaluate(() => {
      egressLensDebug.cy.fit(undefined, 30);
    });
    const pos = await page.evaluate((id) => {
      const n = egressLensDebug.cy.getElementById(id);
      const box = document.getElementById('graph').getBoundingClientRect();
      const p = n.renderedPosition();
      return { x: box.left + p.x, y: box.top + p.y };
    }, target.id);
    await clearPosted(page);
    await page.mouse.click(pos.x, pos.y);
    await page.waitForFunction(() => window.__posted.some((m: any) => m.type === 'reveal'));
    const reveal = (await posted(page)).find((m): m is Extract<WebviewToHost, { type: 'reveal' }> => m.type === 'reveal');
    assert.deepEqual(reveal, { type: 'reveal', location: target.loc, element: target.id });

    // Keyboard: Tab into the narration, arrow to the second hop, Enter reveals that hop's source.
    const e = r.egress[0];
    await stepTo(page, e.subnet);
    await clearPosted(page);
    await page.focus('#narration li.hop[tabindex="0"]');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => window.__posted.some((m: any) => m.type === 'reveal'));
    const hop = e.forward.hops[1];
    const msg = (await posted(page)).find((m) => m.type === 'reveal');
    assert.deepEqual(msg, { type: 'reveal', location: hop.loc, element: hop.element });
    assert.equal(await currentHop(page), hop.element, 'the arrow key moved the animation too');
    await page.close();
  });

  it('focus selects and centres the element (or its container), filters hide other VPCs', async () => {
    const r = results.get('aws-distributed-egress-asymmetric') ?? distributedEgressAsymmetricResult();
    const page = await openPage(h);
    await postResult(page, r);
    const igw = r.model.elements.find((e) => e.kind === 'igw')!;
    await postMessage(page, { type: 'focus', element: igw.id });
    await page.waitForFunction((id) => document.body.dataset.focused === id, igw.id);
    assert.equal(await page.evaluate((id) => egressLensDebug.cy.getElementById(id).selected(), igw.id), true);
    // A route that is no node (an association) focuses its route table.
    const assoc = r.model.elements.find((e) => e.kind === 'rtAssociation' && typeof e.routeTable === 'string');
    if (assoc && assoc.kind === 'rtAssociation') {
      await postMessage(page, { type: 'focus', element: assoc.id });
      await page.waitForFunction((id) => document.body.dataset.focused === id, assoc.routeTable as string);
    }
    const vpcs = r.model.elements.filter((e) => e.kind === 'vpc');
    const keep = vpcs[0];
    await page.evaluate((id) => {
      const d = document.getElementById('filter-vpc');
      d.value = id;
      d.dispatchEvent(new Event('change'));
    }, keep.id);
    const hidden = await page.evaluate(() => egressLensDebug.cy.nodes('.filtered').map((n: any) => n.id()));
    for (const v of vpcs.slice(1)) assert.ok(hidden.includes(v.id), `${v.id} is filtered out`);
    assert.ok(!hidden.includes(keep.id));
    await page.close();
  });

  it('animates a flow simulation with the verdict at the enforcement point', async function () {
    const r = results.get('aviatrix-dcf');
    if (!r || !r.simulations.length) return this.skip();
    const page = await openPage(h);
    await postResult(page, r);
    const sim = r.simulations[r.simulations.length - 1];
    await postMessage(page, { type: 'simulation', simulation: sim });
    await page.waitForFunction(() => egressLensDebug.script?.title?.startsWith('Flow'));
    await page.click('#btn-restart');
    for (let i = 0; i < sim.forward.hops.length; i++) await page.click('#btn-step-fwd');
    const v = sim.verdicts[0];
    const cls = await page.evaluate((id) => egressLensDebug.cy.getElementById(id).classes(), v.at);
    assert.ok(cls.includes(v.decision === 'allow' ? 'allow' : 'deny'), `verdict ${v.decision} shown on ${v.at}: ${cls}`);
    const text = await page.textContent(`#narration li.verdict-${v.decision}`);
    assert.ok(text?.includes(v.reason));
    assert.match((await page.textContent('#side-summary')) ?? '', new RegExp(sim.outcome.toUpperCase()));
    await page.close();
  });

  it('names the egress design in the narration (inspection before NAT, centralized via TGW, hub-spoke)', async () => {
    const page = await openPage(h);
    const designs: Record<string, string> = {
      'aws-inspection-before-nat': 'distributed, GWLB, inspection before NAT',
      'aws-distributed-egress-ok': 'distributed, GWLB, inspection after NAT',
      'aws-centralized-tgw-inspection': 'centralized via TGW, AWS Network Firewall, inspection before NAT',
      'azure-hub-spoke-nva': 'hub-spoke through the hub firewall',
    };
    for (const [name, design] of Object.entries(designs)) {
      const r = results.get(name);
      assert.ok(r, name);
      await postResult(page, r);
      await stepTo(page, r.egress[0].subnet);
      assert.match((await page.textContent('#side-summary')) ?? '', new RegExp(`design: ${design}$`), name);
    }
    await page.close();
  });

  it('renders hostile names as text and runs nothing (XSS)', async () => {
    const r = xssResult();
    for (const inline of [false, true]) {
      const page = await openPage(h, { inline });
      await postResult(page, r);
      await stepTo(page, r.egress[0].subnet);
      await page.click('#btn-step-fwd');
      const vpcNode = r.model.elements.find((e) => e.kind === 'vpc' && e.name === XSS_NAME)!;
      // Hover for the details card, which is DOM.
      await page.evaluate((id) => {
        egressLensDebug.cy.getElementById(id).emit('mouseover');
      }, vpcNode.id);
      const state = await page.evaluate(() => ({
        imgs: document.querySelectorAll('img').length,
        svgs: [...document.querySelectorAll('svg')].filter((s: any) => !s.closest('vscode-dropdown, vscode-checkbox, vscode-button'))
          .length,
        scripts: [...document.querySelectorAll('script')].map((s: any) => s.src || 'inline').length,
        narration: document.getElementById('narration').textContent,
        tooltip: document.getElementById('tooltip').textContent,
        alerts: window.__alerts,
        csp: window.__csp,
        label: egressLensDebug.cy
          .nodes()
          .map((n: any) => n.data('label'))
          .join('\n'),
      }));
      assert.equal(state.imgs, 0, 'no <img> was created');
      assert.equal(state.svgs, 0, 'no <svg> was created');
      assert.equal(state.scripts, 1, 'only the bundle script exists');
      assert.ok(state.narration.includes(XSS_NAME), 'the narration shows the name as text');
      assert.ok(state.tooltip.includes(XSS_NAME), 'the hover card shows the name as text');
      assert.ok(state.label.includes(XSS_NAME), 'the graph label is the literal text');
      assert.deepEqual(state.alerts, []);
      assert.deepEqual(state.csp, []);
      assert.deepEqual(pageErrors(page), []);
      // The SVG export escapes it too: it parses as XML and carries the name as text only.
      await clearPosted(page);
      await clickInMenu(page, '#btn-svg');
      await page.waitForFunction(() => window.__posted.some((m: any) => m.type === 'export'));
      const exp = (await posted(page)).find((m) => m.type === 'export') as Extract<WebviewToHost, { type: 'export' }>;
      assert.equal(exp.format, 'svg');
      const parsed = await page.evaluate((svg) => {
        const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
        return {
          error: doc.querySelector('parsererror')?.textContent ?? '',
          imgs: doc.querySelectorAll('img, script, foreignObject').length,
          text: doc.documentElement.textContent,
        };
      }, exp.data);
      assert.equal(parsed.error, '');
      assert.equal(parsed.imgs, 0);
      assert.ok(parsed.text.includes(XSS_NAME));
      await page.close();
    }
  });

  it('ignores malformed host messages', async () => {
    const page = await openPage(h);
    await postResult(page, distributedEgressResult());
    const before = await page.evaluate(() => document.body.dataset.renders);
    for (const m of [
      { type: 'result', result: { version: 2 } },
      { type: 'trace' },
      { type: 'focus', element: 42 },
      { type: 'eval', code: 'alert(1)' },
      null,
      'result',
    ])
      await postMessage(page, m);
    await page.waitForTimeout(100);
    assert.equal(await page.evaluate(() => document.body.dataset.renders), before);
    assert.deepEqual(await page.evaluate(() => window.__alerts), []);
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  });

  it('exports PNG and SVG of the view', async () => {
    const page = await openPage(h, { theme: 'light' });
    await postResult(page, results.get('aws-distributed-egress-ok') ?? distributedEgressResult());
    await clearPosted(page);
    await clickInMenu(page, '#btn-png');
    await clickInMenu(page, '#btn-svg');
    await page.waitForFunction(() => window.__posted.filter((m: any) => m.type === 'export').length === 2);
    const [png, svg] = (await posted(page)).filter((m): m is Extract<WebviewToHost, { type: 'export' }> => m.type === 'export');
    assert.equal(png.format, 'png');
    assert.match(png.data, /^data:image\/png;base64,/);
    const pngBytes = Buffer.from(png.data.split(',')[1], 'base64');
    const stats = await pixelStats(h, pngBytes);
    assert.ok(stats.variance > 20, `exported PNG is not blank (variance ${stats.variance.toFixed(1)})`);
    assert.equal(svg.format, 'svg');
    const nodes = await page.evaluate(() => egressLensDebug.cy.nodes().length);
    const shapes = (svg.data.match(/<(rect|ellipse|polygon) /g) ?? []).length;
    assert.ok(shapes >= nodes, `SVG has a shape per node (${shapes} >= ${nodes})`);
    writeFileSync(join(OUT, 'export-aws-distributed-egress-ok.svg'), svg.data);
    writeFileSync(join(OUT, 'export-aws-distributed-egress-ok.png'), pngBytes);
    await page.close();
  });

  it('collapses a large estate to VPC level and expands a VPC on demand', async () => {
    const { syntheticResult } = await import('./fixtures/synthetic');
    const r = syntheticResult(60);
    const page = await openPage(h);
    await postResult(page, r);
    const g = await page.evaluate(() => ({
      collapsed: egressLensDebug.graph.collapsed,
      vpcs: egressLensDebug.cy.nodes('[kind = "vpcCollapsed"]').length,
      nodes: egressLensDebug.cy.nodes().length,
    }));
    assert.equal(g.collapsed, true);
    assert.equal(g.vpcs, 61, '60 workload VPCs and the inspection VPC');
    const vpc = r.model.elements.find((e) => e.kind === 'vpc')!;
    await page.evaluate((id) => {
      egressLensDebug.cy.getElementById(id).emit('dbltap');
    }, vpc.id);
    // Expanded: the VPC is drawn as a box again, with its subnets.
    await page.waitForFunction((id) => egressLensDebug.cy.getElementById(id).data('kind') === 'vpc', vpc.id, { timeout: 60_000 });
    assert.ok(
      await page.evaluate((id) => egressLensDebug.graph.nodes.some((n: any) => n.vpc === id && n.id !== id), vpc.id),
      'what is inside it is drawn',
    );
    const after = await page.evaluate(() => egressLensDebug.cy.nodes('[kind = "vpcCollapsed"]').length);
    assert.equal(after, 60);
    // Tracing a subnet inside a collapsed VPC still walks every hop.
    const e = r.egress.find((x) => x.vpc !== vpc.id)!;
    await stepTo(page, e.subnet);
    const steps = await page.evaluate(() => egressLensDebug.script.steps.length);
    assert.equal(steps, e.forward.hops.length + (e.return?.hops.length ?? 0));
    await page.close();
  });

  it('lays out a ~1,000-node estate in full: every node placed, no two VPC boxes or leaves overlap', async () => {
    const { syntheticResult } = await import('./fixtures/synthetic');
    const r = syntheticResult(62);
    const page = await openPage(h);
    await page.evaluate(() => egressLensDebug.setCollapseThreshold(1e9));
    await postResult(page, r);
    const out = await page.evaluate(() => {
      const cy = egressLensDebug.cy;
      const nodes = cy.nodes();
      const unplaced = nodes
        .filter((n: any) => !Number.isFinite(n.position('x')) || !Number.isFinite(n.position('y')))
        .map((n: any) => n.id());
      const box = (n: any) => n.boundingBox({ includeLabels: false, includeOverlays: false });
      const overlaps = (list: any[]): string[] => {
        const bb = list.map((n) => ({ id: n.id(), b: box(n) }));
        const hits: string[] = [];
        for (let i = 0; i < bb.length; i++)
          for (let j = i + 1; j < bb.length; j++) {
            const a = bb[i].b;
            const b = bb[j].b;
            if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) hits.push(`${bb[i].id} / ${bb[j].id}`);
          }
        return hits;
      };
      return {
        nodes: nodes.length,
        collapsed: egressLensDebug.graph.collapsed,
        unplaced,
        vpcs: cy.nodes('[kind = "vpc"]').length,
        vpcOverlaps: overlaps(cy.nodes('[kind = "vpc"]').toArray()),
        // Leaves: the resources and subnets (the reference layout draws its boxes flat: they are not leaves).
        leafOverlaps: overlaps(cy.nodes(':childless[!box]').toArray()).slice(0, 5),
        patched: egressLensDebug.cytoscapePatched,
        // The replaced cytoscape internals answer as the originals do, element by element.
        differ: cy
          .elements()
          .filter((e: any) => {
            const o = egressLensDebug.cytoscapeOriginals;
            const ids = (c: any) => c.map((x: any) => x.id()).join(',');
            return ids(o.parents.call(e)) !== ids(e.parents()) || o.zDepth.call(e) !== e.zDepth();
          })
          .map((e: any) => e.id()),
        // dirtyStyleCache: the set of elements whose style memo it clears is the original's, for single
        // nodes at every depth, single edges, and mixed collections of nodes and edges.
        styleCacheDiffer: (() => {
          const o = egressLensDebug.cytoscapeOriginals;
          const all = cy.elements();
          const cleared = (fn: any, coll: any): string => {
            all.forEach((e: any) => (e._private.styleCache = { sentinel: true }));
            fn.call(coll);
            return all
              .filter((e: any) => e._private.styleCache === null)
              .map((e: any) => e.id())
              .sort()
              .join(',');
          };
          const probes: any[] = [];
          const list = all.toArray();
          for (let i = 0; i < list.length; i += 7) probes.push(cy.collection([list[i]]));
          for (let i = 0; i + 3 < list.length; i += 53) probes.push(cy.collection([list[i], list[i + 1], list[i + 2], list[i + 3]]));
          probes.push(cy.edges().slice(0, 20), cy.nodes(':parent').slice(0, 5).union(cy.edges().slice(0, 5)));
          const bad = probes
            .filter((c: any) => cleared(o.dirtyStyleCache, c) !== cleared(c.dirtyStyleCache, c))
            .map((c: any) => c.map((x: any) => x.id()).join('+'));
          all.forEach((e: any) => (e._private.styleCache = null));
          return { probes: probes.length, bad };
        })(),
      };
    });
    assert.equal(out.collapsed, false, 'drawn in full');
    assert.ok(out.nodes >= 950, `~1,000 nodes drawn (${out.nodes})`);
    assert.equal(out.vpcs, 63, '62 workload VPCs and the inspection VPC');
    assert.deepEqual(out.unplaced, [], 'every node has a finite position');
    assert.deepEqual(out.vpcOverlaps, [], 'no two VPC boxes overlap');
    assert.deepEqual(out.leafOverlaps, [], 'no two leaf nodes overlap');
    assert.deepEqual(out.patched, ['dirtyStyleCache', 'parents', 'zDepth'], 'the cytoscape speed-ups are installed');
    assert.deepEqual(out.differ, [], 'and give the same answers as the originals');
    assert.ok(out.styleCacheDiffer.probes > 100, `dirtyStyleCache compared on ${out.styleCacheDiffer.probes} collections`);
    assert.deepEqual(out.styleCacheDiffer.bad, [], 'dirtyStyleCache clears exactly the memos the original clears');
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  });

  it('still lays out with ELK on request (the engine small estates used before)', async () => {
    const r = results.get('aws-distributed-egress-ok') ?? [...results.values()][0];
    const page = await openPage(h);
    await page.evaluate(() => egressLensDebug.setLayoutEngine('elk'));
    await postResult(page, r);
    const out = await page.evaluate(() => ({
      engine: document.body.dataset.layoutEngine,
      unplaced: egressLensDebug.cy.nodes().filter((n: any) => !Number.isFinite(n.position('x')) || !Number.isFinite(n.position('y')))
        .length,
      distinct: new Set(
        egressLensDebug.cy.nodes(':childless').map((n: any) => `${Math.round(n.position('x'))},${Math.round(n.position('y'))}`),
      ).size,
      leaves: egressLensDebug.cy.nodes(':childless').length,
    }));
    assert.equal(out.engine, 'elk');
    assert.equal(out.unplaced, 0);
    assert.equal(out.distinct, out.leaves, 'every leaf has its own place');
    await page.close();
  });

  describe('screenshots (test-output/)', () => {
    const themes: ThemeName[] = ['light', 'dark'];
    for (const theme of [...themes, 'hc' as ThemeName]) {
      it(`each example in ${theme} is drawn and not blank`, async function () {
        const names = theme === 'hc' ? [...results.keys()].slice(0, 2) : [...results.keys()];
        if (!names.length) return this.skip();
        const page = await openPage(h, { theme });
        for (const name of names) {
          const r = results.get(name)!;
          await postResult(page, r);
          const e = r.egress.find((x) => x.divergence) ?? r.egress.find((x) => x.return) ?? r.egress[0];
          if (e) {
            await stepTo(page, e.subnet);
            const total = await page.evaluate(() => egressLensDebug.script.steps.length);
            for (let i = 0; i < total; i++) await page.evaluate(() => egressLensDebug.player.forward());
          }
          await setTheme(page, theme);
          await page.waitForTimeout(150);
          const file = join(OUT, `${name}-${theme}.png`);
          const png = await page.screenshot({ path: file });
          const graph = await page.locator('#graph').screenshot();
          const s = await pixelStats(h, graph);
          assert.ok(
            s.variance > 15 && s.distinct > 30,
            `${name} ${theme}: graph not blank (variance ${s.variance.toFixed(1)}, ${s.distinct} colours)`,
          );
          assert.ok(png.length > 10_000);
        }
        assert.deepEqual(pageErrors(page), []);
        await page.close();
      });
    }
  });
});
