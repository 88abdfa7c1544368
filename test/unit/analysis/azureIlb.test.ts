// An Azure internal load balancer as a UDR's next hop (domain.md, Azure NVAs behind an internal load balancer):
// the frontend's rules hand each flow to a member of their backend pool; NVAs there are the enforcement point, a
// member without IP forwarding drops what it is handed, and whatever the inputs leave open is Unknown, naming it.
import { strict as assert } from 'node:assert';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze } from '../../../src/analysis/analyze';
import type { AnalysisResult, Hop } from '../../../src/analysis/types';
import { variantText, type Edit } from '../exampleVariant';

const FILES = ['versions.tf', 'hub.tf', 'nva.tf', 'spoke.tf'];

async function ilb(edits: Edit[] = [], extra: Record<string, string> = {}, example = 'azure-hub-spoke-ilb'): Promise<AnalysisResult> {
  const ws = await createWorkspace();
  const files = example === 'azure-hub-spoke-ilb' ? FILES : [...FILES, 'nva3.tf'];
  for (const f of files) ws.setFile(f, variantText(example, f, edits));
  for (const [f, text] of Object.entries(extra)) ws.setFile(f, text);
  const b = ws.build();
  return analyze(b.model, {}, b.diagnostics);
}

const app = (r: AnalysisResult) => r.egress.find((e) => e.subnet === 'azurerm_subnet.app')!;
const stateOf = (r: AnalysisResult, vnet: string) => r.states.find((s) => s.vpc === vnet)?.state;
const names = (hops: Hop[]) => hops.map((h) => h.name);
const outcome = (r: AnalysisResult) => app(r).forward.outcome;
const reason = (r: AnalysisResult) => {
  const o = outcome(r);
  return o.kind === 'unknown' || o.kind === 'dropped' ? o.reason : '';
};

const RULE = (from: string): Edit => ({ file: 'hub.tf', replace: [from, ''] });
const HA = `  protocol                       = "All"
  frontend_port                  = 0
  backend_port                   = 0`;

