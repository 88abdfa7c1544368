// What a `dynamic` block whose for_each cannot be decided offline leaves behind: a route table whose routes are
// undecided (every lookup Unknown, naming the block), never a table read as empty; and the conditions modules
// write around a firewall's or load balancer's private address (`== null`, a static frontend) decided as
// Terraform decides them at apply.
import { strict as assert } from 'node:assert';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze } from '../../../src/analysis/analyze';
import type { AnalysisResult } from '../../../src/analysis/types';
import type { FirewallPolicy, NetworkElement, PrefixList, RouteTable } from '../../../src/model/types';
import { isUnresolved } from '../../../src/model/types';
import { variantText, type Edit } from '../exampleVariant';

async function run(example: string, files: string[], edits: Edit[]): Promise<{ r: AnalysisResult; els: NetworkElement[] }> {
  const ws = await createWorkspace();
  for (const f of files) ws.setFile(f, variantText(example, f, edits));
  const b = ws.build();
  return { r: analyze(b.model, {}, b.diagnostics), els: b.model.elements };
}

const stateOf = (r: AnalysisResult, vnet: string) => r.states.find((s) => s.vpc === vnet)?.state;
const forwardOf = (r: AnalysisResult, subnet: string) => r.egress.find((e) => e.subnet === subnet)?.forward.outcome;

// examples/azure-hub-spoke-firewall: the spoke's one route, 0.0.0.0/0 -> the firewall.
const AZ = 'azure-hub-spoke-firewall';
const AZ_ROUTE = `  route {
    name                   = "default-via-firewall"
    address_prefix         = "0.0.0.0/0"
    next_hop_type          = "VirtualAppliance"
    next_hop_in_ip_address = azurerm_firewall.hub.ip_configuration[0].private_ip_address
  }`;

/** The spoke's route written by a dynamic block over `each` (an object per route: prefix, next_hop). */
function azDynamic(each: string): Edit {
  return {
    file: 'main.tf',
    replace: [
      AZ_ROUTE,
      `  dynamic "route" {
    for_each = ${each}
    content {
      name                   = "udr-\${route.key}"
      address_prefix         = route.value.prefix
      next_hop_type          = "VirtualAppliance"
      next_hop_in_ip_address = route.value.next_hop
    }
  }`,
    ],
  };
}

const NO_VALUE = {
  file: 'main.tf',
  append: '\nvariable "spoke_routes" {\n  type = list(object({ prefix = string, next_hop = string }))\n}\n',
};

