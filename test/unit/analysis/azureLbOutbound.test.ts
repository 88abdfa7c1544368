import { strict as assert } from 'node:assert';
import { analyze } from '../../../src/analysis/analyze';
import { createWorkspace } from '../../../src/parse/workspace';

// F84: a public Standard load balancer's outbound rule gives the VMs of its backend pool outbound access (SNAT to
// its frontend's public IP) even in a private subnet (default outbound access off, no NAT gateway): their egress
// reaches the internet, uninspected. Modelled on the public load balancer quickstart design (web VMs behind a
// public frontend, load-balancing rule with outbound SNAT disabled, an explicit outbound rule).
describe('analysis: Azure public load balancer outbound rules (F84)', function () {
  this.timeout(30000);

  async function run(files: Record<string, string>) {
    const ws = await createWorkspace();
    for (const [name, text] of Object.entries(files)) ws.setFile(name, text);
    const b = ws.build();
    return analyze(b.model, {}, b.diagnostics);
  }

  const base = `
resource "azurerm_virtual_network" "shop" {
  name                = "vnet-shop"
  location            = "swedencentral"
  resource_group_name = "rg-shop"
  address_space       = ["10.70.0.0/16"]
}
resource "azurerm_subnet" "web" {
  name                            = "snet-web"
  resource_group_name             = "rg-shop"
  virtual_network_name            = azurerm_virtual_network.shop.name
  address_prefixes                = ["10.70.2.0/24"]
  default_outbound_access_enabled = false
}
resource "azurerm_public_ip" "front" {
  name                = "pip-shop"
  location            = "swedencentral"
  resource_group_name = "rg-shop"
  allocation_method   = "Static"
  sku                 = "Standard"
}
resource "azurerm_lb" "shop" {
  name                = "lbe-shop"
  location            = "swedencentral"
  resource_group_name = "rg-shop"
  sku                 = "Standard"
  frontend_ip_configuration {
    name                 = "public-front"
    public_ip_address_id = azurerm_public_ip.front.id
  }
}
resource "azurerm_lb_backend_address_pool" "web" {
  name            = "web-servers"
  loadbalancer_id = azurerm_lb.shop.id
}
`;

  const lbRule = (snat: string) => `
resource "azurerm_lb_rule" "https" {
  name                           = "https-in"
  loadbalancer_id                = azurerm_lb.shop.id
  protocol                       = "Tcp"
  frontend_port                  = 443
  backend_port                   = 443
  frontend_ip_configuration_name = "public-front"
  backend_address_pool_ids       = [azurerm_lb_backend_address_pool.web.id]
  ${snat}
}
`;

  const outboundRule = (extra = '') => `
resource "azurerm_lb_outbound_rule" "egress" {
  name                    = "web-egress"
  loadbalancer_id         = azurerm_lb.shop.id
  protocol                = "All"
  backend_address_pool_id = azurerm_lb_backend_address_pool.web.id
  ${extra}
  frontend_ip_configuration {
    name = "public-front"
  }
}
`;

  const vms = `
resource "azurerm_network_interface" "web" {
  for_each            = toset(["a", "b"])
  name                = "nic-web-\${each.key}"
  location            = "swedencentral"
  resource_group_name = "rg-shop"
  ip_configuration {
    name                          = "internal"
    subnet_id                     = azurerm_subnet.web.id
    private_ip_address_allocation = "Dynamic"
  }
}
resource "azurerm_network_interface_backend_address_pool_association" "web" {
  for_each                = toset(["a", "b"])
  network_interface_id    = azurerm_network_interface.web[each.key].id
  ip_configuration_name   = "internal"
  backend_address_pool_id = azurerm_lb_backend_address_pool.web.id
}
resource "azurerm_linux_virtual_machine" "web" {
  for_each              = toset(["a", "b"])
  name                  = "vm-web-\${each.key}"
  location              = "swedencentral"
  resource_group_name   = "rg-shop"
  size                  = "Standard_B2s"
  admin_username        = "shopadmin"
  network_interface_ids = [azurerm_network_interface.web[each.key].id]
}
`;

  const scaleSet = `
resource "azurerm_linux_virtual_machine_scale_set" "web" {
  name                = "vmss-web"
  location            = "swedencentral"
  resource_group_name = "rg-shop"
  sku                 = "Standard_B2s"
  instances           = 3
  admin_username      = "shopadmin"
  network_interface {
    name    = "web"
    primary = true
    ip_configuration {
      name                                   = "internal"
      primary                                = true
      subnet_id                              = azurerm_subnet.web.id
      load_balancer_backend_address_pool_ids = [azurerm_lb_backend_address_pool.web.id]
    }
  }
}
`;

  const web = (r: Awaited<ReturnType<typeof run>>) => r.egress.find((e) => e.subnet === 'azurerm_subnet.web')!;
  const note = (r: Awaited<ReturnType<typeof run>>) =>
    web(r)
      .forward.hops.map((h) => h.note)
      .join(' | ');
  const uninspected = (r: Awaited<ReturnType<typeof run>>) => r.findings.filter((f) => f.code === 'uninspected-egress');

  it('VMs in the pool of an outbound rule reach the internet through the frontend, uninspected; the fix puts the service behind the firewall first', async () => {
    const r = await run({ 'main.tf': base + lbRule('disable_outbound_snat = true') + outboundRule() + vms });
    assert.equal(web(r).forward.outcome.kind, 'delivered');
    assert.match(
      note(r),
      /vm-web-a is in backend pool web-servers of public load balancer lbe-shop, whose outbound rule web-egress \(protocol All\) translates its traffic to the public IP of frontend public-front: outbound access though snet-web is private/,
    );
    assert.equal(web(r).return?.outcome.kind, 'delivered');
    assert.equal(r.states.find((s) => s.vpc === 'azurerm_virtual_network.shop')?.state, 'Unprotected');
    const f = uninspected(r);
    assert.equal(f.length, 1);
    // A route table alone would send the replies of https-in's sessions through the firewall.
    assert.match(
      f[0].fix?.title ?? '',
      /^Publish the service of public load balancer lbe-shop through the hub firewall \(a DNAT rule\) or an Application Gateway instead, then associate snet-web with a route table that sends 0\.0\.0\.0\/0 to the hub firewall or NVA .*the replies to sessions arriving at lbe-shop's public frontend \(rule https-in\) would leave through the firewall/,
    );
    assert.deepEqual(f[0].fix?.edits, []);
  });

  it('an outbound rule alone (no load-balancing rule): egress through it, the plain route-table fix', async () => {
    const r = await run({ 'main.tf': base + outboundRule() + vms });
    assert.equal(web(r).forward.outcome.kind, 'delivered');
    const f = uninspected(r);
    assert.equal(f.length, 1);
    assert.match(f[0].fix?.title ?? '', /^Associate snet-web with a route table that sends 0\.0\.0\.0\/0 to the hub firewall or NVA/);
  });

  it("a scale set's instances in the pool: through the outbound rule too", async () => {
    const r = await run({ 'main.tf': base + outboundRule() + scaleSet });
    assert.equal(web(r).forward.outcome.kind, 'delivered');
    assert.match(
      note(r),
      /the instances of azurerm_linux_virtual_machine_scale_set\.web are in backend pool web-servers .* translates their traffic/,
    );
  });

  it('no outbound rule, outbound SNAT of the load-balancing rule disabled: still no egress (nothing translates)', async () => {
    const r = await run({ 'main.tf': base + lbRule('disable_outbound_snat = true') + vms });
    assert.equal(web(r).forward.outcome.kind, 'dropped');
    assert.match(JSON.stringify(web(r).forward.outcome), /private subnet: no default outbound access/);
    assert.deepEqual(uninspected(r), []);
  });

  it("no outbound rule, the load-balancing rule's default SNAT not disabled: Unknown, saying why", async () => {
    const r = await run({ 'main.tf': base + lbRule('') + vms });
    const out = web(r).forward.outcome;
    assert.equal(out.kind, 'unknown');
    assert.match(
      out.kind === 'unknown' ? out.reason : '',
      /snet-web is private \(no default outbound access\), but vm-web-a is in backend pool web-servers of public load balancer lbe-shop, whose load-balancing rule https-in does not disable outbound SNAT/,
    );
  });

  it('an outbound rule whose existence cannot be decided: Unknown, never dropped', async () => {
    const r = await run({
      'main.tf': base + outboundRule('count = var.egress ? 1 : 0') + vms + 'variable "egress" {\n  type = bool\n}\n',
    });
    const out = web(r).forward.outcome;
    assert.equal(out.kind, 'unknown');
    assert.match(out.kind === 'unknown' ? out.reason : '', /whether its outbound rule web-egress exists cannot be decided/);
  });

  it('a NIC that is not in the pool gets nothing from it', async () => {
    const r = await run({
      'main.tf': base + outboundRule() + vms.replace(/resource "azurerm_network_interface_backend_address_pool_association"[^]*?\n}\n/, ''),
    });
    assert.equal(web(r).forward.outcome.kind, 'dropped');
  });
});