describe('analysis: Azure internal load balancer in front of NVAs', function () {
  this.timeout(60_000);

  it('HA ports: the spoke goes through the load balancer to an NVA, out of its outside NIC, and the reply comes back to it', async () => {
    const r = await ilb();
    const e = app(r);
    assert.deepEqual(names(e.forward.hops), ['snet-app', 'lb-nva-inside', 'nic-nva1-inside', 'internet']);
    assert.equal(e.forward.hops[1].kind, 'loadBalancer');
    assert.match(e.forward.hops[1].note, /every protocol and port \(HA ports rule ha-ports\) to backend pool pool-nva-inside/);
    assert.match(e.forward.hops[1].note, /nic-nva1-inside, nic-nva2-inside forward alike/);
    assert.match(e.forward.hops[2].note, /forwards out of its interface nic-nva1-outside/);
    assert.deepEqual(
      e.forward.inspectedBy.map((p) => [p.kind, p.element]),
      [['azure-nva', 'azurerm_network_interface.inside["nva1"]']],
    );
    assert.deepEqual(names(e.return!.hops), ['internet', 'nic-nva1-inside', 'snet-app']);
    assert.match(e.return!.hops[1].note, /on its interface nic-nva1-outside/);
    assert.equal(stateOf(r, 'azurerm_virtual_network.spoke'), 'Protected');
    assert.equal(stateOf(r, 'azurerm_virtual_network.hub'), 'Inspection');
    assert.deepEqual(r.findings, []);
  });

  it('the next hop written as the frontend address literal is the same frontend', async () => {
    const r = await ilb([
      {
        file: 'spoke.tf',
        replace: ['azurerm_lb.nva.frontend_ip_configuration[0].private_ip_address', '"10.0.2.10"'],
      },
    ]);
    assert.deepEqual(names(app(r).forward.hops), ['snet-app', 'lb-nva-inside', 'nic-nva1-inside', 'internet']);
    assert.equal(stateOf(r, 'azurerm_virtual_network.spoke'), 'Protected');
  });

  it('a table on the inside subnet sending 0.0.0.0/0 back to the load balancer is not taken: the NVA leaves by its outside NIC', async () => {
    const r = await ilb([], {
      'inside-rt.tf': `resource "azurerm_route_table" "inside" {
  name                = "rt-nva-inside"
  location            = local.location
  resource_group_name = azurerm_resource_group.net.name
  route {
    name                   = "default-via-ilb"
    address_prefix         = "0.0.0.0/0"
    next_hop_type          = "VirtualAppliance"
    next_hop_in_ip_address = "10.0.2.10"
  }
}
resource "azurerm_subnet_route_table_association" "inside" {
  subnet_id      = azurerm_subnet.inside.id
  route_table_id = azurerm_route_table.inside.id
}
`,
    });
    assert.equal(outcome(r).kind, 'delivered');
    assert.equal(stateOf(r, 'azurerm_virtual_network.spoke'), 'Protected');
  });

  it('a rule for one port only: that port reaches the NVAs, the rest is dropped at the load balancer (said on the hop)', async () => {
    const r = await ilb([
      {
        file: 'hub.tf',
        replace: [
          HA,
          `  protocol                       = "Tcp"
  frontend_port                  = 443
  backend_port                   = 443`,
        ],
      },
    ]);
    assert.match(app(r).forward.hops[1].note, /only TCP 443 \(rule ha-ports\); the load balancer drops other flows/);
    assert.equal(stateOf(r, 'azurerm_virtual_network.spoke'), 'Protected');
  });

  it('rules of one frontend sending different ports to different pools: Unknown', async () => {
    const r = await ilb([], {
      'web.tf': `resource "azurerm_lb_backend_address_pool" "web" {
  name            = "pool-web"
  loadbalancer_id = azurerm_lb.nva.id
}
resource "azurerm_lb_rule" "web" {
  name                           = "web"
  loadbalancer_id                = azurerm_lb.nva.id
  frontend_ip_configuration_name = "fe-inside"
  backend_address_pool_ids       = [azurerm_lb_backend_address_pool.web.id]
  protocol                       = "Tcp"
  frontend_port                  = 80
  backend_port                   = 80
}
`,
    });
    assert.equal(outcome(r).kind, 'unknown');
    assert.match(
      reason(r),
      /where load balancer lb-nva-inside sends the packet cannot be decided: its rules on frontend fe-inside send flows of different ports to different backend pools \(ha-ports, web\)/,
    );
    assert.equal(stateOf(r, 'azurerm_virtual_network.spoke'), 'Unknown');
  });

  it('no rule on the frontend: Unknown naming it, never dropped', async () => {
    const r = await ilb([RULE(hubRule())]);
    assert.equal(outcome(r).kind, 'unknown');
    assert.match(reason(r), /no load-balancing rule of the inputs uses its frontend fe-inside/);
  });

  it('an empty pool (no member in the inputs): Unknown naming the pool', async () => {
    const r = await ilb([{ file: 'nva.tf', replace: [poolAssociation(), ''] }]);
    assert.equal(outcome(r).kind, 'unknown');
    assert.match(reason(r), /backend pool pool-nva-inside has no member in the inputs/);
    assert.equal(stateOf(r, 'azurerm_virtual_network.spoke'), 'Unknown');
  });

  it('a pool member whose IP forwarding cannot be decided: Unknown', async () => {
    const r = await ilb([
      {
        file: 'nva.tf',
        replace: [
          `  name                  = "nic-\${each.key}-inside"
  location              = local.location
  resource_group_name   = azurerm_resource_group.net.name
  ip_forwarding_enabled = true`,
          `  name                  = "nic-\${each.key}-inside"
  location              = local.location
  resource_group_name   = azurerm_resource_group.net.name
  ip_forwarding_enabled = var.forwarding`,
        ],
        append: '\nvariable "forwarding" {\n  type = bool\n}\n',
      },
    ]);
    assert.equal(outcome(r).kind, 'unknown');
    assert.match(
      reason(r),
      /member azurerm_network_interface_backend_address_pool_association.inside\["nva1"\] of backend pool pool-nva-inside/,
    );
  });

  it('no member forwards: every flow is dropped at the pool, and blackhole-route sits on the interface', async () => {
    const r = await ilb([
      {
        file: 'nva.tf',
        replace: [
          `  name                  = "nic-\${each.key}-inside"
  location              = local.location
  resource_group_name   = azurerm_resource_group.net.name
  ip_forwarding_enabled = true`,
          `  name                  = "nic-\${each.key}-inside"
  location              = local.location
  resource_group_name   = azurerm_resource_group.net.name
  ip_forwarding_enabled = false`,
        ],
      },
    ]);
    const o = outcome(r);
    assert.equal(o.kind, 'dropped');
    assert.equal(o.kind === 'dropped' && o.cause, 'ip-forwarding-off');
    assert.match(
      reason(r),
      /load balancer lb-nva-inside hands flows to network interface nic-nva1-inside \(backend pool pool-nva-inside\), which does not forward \(ip_forwarding_enabled = false\)/,
    );
    assert.equal(stateOf(r, 'azurerm_virtual_network.spoke'), 'No Egress');
    const f = r.findings.filter((x) => x.code === 'blackhole-route');
    assert.deepEqual(
      f.map((x) => [x.elementId, x.location.file]),
      [['azurerm_network_interface.inside["nva1"]', 'nva.tf']],
    );
    assert.match(f[0].message, /is dropped: load balancer lb-nva-inside hands them to network interface nic-nva1-inside/);
  });

  it('one member of three does not forward (the broken example): the others carry the path, the finding names the one', async () => {
    const r = await ilb([], {}, 'azure-hub-spoke-ilb-broken');
    assert.equal(outcome(r).kind, 'delivered');
    assert.equal(stateOf(r, 'azurerm_virtual_network.spoke'), 'Protected');
    assert.match(
      app(r).forward.hops[1].note,
      /the flows it hands to nic-nva3-inside \(no IP forwarding: ip_forwarding_enabled not set, off by default\) are dropped there/,
    );
    const f = r.findings.filter((x) => x.code === 'blackhole-route');
    assert.deepEqual(
      f.map((x) => [x.elementId, x.severity, x.location.file]),
      [['azurerm_network_interface.nva3_inside', 'error', 'nva3.tf']],
    );
    assert.match(
      f[0].message,
      /loses some flows: load balancer lb-nva-inside hands a share of the flows to network interface nic-nva3-inside/,
    );
    assert.match(f[0].fix?.title ?? '', /Enable IP forwarding on nic-nva3-inside .* or take it out of backend pool pool-nva-inside/);
  });

  it('a pool member given by address (azurerm_lb_backend_address_pool_address) is the NVA holding it', async () => {
    const r = await ilb([{ file: 'nva.tf', replace: [poolAssociation(), ''] }], {
      'addresses.tf': `resource "azurerm_lb_backend_address_pool_address" "nva1" {
  name                    = "nva1"
  backend_address_pool_id = azurerm_lb_backend_address_pool.nva.id
  virtual_network_id      = azurerm_virtual_network.hub.id
  ip_address              = "10.0.2.4"
}
`,
    });
    assert.deepEqual(names(app(r).forward.hops), ['snet-app', 'lb-nva-inside', 'nic-nva1-inside', 'internet']);
    assert.match(app(r).forward.hops[1].note, /whose one appliance is nic-nva1-inside/);
    assert.equal(stateOf(r, 'azurerm_virtual_network.spoke'), 'Protected');
  });

  it('an address member no NIC of the inputs holds: Unknown', async () => {
    const r = await ilb([{ file: 'nva.tf', replace: [poolAssociation(), ''] }], {
      'addresses.tf': `resource "azurerm_lb_backend_address_pool_address" "other" {
  name                    = "other"
  backend_address_pool_id = azurerm_lb_backend_address_pool.nva.id
  virtual_network_id      = azurerm_virtual_network.hub.id
  ip_address              = "10.0.2.99"
}
`,
    });
    assert.equal(outcome(r).kind, 'unknown');
    assert.match(reason(r), /no forwarding network interface of the inputs holds 10.0.2.99, a member of backend pool pool-nva-inside/);
  });
});

/** The example's load-balancing rule, whole. */
function hubRule(): string {
  const text = variantText('azure-hub-spoke-ilb', 'hub.tf', []);
  return text.slice(text.indexOf('resource "azurerm_lb_rule"'));
}

/** The example's pool association, whole. */
function poolAssociation(): string {
  const text = variantText('azure-hub-spoke-ilb', 'nva.tf', []);
  const at = text.indexOf('resource "azurerm_network_interface_backend_address_pool_association"');
  return text.slice(at, text.indexOf('}\n', at) + 2);
}