describe('analysis: undecided dynamic blocks', function () {
  this.timeout(60_000);

  it('Azure: a route table whose dynamic "route" for_each is not known offline is Unknown, not "reaches the internet"', async () => {
    const { r, els } = await run(AZ, ['main.tf'], [azDynamic('var.spoke_routes'), NO_VALUE]);
    const out = forwardOf(r, 'azurerm_subnet.workload');
    assert.equal(out?.kind, 'unknown');
    assert.match(
      out.kind === 'unknown' ? out.reason : '',
      /route table rt-spoke-app: its routes from dynamic "route" \(main\.tf:\d+\) cannot be decided offline \(for_each `var\.spoke_routes`/,
    );
    assert.deepEqual(
      r.findings.map((f) => f.code),
      [],
    );
    assert.equal(stateOf(r, 'azurerm_virtual_network.spoke'), 'Unknown');
    const table = els.find((e): e is RouteTable => e.kind === 'routeTable')!;
    assert.equal(table.routes.length, 1);
    assert.ok(isUnresolved((table.routes[0].destination as { cidr: unknown }).cidr));
  });

  it('Azure: the same block with a decided for_each is read route by route', async () => {
    const each = '[{ prefix = "0.0.0.0/0", next_hop = azurerm_firewall.hub.ip_configuration[0].private_ip_address }]';
    const { r } = await run(AZ, ['main.tf'], [azDynamic(each)]);
    assert.deepEqual(forwardOf(r, 'azurerm_subnet.workload'), { kind: 'delivered' });
    assert.equal(stateOf(r, 'azurerm_virtual_network.spoke'), 'Protected');
  });

  it("F61: `<firewall's private IP> == null ? [] : [route]` is decided: the firewall exists, so the route is there", async () => {
    const ip = 'azurerm_firewall.hub.ip_configuration[0].private_ip_address';
    const each = `${ip} == null ? [] : [{ prefix = "0.0.0.0/0", next_hop = ${ip} }]`;
    const { r } = await run(
      AZ,
      ['main.tf'],
      [
        azDynamic(each),
        // Through a local as modules pass it (`try(..., null)` for a firewall that may have no ip_configuration).
        { file: 'main.tf', replace: ['locals {\n', `locals {\n  fw_ip = try(${ip}, null)\n`] },
        {
          file: 'main.tf',
          replace: [
            '  name                = "rt-spoke-app"\n',
            '  name                = "rt-spoke-app"\n  bgp_route_propagation_enabled = local.fw_ip != null ? false : true\n',
          ],
        },
      ],
    );
    assert.deepEqual(forwardOf(r, 'azurerm_subnet.workload'), { kind: 'delivered' });
    assert.equal(stateOf(r, 'azurerm_virtual_network.spoke'), 'Protected');
    assert.deepEqual(
      r.parseDiagnostics.filter((d) => d.code === 'unresolved-value').map((d) => d.message),
      [],
    );
  });

  it('F61: a firewall without an ip_configuration block (a vWAN hub firewall) leaves `== null` undecided', async () => {
    const ip = 'azurerm_firewall.hub.ip_configuration[0].private_ip_address';
    const { r } = await run(
      AZ,
      ['main.tf'],
      [
        azDynamic(`try(${ip}, null) == null ? [] : [{ prefix = "0.0.0.0/0", next_hop = ${ip} }]`),
        {
          file: 'main.tf',
          replace: [
            '  ip_configuration {\n    name                 = "ipconfig"\n    subnet_id            = azurerm_subnet.firewall.id\n    public_ip_address_id = azurerm_public_ip.firewall.id\n  }\n',
            '',
          ],
        },
      ],
    );
    const out = forwardOf(r, 'azurerm_subnet.workload');
    assert.equal(out?.kind, 'unknown');
    assert.match(out.kind === 'unknown' ? out.reason : '', /dynamic "route"/);
  });

  it('AWS: a dynamic "route" block not known offline makes the table Unknown, not a table with only local', async () => {
    const { r } = await run(
      'aws-distributed-egress-ok',
      ['versions.tf', 'variables.tf', 'inspection.tf', 'workload.tf'],
      [
        {
          file: 'workload.tf',
          replace: [
            '  route {\n    cidr_block     = "0.0.0.0/0"\n    nat_gateway_id = aws_nat_gateway.nat["a"].id\n  }',
            '  dynamic "route" {\n    for_each = var.app_a_routes\n    content {\n      cidr_block     = route.value\n      nat_gateway_id = aws_nat_gateway.nat["a"].id\n    }\n  }',
          ],
        },
        { file: 'variables.tf', append: '\nvariable "app_a_routes" {\n  type = list(string)\n}\n' },
      ],
    );
    const out = forwardOf(r, 'aws_subnet.app_a');
    assert.equal(out?.kind, 'unknown');
    assert.match(
      out.kind === 'unknown' ? out.reason : '',
      /its routes from dynamic "route" \(workload\.tf:\d+\) cannot be decided offline/,
    );
    assert.deepEqual(forwardOf(r, 'aws_subnet.app_b')?.kind, 'delivered');
  });

  it('AWS: a prefix list whose dynamic "entry" is not known offline has an undecided entry, not none', async () => {
    const { els } = await run(
      'aws-distributed-egress-ok',
      ['versions.tf', 'variables.tf', 'inspection.tf', 'workload.tf'],
      [
        {
          file: 'workload.tf',
          append: `
variable "partner_cidrs" {
  type = list(string)
}

resource "aws_ec2_managed_prefix_list" "partners" {
  name           = "partners"
  address_family = "IPv4"
  max_entries    = 10

  entry {
    cidr = "192.0.2.0/24"
  }

  dynamic "entry" {
    for_each = var.partner_cidrs
    content {
      cidr = entry.value
    }
  }
}
`,
        },
      ],
    );
    const pl = els.find((e): e is PrefixList => e.kind === 'prefixList')!;
    assert.equal(pl.cidrs[0], '192.0.2.0/24');
    assert.equal(pl.cidrs.length, 2);
    assert.ok(isUnresolved(pl.cidrs[1]));
  });

  it('AWS: a policy whose dynamic "stateful_rule_group_reference" is not known offline references an undecided group', async () => {
    const { els } = await run(
      'aws-network-firewall',
      ['versions.tf', 'main.tf'],
      [
        {
          file: 'main.tf',
          replace: [
            '    stateful_rule_group_reference {\n      priority     = 10\n',
            '    dynamic "stateful_rule_group_reference" {\n      for_each = var.extra_groups\n      content {\n        resource_arn = stateful_rule_group_reference.value\n      }\n    }\n\n    stateful_rule_group_reference {\n      priority     = 10\n',
          ],
        },
        { file: 'main.tf', append: '\nvariable "extra_groups" {\n  type = list(string)\n}\n' },
      ],
    );
    const p = els.find((e): e is FirewallPolicy => e.kind === 'firewallPolicy')!;
    assert.equal(p.statefulGroups?.length, 2);
    assert.equal(p.statefulGroups?.[0], 'aws_networkfirewall_rule_group.allow_domains');
    assert.ok(isUnresolved(p.statefulGroups?.[1]) && /dynamic "stateful_rule_group_reference"/.test(p.statefulGroups[1].text));
  });
});

// An internal load balancer in front of appliances, its frontend written with a static address.
const ILB = `
resource "azurerm_subnet" "ilb" {
  name                 = "snet-ilb"
  resource_group_name  = azurerm_resource_group.net.name
  virtual_network_name = azurerm_virtual_network.hub.name
  address_prefixes     = ["10.0.2.0/24"]
}

resource "azurerm_lb" "nva" {
  name                = "lb-nva"
  location            = local.location
  resource_group_name = azurerm_resource_group.net.name
  sku                 = "Standard"

  frontend_ip_configuration {
    name                          = "fe"
    subnet_id                     = azurerm_subnet.ilb.id
    private_ip_address_allocation = "ALLOCATION"
    private_ip_address            = cidrhost(azurerm_subnet.ilb.address_prefixes[0], 10)
  }
}
`;

describe('analysis: a nested block’s written attribute (F58)', function () {
  this.timeout(60_000);

  const viaLb = (allocation: string, nextHop: string): Edit[] => [
    { file: 'main.tf', append: ILB.replace('ALLOCATION', allocation) },
    {
      file: 'main.tf',
      replace: [
        'next_hop_in_ip_address = azurerm_firewall.hub.ip_configuration[0].private_ip_address',
        `next_hop_in_ip_address = ${nextHop}`,
      ],
    },
  ];

  it('a static frontend address is read from the configuration; a UDR to it leads to the load balancer, Unknown without a rule, never dropped', async () => {
    // Written as a string built from the address, so only its value (not the reference) can tell the balancer.
    const { r, els } = await run(AZ, ['main.tf'], viaLb('Static', '"${azurerm_lb.nva.frontend_ip_configuration[0].private_ip_address}"'));
    const table = els.find((e): e is RouteTable => e.kind === 'routeTable')!;
    assert.equal(table.routes[0].target.ip, undefined);
    const out = forwardOf(r, 'azurerm_subnet.workload');
    assert.equal(out?.kind, 'unknown');
    assert.match(
      out.kind === 'unknown' ? out.reason : '',
      /where load balancer lb-nva sends the packet cannot be decided: no load-balancing rule of the inputs uses its frontend fe/,
    );
    assert.equal(stateOf(r, 'azurerm_virtual_network.spoke'), 'Unknown');
    // The load balancer's own subnet has no route table: that one does reach the internet directly.
    assert.deepEqual(
      r.findings.map((f) => `${f.code} ${f.elementId}`),
      ['uninspected-egress azurerm_subnet.ilb'],
    );
  });

  // HCL: a template that is one interpolation is the value itself (F82), so `"${lb...private_ip_address}"` is the
  // same reference as the bare expression: whatever address Dynamic allocation gives, it is the frontend's.
  it('with Dynamic allocation, the frontend written as a one-interpolation template is that reference', async () => {
    const { r } = await run(AZ, ['main.tf'], viaLb('Dynamic', '"${azurerm_lb.nva.frontend_ip_configuration[0].private_ip_address}"'));
    const out = forwardOf(r, 'azurerm_subnet.workload');
    assert.equal(out?.kind, 'unknown');
    assert.match(
      out.kind === 'unknown' ? out.reason : '',
      /where load balancer lb-nva sends the packet cannot be decided: no load-balancing rule/,
    );
  });

  it('the frontend written as a reference names the load balancer too', async () => {
    const { r } = await run(AZ, ['main.tf'], viaLb('Dynamic', 'azurerm_lb.nva.frontend_ip_configuration[0].private_ip_address'));
    const out = forwardOf(r, 'azurerm_subnet.workload');
    assert.equal(out?.kind, 'unknown');
    assert.match(
      out.kind === 'unknown' ? out.reason : '',
      /where load balancer lb-nva sends the packet cannot be decided: no load-balancing rule/,
    );
  });
});
