// The topology of the designs the field corpus holds, as a network engineer reads it (session 13's look at
// the field roots' drawings, test/fixtures/drawing/*: our own small inputs modelled on those designs): each
// firewall where it is deployed and told apart from its twins, the status line readable over a drawing that
// reaches the canvas's bottom edge.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { AnalysisResult } from '../../src/analysis/types';
import { exampleResult, folderResult } from './examples';
import { tgwEstateResult } from './fixtures/tgwEstate';
import { launch, openPage, pageErrors, postResult, type Harness, type ThemeName } from './harness';

/* eslint-disable @typescript-eslint/no-explicit-any */
declare const egressLensDebug: any;
declare const document: any;
declare const getComputedStyle: any;

const fixture = (name: string): Promise<AnalysisResult> => folderResult(`test/fixtures/drawing/${name}`);

/** WCAG 2 contrast ratio of two opaque `rgb()` colours. */
function contrast(a: string, b: string): number {
  const lum = (c: string): number => {
    const [r, g, bl] = (c.match(/[\d.]+/g) ?? ['0', '0', '0']).slice(0, 3).map((x) => {
      const v = Number(x) / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** The result drawn at 1280x800 in a fresh page of the theme, the animation paused. */
async function drawn(h: Harness, result: AnalysisResult, theme: ThemeName): Promise<Page> {
  const page = await openPage(h, { theme });
  await page.setViewportSize({ width: 1280, height: 800 });
  await postResult(page, result);
  await page.evaluate(() => egressLensDebug.player?.pause());
  return page;
}

describe('field designs as drawn (headless Chromium, 1280x800)', function () {
  this.timeout(300_000);
  let h: Harness;
  let hubNva: AnalysisResult;
  before(async () => {
    h = await launch();
    hubNva = await fixture('azure-hub-nva-modules');
  });
  after(async () => {
    await h?.close();
  });

  it('keeps the status line readable where the drawing runs under it, in the light and the dark theme', async () => {
    for (const theme of ['light', 'dark'] as const) {
      const page = await drawn(h, hubNva, theme);
      const out = await page.evaluate(() => {
        const s = document.getElementById('status');
        const r = s.getBoundingClientRect();
        const cy = egressLensDebug.cy;
        const g = document.getElementById('graph').getBoundingClientRect();
        // The drawn boxes and chips that reach under the status line (rendered coordinates, page-relative).
        const under = cy
          .nodes()
          .filter((n: any) => n.visible())
          .map((n: any) => n.renderedBoundingBox({ includeLabels: false }))
          .filter((b: any) => g.left + b.x1 < r.right && g.left + b.x2 > r.left && g.top + b.y1 < r.bottom && g.top + b.y2 > r.top).length;
        return {
          text: s.textContent,
          under,
          background: getComputedStyle(s).backgroundColor,
          page: getComputedStyle(document.body).backgroundColor,
          colour: getComputedStyle(s).color,
          paintsOver: Number(getComputedStyle(s).zIndex) > 0,
        };
      });
      assert.match(out.text, /\d+ nodes, \d+ edges/, `${theme}: the status line is shown`);
      assert.ok(out.under > 0, `${theme}: the fixture's drawing reaches under the status line (the case to check)`);
      assert.equal(out.background, out.page, `${theme}: the status line sits on a plate of the page's background, not on the drawing`);
      assert.ok(out.paintsOver, `${theme}: the plate is painted over the canvas`);
      assert.ok(
        contrast(out.colour, out.background) >= 4.5,
        `${theme}: its text reads at 4.5:1 or more (${out.colour} on ${out.background})`,
      );
      assert.deepEqual(pageErrors(page), []);
      await page.close();
    }
  });

  it("tells a module's twin NVAs apart: each NIC chip named with its instance, in its own subnet", async () => {
    const page = await drawn(h, hubNva, 'dark');
    const chips = await page.evaluate(() =>
      egressLensDebug.cy.nodes('[kind = "firewall"]').map((n: any) => {
        const b = n.boundingBox({ includeLabels: false });
        const p = egressLensDebug.cy.getElementById(n.data('parentBox')).boundingBox({ includeLabels: false });
        return {
          label: n.data('label'),
          parent: egressLensDebug.cy.getElementById(n.data('parentBox')).data('label'),
          inside: b.x1 >= p.x1 && b.x2 <= p.x2 && b.y1 >= p.y1 && b.y2 <= p.y2,
        };
      }),
    );
    assert.deepEqual(
      chips.map((c: any) => c.label).sort(),
      ['nva[0]/private-nic', 'nva[0]/public-nic', 'nva[1]/private-nic', 'nva[1]/public-nic'],
      'four firewall chips, no two with one label',
    );
    for (const c of chips) {
      assert.match(c.parent, c.label.endsWith('private-nic') ? /^snet-nva-private\n/ : /^snet-nva-public\n/, `${c.label} in its subnet`);
      assert.ok(c.inside, `${c.label} is drawn inside its subnet's box`);
    }
    // The narration's firewall hop and the hover card keep the element's own name and address.
    const card = await page.evaluate(
      () => egressLensDebug.graph.nodes.find((n: any) => n.element === 'module.nva[1].azurerm_network_interface.private').details,
    );
    assert.deepEqual(card.slice(0, 4), [
      ['kind', 'firewall'],
      ['name', 'private-nic'],
      ['instance', 'nva[1]'],
      ['id', 'module.nva[1].azurerm_network_interface.private'],
    ]);
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  });

  it('tells twin VNets of one module apart: each box named with its module, its hover card with the instance', async () => {
    const twins = await fixture('azure-vnet-module-twins');
    const page = await drawn(h, twins, 'dark');
    const boxes = await page.evaluate(() =>
      egressLensDebug.cy.nodes('[kind = "vpc"]').map((n: any) => ({ id: n.id(), label: n.data('label') as string })),
    );
    assert.deepEqual(
      boxes.map((b: any) => b.label.split('\n')[0]).sort(),
      ['VNet hub-vnet/vnet', 'VNet spoke-vnet/vnet'],
      'two VNet boxes, no two with one name',
    );
    const card = await page.evaluate(
      () => egressLensDebug.graph.nodes.find((n: any) => n.element === 'module.spoke-vnet.azurerm_virtual_network.vnet').details,
    );
    assert.deepEqual(card.slice(0, 3), [
      ['kind', 'VPC'],
      ['name', 'VNet vnet'],
      ['instance', 'spoke-vnet'],
    ]);
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  });

  it('draws a Virtual WAN hub as a box in its region, its firewall inside it, a labelled line to each VNet connected to it', async () => {
    const wan = await fixture('azure-vwan-secured-hub');
    for (const theme of ['light', 'dark'] as const) {
      const page = await drawn(h, wan, theme);
      const d = await page.evaluate(() => {
        const cy = egressLensDebug.cy;
        const box = (id: string) => {
          const n = cy.getElementById(id);
          return n.nonempty()
            ? { ...n.boundingBox({ includeLabels: false }), label: n.data('label'), parent: n.data('parentBox') }
            : undefined;
        };
        const labels = cy
          .elements()
          .filter((e: any) => e.visible() && e.data('label') && e.style('label') !== '')
          .map((e: any) => ({ id: e.id(), b: e.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true }) }));
        return {
          weu: box('azurerm_virtual_hub.weu'),
          neu: box('azurerm_virtual_hub.neu'),
          fw: box('azurerm_firewall.weu'),
          app: box('azurerm_virtual_network.app'),
          data: box('azurerm_virtual_network.data'),
          branch: box('azurerm_virtual_network.branch'),
          groups: cy.nodes('[kind = "group"]').map((n: any) => ({ id: n.id(), label: n.data('label') })),
          conns: cy.edges('[kind = "peer"]').map((e: any) => ({
            id: e.id(),
            source: e.source().id(),
            target: e.target().id(),
            label: e.data('label'),
            lb: e.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true }),
          })),
          labels,
        };
      });
      assert.ok(d.weu && d.neu && d.fw && d.app && d.data && d.branch, `${theme}: both hubs, the firewall and the three VNets are drawn`);
      assert.equal(d.weu.label, 'Virtual hub vhub-weu\nVirtual WAN hub', `${theme}: the hub box is named`);
      assert.equal(d.neu.label, 'Virtual hub vhub-neu\nVirtual WAN hub', `${theme}: the hub without a firewall is drawn too`);
      const region = (id: string | undefined) => d.groups.find((g: any) => g.id === id)?.label;
      assert.equal(region(d.weu.parent), 'azure \u00b7 westeurope', `${theme}: the secured hub is in its region, with its VNets`);
      assert.equal(region(d.neu.parent), 'azure \u00b7 northeurope', `${theme}: the other hub is in its own region`);
      assert.equal(region(d.app.parent), region(d.weu.parent));
      assert.equal(d.fw.parent, 'azurerm_virtual_hub.weu', `${theme}: the hub firewall is placed in its hub`);
      assert.ok(
        d.fw.x1 >= d.weu.x1 && d.fw.x2 <= d.weu.x2 && d.fw.y1 >= d.weu.y1 && d.fw.y2 <= d.weu.y2,
        `${theme}: the firewall is drawn inside the hub's box`,
      );
      for (const v of [d.app, d.data]) assert.ok(v.x2 < d.weu.x1, `${theme}: ${v.label.split('\n')[0]} is left of its hub`);
      assert.ok(d.branch.x2 < d.neu.x1, `${theme}: the branch VNet is left of its hub`);
      assert.deepEqual(
        d.conns.map((c: any) => `${c.source} -> ${c.target}: ${c.label}`).sort(),
        [
          'azurerm_virtual_network.app -> azurerm_virtual_hub.weu: hub connection',
          'azurerm_virtual_network.branch -> azurerm_virtual_hub.neu: hub connection',
          'azurerm_virtual_network.data -> azurerm_virtual_hub.weu: hub connection',
        ],
        `${theme}: one labelled line per hub connection`,
      );
      // Each line's label is on neither box: right of its VNet, off its hub and every other VNet.
      const meets = (a: any, b: any) => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
      for (const c of d.conns) {
        const v = c.source === 'azurerm_virtual_network.app' ? d.app : c.source === 'azurerm_virtual_network.data' ? d.data : d.branch;
        assert.ok(c.lb.x1 >= v.x2, `${theme}: ${c.id}'s label is right of its VNet`);
        for (const b of [d.weu, d.neu, d.app, d.data, d.branch]) assert.ok(!meets(c.lb, b), `${theme}: ${c.id}'s label is on no box`);
      }
      const hits: string[] = [];
      for (let i = 0; i < d.labels.length; i++)
        for (let j = i + 1; j < d.labels.length; j++) {
          const a = d.labels[i].b;
          const b = d.labels[j].b;
          if (a.x1 + 1 < b.x2 - 1 && b.x1 + 1 < a.x2 - 1 && a.y1 + 1 < b.y2 - 1 && b.y1 + 1 < a.y2 - 1)
            hits.push(`${d.labels[i].id} / ${d.labels[j].id}`);
        }
      assert.deepEqual(hits, [], `${theme}: no two labels overlap`);
      // The secured spoke's path: its subnet, the hub's firewall, the internet, and back through the firewall.
      const app = wan.egress.find((e) => e.subnet === 'azurerm_subnet.app')!;
      await page.evaluate((s) => (globalThis as any).postMessage({ type: 'trace', subnet: s }, '*'), app.subnet);
      await page.waitForFunction((s) => egressLensDebug.script?.subject === s, app.subnet);
      const nodes = await page.evaluate(() => egressLensDebug.script.steps.map((s: any) => s.node));
      assert.deepEqual(
        nodes,
        ['azurerm_subnet.app', 'azurerm_firewall.weu', 'internet', 'internet', 'azurerm_firewall.weu', 'azurerm_subnet.app'],
        `${theme}: the animated hops follow the trace, forward and return`,
      );
      assert.deepEqual(pageErrors(page), []);
      await page.close();
    }
  });

  it("draws a dual-stack subnet's IPv6 egress as its own path: a subject per family, through the egress-only IGW on the VPC's edge", async () => {
    const dual = await fixture('aws-dual-stack-eigw');
    const v6 = dual.egress.find((e) => e.subnet === 'aws_subnet.private_a' && e.family === 6)!;
    assert.ok(v6, "the fixture traces private-a's IPv6 egress");
    for (const theme of ['light', 'dark'] as const) {
      const page = await drawn(h, dual, theme);
      const options = await page.evaluate(() =>
        [...document.querySelectorAll('#subject > *')].map((o: any) => [o.getAttribute('value'), o.textContent]),
      );
      assert.deepEqual(
        options.filter(([v]: string[]) => v.startsWith('aws_subnet.private_a')),
        [
          ['aws_subnet.private_a', 'private-a \u00b7 IPv4'],
          ['aws_subnet.private_a:ipv6', 'private-a \u00b7 IPv6'],
        ],
        `${theme}: the subnet is listed once per family, each named by it`,
      );
      // The host asks for the IPv6 family; the animated hops are the egress-only IGW's, forward and return.
      await page.evaluate(() => (globalThis as any).postMessage({ type: 'trace', subnet: 'aws_subnet.private_a', family: 6 }, '*'));
      await page.waitForFunction(() => egressLensDebug.script?.subject === 'aws_subnet.private_a:ipv6');
      await page.evaluate(() => egressLensDebug.player.pause());
      const s = await page.evaluate(() => ({
        nodes: egressLensDebug.script.steps.map((x: any) => x.node),
        edges: egressLensDebug.script.steps.map((x: any) => x.edge).filter(Boolean),
        title: document.getElementById('side-title').textContent,
        summary: document.getElementById('side-summary').textContent,
        onPath: egressLensDebug.cy.edges('.onpath').map((e: any) => e.id()),
      }));
      assert.deepEqual(
        s.nodes,
        [
          'aws_subnet.private_a',
          'aws_egress_only_internet_gateway.eigw',
          'internet',
          'internet',
          'aws_egress_only_internet_gateway.eigw',
          'aws_subnet.private_a',
        ],
        `${theme}: the IPv6 path leaves by the egress-only IGW, passing no NAT gateway`,
      );
      assert.deepEqual(
        [...s.onPath].sort(),
        [...new Set(s.edges as string[])].sort(),
        `${theme}: every edge the path takes is drawn on it`,
      );
      assert.equal(s.title, 'Egress of private-a (IPv6)', `${theme}: the narration names the family`);
      assert.match(s.summary, /2600:1f18:4a2:7b10::\S* -> 2001:4860:4860::8888/, `${theme}: from the subnet's IPv6 prefix`);
      // The egress-only IGW sits on the VPC's top edge beside the IGW, under the internet.
      const g = await page.evaluate(() => {
        const cy = egressLensDebug.cy;
        const bb = (id: string) => cy.getElementById(id).boundingBox({ includeLabels: false });
        return {
          vpc: bb('aws_vpc.main'),
          eigw: bb('aws_egress_only_internet_gateway.eigw'),
          igw: bb('aws_internet_gateway.igw'),
          net: bb('internet'),
          vpcLabel: cy.getElementById('aws_vpc.main').data('label'),
        };
      });
      const mid = (b: any) => (b.y1 + b.y2) / 2;
      assert.ok(
        Math.abs(mid(g.eigw) - g.vpc.y1) < 4 && Math.abs(mid(g.igw) - g.vpc.y1) < 4,
        `${theme}: both gateways on the VPC's top edge`,
      );
      assert.ok(g.net.y2 < g.eigw.y1, `${theme}: the internet above the egress-only IGW`);
      assert.equal(g.vpcLabel, 'VPC vpc-dual\n10.20.0.0/16, 2600:1f18:4a2:7b00::/56 \u00b7 Unprotected', `${theme}: the IPv6 prefix whole`);
      // The IPv4 family of the same subnet is still its own path, through its NAT gateway.
      await page.evaluate(() => (globalThis as any).postMessage({ type: 'trace', subnet: 'aws_subnet.private_a' }, '*'));
      await page.waitForFunction(() => egressLensDebug.script?.subject === 'aws_subnet.private_a');
      const v4 = await page.evaluate(() => ({
        nodes: egressLensDebug.script.steps.map((x: any) => x.node),
        title: document.getElementById('side-title').textContent,
      }));
      assert.deepEqual(v4.nodes.slice(0, 4), ['aws_subnet.private_a', 'aws_nat_gateway.a', 'aws_internet_gateway.igw', 'internet']);
      assert.equal(v4.title, 'Egress of private-a (IPv4)');
      // A finding's trace id (the HTML report's finding rows post it) names the IPv6 family too.
      await page.evaluate((t) => (globalThis as any).postMessage({ type: 'trace', subnet: t }, '*'), v6.forward.id);
      await page.waitForFunction(() => egressLensDebug.script?.subject === 'aws_subnet.private_a:ipv6');
      // Keyboard: on the graph, Home restarts and Right steps to the egress-only IGW.
      await page.evaluate(() => egressLensDebug.player.pause());
      await page.focus('#graph');
      await page.keyboard.press('Home');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      assert.equal(await page.evaluate(() => document.body.dataset.currentNode), 'aws_egress_only_internet_gateway.eigw');
      assert.deepEqual(pageErrors(page), []);
      await page.close();
    }
  });

  it("draws a Network Firewall's positional endpoint picks as the firewall: one chip per endpoint, CloudFormation names cut at their tag's end", async () => {
    // Field (aws-networkfirewall-cfn-templates): routes to `!Select [N, !GetAtt Firewall.EndpointIds]` (the AZ not
    // decided) drew an `EndpointIds[N]` chip each beside the endpoints in the firewall subnets: four endpoints
    // read where the firewall has two.
    const r = await fixture('nfw-endpoint-pick');
    const P = 'cfn:test/fixtures/drawing/nfw-endpoint-pick/template.yaml#';
    const picks = new Set(
      r.egress
        .flatMap((e) => [e.forward, ...(e.return ? [e.return] : [])])
        .flatMap((t) => t.hops.map((x) => x.element).filter((x) => x.includes('#EndpointIds['))),
    );
    assert.deepEqual(
      [...picks].sort(),
      [`${P}Firewall#EndpointIds[0]`, `${P}Firewall#EndpointIds[1]`],
      'the fixture routes to positional picks',
    );
    for (const theme of ['light', 'dark'] as const) {
      const page = await drawn(h, r, theme);
      const d = await page.evaluate(() => {
        const cy = egressLensDebug.cy;
        return {
          endpoints: cy.nodes('[kind = "gwlbe"]').map((n: any) => [n.id(), n.data('label'), n.data('parentBox')]),
          ids: cy.nodes().map((n: any) => n.id()),
          labels: cy.nodes().map((n: any) => n.data('label')),
        };
      });
      assert.deepEqual(
        d.endpoints.map((x: string[]) => [x[1], x[2]]).sort(),
        [
          ['Firewall/\nInspectionSubnetA', `${P}InspectionSubnetA`],
          ['Firewall/\nInspectionSubnetB', `${P}InspectionSubnetB`],
        ],
        `${theme}: two endpoint chips, each in its firewall subnet`,
      );
      assert.ok(!d.ids.some((id: string) => id.includes('#EndpointIds[')), `${theme}: no chip of its own for a pick`);
      // A quoted Name tag is cut at its end, never in its middle.
      assert.ok(d.labels.includes('AppSubnetA "app-subnet-a-{StackNam\u2026"\n10.60.10.0/24'), `${theme}: the tag cut at its end`);
      for (const l of d.labels as string[])
        for (const line of l.split('\n'))
          assert.doesNotMatch(line, /"\u2026|\u2026[^"]+"/, `${theme}: ${line}: no quote cut in its middle`);
      await page.evaluate((s) => (globalThis as any).postMessage({ type: 'trace', subnet: s }, '*'), `${P}AppSubnetA`);
      await page.waitForFunction((s) => egressLensDebug.script?.subject === s, `${P}AppSubnetA`);
      const steps: string[][] = await page.evaluate(
        (p: string) => egressLensDebug.script.steps.map((x: any) => [x.hop.element, x.node].map((id: string) => id.replace(p, ''))),
        P,
      );
      assert.deepEqual(
        steps.slice(0, 6),
        [
          ['AppSubnetA', 'AppSubnetA'],
          ['Firewall#EndpointIds[0]', 'Firewall'],
          ['Firewall', 'Firewall'],
          ['Firewall#EndpointIds[0]', 'Firewall'],
          ['Igw', 'Igw'],
          ['internet', 'internet'],
        ],
        `${theme}: the pick's hops light the firewall`,
      );
      assert.deepEqual(pageErrors(page), []);
      await page.close();
    }
  });

  it('follows the packet to the edge of a drawing bigger than the panel without showing empty canvas past that edge', async () => {
    // Field: the inspection-before-NAT templates' egress walked to the internet at the drawing's top, the
    // camera centred it and the panel's upper half showed nothing. The generated estate is wider and taller
    // than the panel; its paths end at the internet, at the top.
    const r = tgwEstateResult();
    const page = await drawn(h, r, 'light');
    const e = r.egress.find((x) => x.subnet === 'sn.w0.app_a')!;
    await page.evaluate((s) => (globalThis as any).postMessage({ type: 'trace', subnet: s }, '*'), e.subnet);
    await page.waitForFunction((s) => egressLensDebug.script?.subject === s, e.subnet);
    await page.evaluate(() => egressLensDebug.player.restart());
    const total = await page.evaluate(() => egressLensDebug.script.steps.length);
    for (let i = 0; i < total; i++) {
      await page.evaluate(() => egressLensDebug.player.forward());
      await page.waitForFunction(() => !egressLensDebug.cy.animated() && document.body.dataset.camera !== 'moving');
      const v = await page.evaluate(() => {
        const cy = egressLensDebug.cy;
        const z = cy.zoom();
        const p = cy.pan();
        const all = cy.elements().boundingBox({ includeLabels: false });
        const hop = cy.getElementById(document.body.dataset.currentNode).renderedBoundingBox({ includeLabels: false });
        return {
          node: document.body.dataset.currentNode,
          view: { x1: -p.x / z, y1: -p.y / z, x2: (cy.width() - p.x) / z, y2: (cy.height() - p.y) / z },
          all: { x1: all.x1, y1: all.y1, x2: all.x2, y2: all.y2 },
          hop,
          w: cy.width(),
          h: cy.height(),
        };
      });
      assert.ok(v.hop.x1 >= 0 && v.hop.y1 >= 0 && v.hop.x2 <= v.w && v.hop.y2 <= v.h, `step ${i + 1} (${v.node}): the hop is in view`);
      // On an axis where the drawing is bigger than the view, the view stays on the drawing (a margin of 40 px).
      const bigX = v.all.x2 - v.all.x1 > v.view.x2 - v.view.x1;
      const bigY = v.all.y2 - v.all.y1 > v.view.y2 - v.view.y1;
      if (bigX)
        assert.ok(
          v.view.x1 >= v.all.x1 - 40 && v.view.x2 <= v.all.x2 + 40,
          `step ${i + 1} (${v.node}): no empty canvas left or right ${JSON.stringify(v)}`,
        );
      if (bigY)
        assert.ok(
          v.view.y1 >= v.all.y1 - 40 && v.view.y2 <= v.all.y2 + 40,
          `step ${i + 1} (${v.node}): no empty canvas above or below ${JSON.stringify(v)}`,
        );
    }
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  });

  it('keeps the route table that dropped a subnet for want of a route undimmed, in both themes (F233)', async () => {
    const r = await fixture('aws-no-route-drop');
    const e = r.egress.find((x) => x.forward.outcome.kind === 'dropped')!;
    assert.ok(e, 'the fixture has a dropped egress');
    assert.equal(e.forward.outcome.kind === 'dropped' && e.forward.outcome.cause, 'no-route');
    for (const theme of ['light', 'dark'] as const) {
      const page = await drawn(h, r, theme);
      await page.evaluate((s) => (globalThis as any).postMessage({ type: 'trace', subnet: s }, '*'), e.subnet);
      await page.waitForFunction((s) => egressLensDebug.script?.subject === s, e.subnet);
      const badges = await page.evaluate(() => {
        const g = egressLensDebug.graph;
        const element = new Map(g.nodes.map((n: any) => [n.id, n.element]));
        return egressLensDebug.cy.nodes('[kind = "routeTable"]').map((n: any) => ({ table: element.get(n.id()), dim: n.hasClass('dim') }));
      });
      const app = badges.filter((b: any) => b.table === 'aws_route_table.app');
      assert.ok(app.length > 0, `${theme}: the app subnet's table is drawn`);
      for (const b of app) assert.equal(b.dim, false, `${theme}: the table that had no route is not dimmed`);
      const other = badges.filter((b: any) => b.table === 'aws_route_table.public');
      assert.ok(other.length > 0 && other.every((b: any) => b.dim), `${theme}: the public subnet's table, off the path, is dimmed`);
      assert.deepEqual(pageErrors(page), []);
      await page.close();
    }
  });

  it('draws GWLB targets that pass every packet back as pass-through, not as firewalls, and their path red (F202)', async () => {
    // The example's firewalls given gwlbtun's pass-through script as their user data (as patrickmryan/aws-gwlb runs it).
    const tagged = '  tags = {\n    Name   = "fortigate-${count.index}"\n    Vendor = "fortinet"\n  }\n';
    const script = '#!/bin/bash\\ncd /opt/gwlbtun && ./gwlbtun -c example-scripts/create-passthrough.sh -p 80\\n';
    const r = await folderResult('examples/aws-distributed-egress-ok', (file, text) => {
      if (!file.endsWith('/inspection.tf')) return text;
      assert.ok(text.includes(tagged), 'the example tags its firewalls as written here');
      return text.replace(tagged, `  user_data = "${script}"\n`);
    });
    const e = r.egress.find((x) => x.forward.hops.some((h) => h.enforcement?.passes !== undefined))!;
    assert.ok(e, 'a subnet goes through the pass-through GWLB');
    const tg = e.forward.hops.find((h) => h.enforcement?.passes !== undefined)!.element;
    const plain = await exampleResult('aws-distributed-egress-ok');
    for (const theme of ['light', 'dark'] as const) {
      const page = await drawn(h, r, theme);
      const chips = await page.evaluate((id) => {
        const cy = egressLensDebug.cy;
        const g = egressLensDebug.graph;
        const look = (n: any) => ({
          id: n.id(),
          label: n.data('label'),
          pass: n.data('passthrough'),
          border: n.style('border-color'),
          image: String(n.style('background-image')),
          kind: g.nodes.find((x: any) => x.id === n.id())?.details.find((d: any) => d[0] === 'kind')?.[1],
          role: g.nodes.find((x: any) => x.id === n.id())?.details.find((d: any) => d[0] === 'role')?.[1],
        });
        const group = cy.getElementById(id);
        return { group: look(group), targets: group.outgoers('edge[kind = "target"]').targets().map(look) };
      }, tg);
      assert.equal(chips.group.pass, true, `${theme}: the target group is drawn as pass-through`);
      assert.match(chips.group.label, /pass-through/);
      assert.match(chips.group.kind, /pass-through: inspects nothing/);
      assert.match(chips.group.role, /^pass-through: .*create-passthrough\.sh/);
      assert.notEqual(chips.group.border, 'rgb(168,68,50)', `${theme}: not a target group's red`);
      assert.ok(chips.targets.length >= 1, 'its appliances are drawn');
      for (const t of chips.targets) {
        assert.equal(t.pass, true, `${theme}: ${t.id} is drawn as pass-through`);
        assert.match(t.label, /\npass-through/, `${theme}: ${t.id} says so under its name`);
        // No brick wall (the firewall glyph's middle course): the arrow straight through.
        assert.ok(!t.image.includes(encodeURIComponent('M2.5 8h15')), `${theme}: ${t.id} has no firewall glyph`);
      }
      await page.evaluate((s) => (globalThis as any).postMessage({ type: 'trace', subnet: s }, '*'), e.subnet);
      await page.waitForFunction((s) => egressLensDebug.script?.subject === s, e.subnet);
      const path = await page.evaluate(() => ({
        red: egressLensDebug.cy.edges('.onpath').map((x: any) => x.hasClass('uninspected')),
        stages: [...document.querySelectorAll('#narration li.hop .stage')].map((x: any) => x.textContent),
        notes: [...document.querySelectorAll('#narration li.hop .text')].map((x: any) => x.textContent),
        summary: document.getElementById('side-summary')?.textContent ?? '',
      }));
      assert.ok(path.red.length > 0 && path.red.every(Boolean), `${theme}: every edge of the path is drawn uninspected (red)`);
      assert.ok(
        path.stages.some((x: string) => /^pass-through .* \(inspects nothing\)$/.test(x)),
        path.stages.join(' | '),
      );
      assert.ok(
        !path.stages.some((x: string) => /inspection/.test(x)),
        `${theme}: no stage is called inspection: ${path.stages.join(' | ')}`,
      );
      assert.ok(
        path.notes.some((x: string) => /receives the packet back uninspected/.test(x)),
        path.notes.join(' | '),
      );
      assert.ok(!/inspection (before|after) NAT/.test(path.summary), path.summary);
      assert.deepEqual(pageErrors(page), []);
      await page.close();
    }
    // The example as written: its firewalls inspect, drawn as before.
    const page = await drawn(h, plain, 'dark');
    const plainTg = plain.egress.flatMap((x) => x.forward.hops).find((x) => x.enforcement?.kind === 'gwlb-firewall')!.element;
    const out = await page.evaluate((id) => {
      const group = egressLensDebug.cy.getElementById(id);
      return {
        pass: group.data('passthrough'),
        targets: group
          .outgoers('edge[kind = "target"]')
          .targets()
          .map((n: any) => n.data('passthrough')),
      };
    }, plainTg);
    assert.equal(out.pass, false);
    assert.ok(out.targets.length > 0 && out.targets.every((x: boolean) => x === false));
    await page.close();
  });

  it('leaves out a prefix every name of a VPC shares, keeping it in the VPC label and the hover cards (F235)', async () => {
    const r = await fixture('aws-shared-name-prefix');
    for (const theme of ['light', 'dark'] as const) {
      const page = await drawn(h, r, theme);
      const out = await page.evaluate(() => {
        const cy = egressLensDebug.cy;
        const g = egressLensDebug.graph;
        return cy.nodes().map((n: any) => {
          const gn = g.nodes.find((x: any) => x.id === n.id());
          return {
            id: n.id(),
            vpc: gn?.vpc,
            kind: n.data('kind'),
            label: n.data('label'),
            name: gn?.details.find((d: any) => d[0] === 'name')?.[1],
          };
        });
      });
      const spoke = out.filter((n: any) => n.vpc === 'aws_vpc.spoke' && n.id !== 'aws_vpc.spoke' && n.kind !== 'az');
      assert.ok(spoke.length >= 6, `${theme}: the spoke's subnets, gateways and tables are drawn`);
      for (const n of spoke) {
        assert.ok(
          n.label.startsWith('\u2026') && !n.label.includes('acme-prod-euw1-'),
          `${theme}: ${n.id} drawn without the prefix: ${n.label}`,
        );
        assert.match(n.name, /^acme-prod-euw1-/, `${theme}: ${n.id}'s hover card names it whole`);
      }
      // What tells the names apart is drawn whole: the app table's badge was cut in its middle with the prefix.
      assert.ok(
        spoke.some((n: any) => n.kind === 'routeTable' && n.label === '\u2026spoke1-vpc-app1'),
        spoke.map((n: any) => n.label).join(' | '),
      );
      assert.match(out.find((n: any) => n.id === 'aws_vpc.spoke').label, /^VPC acme-prod-euw1-spoke1-vpc\n/);
      // Names that share no prefix are drawn as they are.
      const shared = out.filter((n: any) => n.vpc === 'aws_vpc.shared' && n.kind !== 'az');
      assert.ok(shared.length >= 4 && shared.every((n: any) => !n.label.startsWith('\u2026')), shared.map((n: any) => n.label).join(' | '));
      assert.ok(shared.some((n: any) => n.label.startsWith('dns-resolver-endpoints-subnet')));
      assert.deepEqual(pageErrors(page), []);
      await page.close();
    }
  });
});
