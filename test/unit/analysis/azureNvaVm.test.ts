import { strict as assert } from 'node:assert';
import { analyze } from '../../../src/analysis/analyze';
import { createWorkspace } from '../../../src/parse/workspace';

// Azure NVAs written as virtual machines: a UDR names the VM's (or its NIC's) address, which Azure assigns, and a
// firewall VM stands in its own VNet before any spoke routes to it.
describe('analysis: Azure NVA virtual machines', function () {
  this.timeout(30000);

  async function run(files: Record<string, string>) {
    const ws = await createWorkspace();
    for (const [name, text] of Object.entries(files)) ws.setFile(name, text);
    const b = ws.build();
    return analyze(b.model, {}, b.diagnostics);
  }

  const subnet = (name: string, vnet: string, cidr: string) => `
resource "azurerm_subnet" "${name}" {
  name                 = "snet-${name}"
  resource_group_name  = "rg"
  virtual_network_name = azurerm_virtual_network.${vnet}.name
  address_prefixes     = ["${cidr}"]
}`;

  const nic = (name: string, sub: string, forwarding: boolean) => `
resource "azurerm_network_interface" "${name}" {
  name                  = "nic-${name}"
  location              = "westeurope"
  resource_group_name   = "rg"
  ip_forwarding_enabled = ${forwarding}
  ip_configuration {
    name                          = "ipconfig"
    subnet_id                     = azurerm_subnet.${sub}.id
    private_ip_address_allocation = "Dynamic"
  }
}`;

  // A hub whose NVA VM has an outside (public) and an inside interface, both forwarding; `publisher` is its image's.
  const hub = (opts: { insideForwards?: boolean; outsideForwards?: boolean; publisher?: string; single?: boolean } = {}) => `
resource "azurerm_virtual_network" "hub" {
  name                = "vnet-hub"
  location            = "westeurope"
  resource_group_name = "rg"
  address_space       = ["10.0.0.0/16"]
}
${subnet('untrusted', 'hub', '10.0.1.0/24')}
${nic('outside', 'untrusted', opts.outsideForwards ?? true)}
${opts.single ? '' : subnet('trusted', 'hub', '10.0.2.0/24') + nic('inside', 'trusted', opts.insideForwards ?? true)}
resource "azurerm_linux_virtual_machine" "nva" {
  name                  = "vm-nva"
  location              = "westeurope"
  resource_group_name   = "rg"
  size                  = "Standard_D3_v2"
  network_interface_ids = [azurerm_network_interface.outside.id${opts.single ? '' : ', azurerm_network_interface.inside.id'}]
  # It filters what it forwards (F122: what makes a forwarding VM an enforcement point).
  custom_data           = base64encode("#!/bin/bash\niptables -P FORWARD DROP\niptables -A FORWARD -d 203.0.113.0/24 -p tcp --dport 443 -j ACCEPT\n")
  source_image_reference {
    publisher = "${opts.publisher ?? 'Canonical'}"
    offer     = "image"
    sku       = "sku"
    version   = "latest"
  }
}
`;

  const spoke = (nextHop: string) => `
resource "azurerm_virtual_network" "spoke" {
  name                = "vnet-spoke"
  location            = "westeurope"
  resource_group_name = "rg"
  address_space       = ["10.1.0.0/16"]
}
${subnet('app', 'spoke', '10.1.1.0/24')}
resource "azurerm_route_table" "spoke" {
  name                = "rt-spoke"
  location            = "westeurope"
  resource_group_name = "rg"
  route {
    name                   = "to-nva"
    address_prefix         = "0.0.0.0/0"
    next_hop_type          = "VirtualAppliance"
    next_hop_in_ip_address = ${nextHop}
  }
}
resource "azurerm_subnet_route_table_association" "app" {
  subnet_id      = azurerm_subnet.app.id
  route_table_id = azurerm_route_table.spoke.id
}
`;

  const stateOf = (r: Awaited<ReturnType<typeof run>>, vnet: string) => r.states.find((s) => s.vpc === vnet)?.state;

  describe("a next hop written as the NVA's own address attribute", () => {
    for (const [what, expr] of [
      ["the VM's private_ip_address (its primary NIC's)", 'azurerm_linux_virtual_machine.nva.private_ip_address'],
      ["the NIC's private_ip_address", 'azurerm_network_interface.outside.private_ip_address'],
      ["the NIC's first IP configuration's address", 'azurerm_network_interface.outside.ip_configuration[0].private_ip_address'],
    ])
      it(`${what}: the spoke's egress goes through that NIC`, async () => {
        const r = await run({ 'hub.tf': hub(), 'spoke.tf': spoke(expr) });
        const app = r.egress.find((e) => e.subnet === 'azurerm_subnet.app');
        assert.deepEqual(
          app?.forward.hops.map((h) => h.name),
          ['snet-app', 'nic-outside', 'internet'],
        );
        assert.equal(stateOf(r, 'azurerm_virtual_network.spoke'), 'Protected');
        assert.deepEqual(
          r.findings.map((f) => f.code),
          [],
        );
      });

    it('through a module output of the VM address', async () => {
      const r = await run({
        'hub.tf': `module "nva" {\n  source = "./modules/nva"\n}\n${spoke('module.nva.ip')}`,
        'modules/nva/main.tf': `${hub()}\noutput "ip" {\n  value = azurerm_linux_virtual_machine.nva.private_ip_address\n}\n`,
      });
      assert.equal(stateOf(r, 'azurerm_virtual_network.spoke'), 'Protected');
    });

    it('a VM whose primary NIC does not forward: Azure drops what the route sends it, and the reason names the NIC and its setting', async () => {
      const noForward = hub().replace(/ip_forwarding_enabled = true/, 'ip_forwarding_enabled = false');
      const r = await run({ 'hub.tf': noForward, 'spoke.tf': spoke('azurerm_linux_virtual_machine.nva.private_ip_address') });
      const app = r.egress.find((e) => e.subnet === 'azurerm_subnet.app');
      assert.equal(app?.forward.outcome.kind, 'dropped');
      assert.equal(stateOf(r, 'azurerm_virtual_network.spoke'), 'No Egress');
      assert.match(
        JSON.stringify(app?.forward.outcome),
        /network interface nic-outside does not forward \(ip_forwarding_enabled = false\)/,
      );
    });

    // F83: an NVA rebuilt from a plain VM module, its NIC's forwarding lost: the route names the appliance it
    // intends. Only the route is wrong (blackhole-route at the NIC); the VM is no workload of its subnet.
    describe('an ordinary image whose one NIC does not forward, named by the route', () => {
      const broken = () => hub({ single: true, outsideForwards: false });
      const nicFindings = (r: Awaited<ReturnType<typeof run>>) => r.findings.map((f) => `${f.code} ${f.location.file}`);
      for (const [what, expr] of [
        ["the VM's private_ip_address", 'azurerm_linux_virtual_machine.nva.private_ip_address'],
        ["the NIC's private_ip_address", 'azurerm_network_interface.outside.private_ip_address'],
        ['a literal address the NIC is given statically', '"10.0.1.4"'],
      ])
        it(`${what}: the route is dropped at the NIC, and the NVA's subnet is the appliance's, not a workload's`, async () => {
          const hubText = broken().replace(
            'private_ip_address_allocation = "Dynamic"',
            'private_ip_address_allocation = "Static"\n    private_ip_address            = "10.0.1.4"',
          );
          const r = await run({ 'hub.tf': hubText, 'spoke.tf': spoke(expr) });
          assert.deepEqual(nicFindings(r), ['blackhole-route hub.tf']);
          assert.equal(stateOf(r, 'azurerm_virtual_network.hub'), 'Inspection');
          assert.deepEqual(
            r.egress.map((e) => e.subnet),
            ['azurerm_subnet.app'],
          );
        });

      it('a route naming another address leaves it a host; the route written in another file decides it (incremental build)', async () => {
        const other = await run({ 'hub.tf': broken(), 'spoke.tf': spoke('"10.0.1.99"') });
        assert.equal(stateOf(other, 'azurerm_virtual_network.hub'), 'Unprotected');
        assert.ok(nicFindings(other).includes('uninspected-egress hub.tf'));
        const ws = await createWorkspace();
        ws.setFile('hub.tf', broken());
        ws.setFile('spoke.tf', spoke('azurerm_linux_virtual_machine.nva.private_ip_address'));
        let b = ws.build();
        assert.equal(stateOf(analyze(b.model, {}, b.diagnostics), 'azurerm_virtual_network.hub'), 'Inspection');
        ws.setFile('spoke.tf', spoke('"10.0.1.99"'));
        b = ws.build();
        assert.equal(stateOf(analyze(b.model, {}, b.diagnostics), 'azurerm_virtual_network.hub'), 'Unprotected');
        ws.setFile('spoke.tf', spoke('azurerm_network_interface.outside.private_ip_address'));
        b = ws.build();
        const r = analyze(b.model, {}, b.diagnostics);
        assert.equal(stateOf(r, 'azurerm_virtual_network.hub'), 'Inspection');
        assert.deepEqual(nicFindings(r), ['blackhole-route hub.tf']);
      });
    });
  });

  describe('a firewall VM that no route names yet', () => {
    it('two forwarding NICs of one VM: its VNet is the inspection VNet and its own subnets are never told to route to an NVA', async () => {
      const r = await run({ 'hub.tf': hub() });
      assert.equal(stateOf(r, 'azurerm_virtual_network.hub'), 'Inspection');
      assert.deepEqual(
        r.findings.map((f) => f.code),
        [],
      );
      assert.deepEqual(
        r.egress.map((e) => e.subnet),
        [],
      );
    });

    it('removing the VM file makes its NICs ordinary ones again, and changing a NIC re-decides the next hop (incremental build)', async () => {
      const text = hub();
      const at = text.indexOf('resource "azurerm_linux_virtual_machine"');
      const ws = await createWorkspace();
      ws.setFile('nics.tf', text.slice(0, at));
      ws.setFile('vm.tf', text.slice(at));
      ws.build();
      ws.removeFile('vm.tf');
      let b = ws.build();
      let r = analyze(b.model, {}, b.diagnostics);
      assert.equal(stateOf(r, 'azurerm_virtual_network.hub'), 'Unprotected');
      ws.setFile('vm.tf', text.slice(at));
      ws.setFile('spoke.tf', spoke('azurerm_linux_virtual_machine.nva.private_ip_address'));
      b = ws.build();
      r = analyze(b.model, {}, b.diagnostics);
      assert.equal(stateOf(r, 'azurerm_virtual_network.hub'), 'Inspection');
      assert.equal(stateOf(r, 'azurerm_virtual_network.spoke'), 'Protected');
      ws.setFile('nics.tf', text.slice(0, at).replace(/ip_forwarding_enabled = true/, 'ip_forwarding_enabled = false'));
      b = ws.build();
      r = analyze(b.model, {}, b.diagnostics);
      assert.equal(stateOf(r, 'azurerm_virtual_network.spoke'), 'No Egress');
    });

    it("a firewall vendor's image with one forwarding NIC is a firewall too", async () => {
      const r = await run({ 'hub.tf': hub({ single: true, publisher: 'paloaltonetworks' }) });
      assert.equal(stateOf(r, 'azurerm_virtual_network.hub'), 'Inspection');
      assert.deepEqual(
        r.findings.map((f) => f.code),
        [],
      );
    });

    it("a firewall vendor's image with its management NIC only (none forwards) is that firewall, not a workload", async () => {
      const r = await run({ 'hub.tf': hub({ single: true, outsideForwards: false, publisher: 'paloaltonetworks' }) });
      assert.equal(stateOf(r, 'azurerm_virtual_network.hub'), 'Inspection');
      assert.match(r.states.find((s) => s.vpc === 'azurerm_virtual_network.hub')!.reason, /firewall VMs .*inspect no path/);
      assert.deepEqual(r.findings, []);
      // The same machine from an ordinary image is a host whose egress is uninspected.
      const plain = await run({ 'hub.tf': hub({ single: true, outsideForwards: false }) });
      assert.equal(stateOf(plain, 'azurerm_virtual_network.hub'), 'Unprotected');
      assert.deepEqual(
        plain.findings.map((f) => f.code),
        ['uninspected-egress'],
      );
    });

    // F102: a firewall VM (the legacy azurerm_virtual_machine resource) whose data NICs forward and whose first NIC,
    // its management interface, does not, in a management subnet of its own that keeps Azure's route to the internet.
    const managed = (opts: { publisher: string; dataNics: number }) => `
resource "azurerm_virtual_network" "hub" {
  name                = "vnet-hub"
  location            = "westeurope"
  resource_group_name = "rg"
  address_space       = ["10.0.0.0/16"]
}
${subnet('mgmt', 'hub', '10.0.0.0/28')}
${subnet('untrusted', 'hub', '10.0.1.0/24')}
${subnet('trusted', 'hub', '10.0.2.0/24')}
${nic('mgmt', 'mgmt', false)}
${nic('outside', 'untrusted', true)}
${nic('inside', 'trusted', opts.dataNics > 1)}
resource "azurerm_virtual_machine" "fw" {
  name                         = "vm-fw"
  location                     = "westeurope"
  resource_group_name          = "rg"
  vm_size                      = "Standard_D3_v2"
  primary_network_interface_id = azurerm_network_interface.mgmt.id
  network_interface_ids        = [azurerm_network_interface.mgmt.id, azurerm_network_interface.outside.id, azurerm_network_interface.inside.id]
  storage_image_reference {
    publisher = "${opts.publisher}"
    offer     = "image"
    sku       = "sku"
    version   = "latest"
  }
}
`;

    for (const [what, opts] of [
      ["a firewall vendor's image", { publisher: 'paloaltonetworks', dataNics: 2 }],
      ['an ordinary image with two forwarding NICs', { publisher: 'Canonical', dataNics: 2 }],
    ] as const)
      it(`${what} with a management NIC that does not forward: the management subnet is the firewall's own, not a workload's (F102)`, async () => {
        const r = await run({ 'hub.tf': managed(opts) });
        assert.equal(stateOf(r, 'azurerm_virtual_network.hub'), 'Inspection');
        assert.deepEqual(r.findings, []);
        assert.deepEqual(
          r.egress.map((e) => e.subnet),
          [],
        );
      });

    it('an ordinary image with one forwarding NIC and one that does not is no firewall machine: the other subnet stays a workload one', async () => {
      const r = await run({ 'hub.tf': managed({ publisher: 'Canonical', dataNics: 1 }) });
      assert.equal(stateOf(r, 'azurerm_virtual_network.hub'), 'Unprotected');
      assert.ok(r.findings.some((f) => f.code === 'uninspected-egress' && f.traces?.includes('azurerm_subnet.mgmt')));
    });

    it("an ordinary VM's one forwarding NIC that no route names stays a workload's: its subnet's uninspected egress is reported", async () => {
      const r = await run({ 'hub.tf': hub({ single: true }) });
      assert.equal(stateOf(r, 'azurerm_virtual_network.hub'), 'Unprotected');
      assert.deepEqual(
        r.findings.map((f) => `${f.code} ${f.traces?.join(',')}`),
        ['uninspected-egress azurerm_subnet.untrusted'],
      );
    });
  });

  // A VM whose NICs do not forward is a host: in an NVA's subnet it is a workload whose egress is traced.
  describe('an ordinary VM', () => {
    const jumpbox = (sub: string) => `
${nic('jumpbox', sub, false)}
resource "azurerm_linux_virtual_machine" "jumpbox" {
  name                  = "vm-jumpbox"
  location              = "westeurope"
  resource_group_name   = "rg"
  size                  = "Standard_B2s"
  network_interface_ids = [azurerm_network_interface.jumpbox.id]
}
`;

    it("in the NVA's own subnet: that subnet is traced and its uninspected egress reported, at the VM", async () => {
      const r = await run({ 'hub.tf': hub(), 'jumpbox.tf': jumpbox('untrusted') });
      assert.deepEqual(
        r.egress.map((e) => e.subnet),
        ['azurerm_subnet.untrusted'],
      );
      assert.deepEqual(
        r.findings.map((f) => `${f.code} ${f.location.file}`),
        ['uninspected-egress jumpbox.tf'],
      );
      // The subnet has no route table: the system route there is the NVA's own way out, not to be re-pointed.
      assert.match(
        r.findings[0].fix?.title ?? '',
        /^Move the workload to a subnet whose egress is inspected: its subnet also carries nic-outside's own traffic/,
      );
    });

    it('in a spoke subnet routed to the NVA: nothing changes', async () => {
      const r = await run({ 'hub.tf': hub(), 'spoke.tf': spoke('azurerm_linux_virtual_machine.nva.private_ip_address') + jumpbox('app') });
      assert.equal(stateOf(r, 'azurerm_virtual_network.spoke'), 'Protected');
      assert.deepEqual(
        r.findings.map((f) => f.code),
        [],
      );
    });

    it('a literal next hop address in a subnet holding the NVA and a VM stays the NVA', async () => {
      const r = await run({ 'hub.tf': hub(), 'jumpbox.tf': jumpbox('untrusted'), 'spoke.tf': spoke('"10.0.1.4"') });
      assert.deepEqual(
        r.egress.find((e) => e.subnet === 'azurerm_subnet.app')?.forward.hops.map((h) => h.name),
        ['snet-app', 'nic-outside', 'internet'],
      );
    });
  });

  // R1: on Azure a VM-Series maps its first NIC to the PAN-OS management interface, which forwards no traffic
  // whatever its IP forwarding flag; its data interfaces are the others. A UDR to the VM's address (its primary
  // NIC's) reaches no enforcement point: Unknown naming the data interfaces, never Protected nor a finding.
  describe("a Palo Alto VM-Series' primary NIC is its management interface", () => {
    const pan = (opts: { outsideForwards?: boolean } = {}) => hub({ publisher: 'paloaltonetworks', ...opts });
    const reason =
      /nic-outside, vm-nva's primary network interface, is a Palo Alto VM-Series' management interface \(its first\), which forwards no traffic; route to a data interface \(nic-inside\)/;

    for (const [what, expr] of [
      ["the VM's private_ip_address", 'azurerm_linux_virtual_machine.nva.private_ip_address'],
      ["the first NIC's private_ip_address", 'azurerm_network_interface.outside.private_ip_address'],
    ])
      it(`${what}: Unknown naming the data interface, no finding`, async () => {
        const r = await run({ 'hub.tf': pan(), 'spoke.tf': spoke(expr) });
        const app = r.egress.find((e) => e.subnet === 'azurerm_subnet.app')!;
        assert.equal(app.forward.outcome.kind, 'unknown');
        assert.deepEqual(app.forward.inspectedBy, []);
        assert.equal(stateOf(r, 'azurerm_virtual_network.spoke'), 'Unknown');
        assert.match(r.states.find((s) => s.vpc === 'azurerm_virtual_network.spoke')!.reason, reason);
        assert.deepEqual(r.findings, []);
        assert.equal(stateOf(r, 'azurerm_virtual_network.hub'), 'Inspection');
      });

    it('its management NIC without IP forwarding: the same Unknown, not a drop whose fix is to enable forwarding', async () => {
      const r = await run({
        'hub.tf': pan({ outsideForwards: false }),
        'spoke.tf': spoke('azurerm_linux_virtual_machine.nva.private_ip_address'),
      });
      assert.equal(r.egress.find((e) => e.subnet === 'azurerm_subnet.app')?.forward.outcome.kind, 'unknown');
      assert.match(r.states.find((s) => s.vpc === 'azurerm_virtual_network.spoke')!.reason, reason);
      assert.deepEqual(r.findings, []);
    });

    it('a route to its data interface goes through the firewall', async () => {
      const r = await run({ 'hub.tf': pan(), 'spoke.tf': spoke('azurerm_network_interface.inside.private_ip_address') });
      assert.deepEqual(
        r.egress.find((e) => e.subnet === 'azurerm_subnet.app')?.forward.inspectedBy.map((i) => i.element),
        ['azurerm_network_interface.inside'],
      );
      assert.equal(stateOf(r, 'azurerm_virtual_network.spoke'), 'Protected');
    });

    it('custom data swapping the interfaces (mgmt-interface-swap=enable): the first NIC is a data interface', async () => {
      const swapped = pan().replace('iptables -P FORWARD DROP', 'mgmt-interface-swap=enable\\niptables -P FORWARD DROP');
      assert.notEqual(swapped, pan());
      const r = await run({ 'hub.tf': swapped, 'spoke.tf': spoke('azurerm_linux_virtual_machine.nva.private_ip_address') });
      assert.deepEqual(
        r.egress.find((e) => e.subnet === 'azurerm_subnet.app')?.forward.hops.map((h) => h.name),
        ['snet-app', 'nic-outside', 'internet'],
      );
      assert.equal(stateOf(r, 'azurerm_virtual_network.spoke'), 'Protected');
    });

    it('custom data swapping them in its op-command-modes (the init-cfg.txt form): the first NIC is a data interface', async () => {
      const swapped = pan().replace(
        'iptables -P FORWARD DROP',
        'op-command-modes=jumbo-frame,mgmt-interface-swap\\niptables -P FORWARD DROP',
      );
      assert.notEqual(swapped, pan());
      const r = await run({ 'hub.tf': swapped, 'spoke.tf': spoke('azurerm_linux_virtual_machine.nva.private_ip_address') });
      assert.equal(stateOf(r, 'azurerm_virtual_network.spoke'), 'Protected');
    });

    // F237: the next hop written as the literal static address of that NIC is the same management interface.
    const staticIps = (text: string): string =>
      text
        .replace(
          /(nic-outside"[\s\S]*?)private_ip_address_allocation = "Dynamic"/,
          '$1private_ip_address_allocation = "Static"\n    private_ip_address = "10.0.1.4"',
        )
        .replace(
          /(nic-inside"[\s\S]*?)private_ip_address_allocation = "Dynamic"/,
          '$1private_ip_address_allocation = "Static"\n    private_ip_address = "10.0.2.4"',
        );
    it("a literal next hop address, the first NIC's static one: the same Unknown, no finding", async () => {
      const hubTf = staticIps(pan());
      assert.match(hubTf, /private_ip_address = "10\.0\.1\.4"/);
      assert.match(hubTf, /private_ip_address = "10\.0\.2\.4"/);
      const r = await run({ 'hub.tf': hubTf, 'spoke.tf': spoke('"10.0.1.4"') });
      assert.equal(r.egress.find((e) => e.subnet === 'azurerm_subnet.app')?.forward.outcome.kind, 'unknown');
      assert.match(r.states.find((s) => s.vpc === 'azurerm_virtual_network.spoke')!.reason, reason);
      assert.deepEqual(r.findings, []);
      // The data interface's static address goes through the firewall.
      const data = await run({ 'hub.tf': hubTf, 'spoke.tf': spoke('"10.0.2.4"') });
      assert.equal(stateOf(data, 'azurerm_virtual_network.spoke'), 'Protected');
      // An ordinary image's first NIC at the same address: through it, as before.
      const plain = await run({ 'hub.tf': staticIps(hub()), 'spoke.tf': spoke('"10.0.1.4"') });
      assert.equal(stateOf(plain, 'azurerm_virtual_network.spoke'), 'Protected');
    });

    it('an ordinary image with the same two NICs stays Protected through its first', async () => {
      const r = await run({ 'hub.tf': hub(), 'spoke.tf': spoke('azurerm_linux_virtual_machine.nva.private_ip_address') });
      assert.equal(stateOf(r, 'azurerm_virtual_network.spoke'), 'Protected');
    });
  });

  // Review s16 R2: Cisco's virtual firewalls map their first NIC to Management0/0 on Azure too (FTDv's second is
  // Diagnostic0/0, which forwards nothing either); FortiGate's first NIC is port1, a data port.
  describe("a Cisco FTDv's or ASAv's first NIC is its management interface", () => {
    const image = (offer: string, publisher = 'cisco') => hub({ publisher }).replace('offer     = "image"', `offer     = "${offer}"`);
    const spokeOf = (r: Awaited<ReturnType<typeof run>>) => r.states.find((s) => s.vpc === 'azurerm_virtual_network.spoke')!;

    it('ASAv: a UDR to the VM (its first NIC) is Unknown naming the data interface; to its second, Protected', async () => {
      const asav = image('cisco-asav');
      assert.match(asav, /offer {5}= "cisco-asav"/);
      const r = await run({ 'hub.tf': asav, 'spoke.tf': spoke('azurerm_linux_virtual_machine.nva.private_ip_address') });
      assert.equal(spokeOf(r).state, 'Unknown');
      assert.match(
        spokeOf(r).reason,
        /nic-outside, vm-nva's primary network interface, is a Cisco ASAv's management interface \(its first\), which forwards no traffic; route to a data interface \(nic-inside\)/,
      );
      assert.deepEqual(r.findings, []);
      const data = await run({ 'hub.tf': asav, 'spoke.tf': spoke('azurerm_network_interface.inside.private_ip_address') });
      assert.equal(stateOf(data, 'azurerm_virtual_network.spoke'), 'Protected');
    });

    it('FTDv: its first NIC is management, its second diagnostic: both Unknown, no finding', async () => {
      const ftdv = image('cisco-ftdv');
      const first = await run({ 'hub.tf': ftdv, 'spoke.tf': spoke('azurerm_linux_virtual_machine.nva.private_ip_address') });
      assert.equal(spokeOf(first).state, 'Unknown');
      assert.match(
        spokeOf(first).reason,
        /nic-outside, vm-nva's primary network interface, is a Cisco Secure Firewall Threat Defense \(FTDv\)'s management interface \(its first\), which forwards no traffic; no data interface of it is in the inputs/,
      );
      const second = await run({ 'hub.tf': ftdv, 'spoke.tf': spoke('azurerm_network_interface.inside.private_ip_address') });
      assert.equal(spokeOf(second).state, 'Unknown');
      assert.match(
        spokeOf(second).reason,
        /nic-inside, vm-nva's second network interface, is a Cisco Secure Firewall Threat Defense \(FTDv\)'s diagnostic interface \(its second\)/,
      );
      assert.deepEqual([...first.findings, ...second.findings], []);
    });

    it("a FortiGate's first NIC (port1) carries data: Protected through it", async () => {
      const r = await run({
        'hub.tf': image('fortinet_fortigate-vm_v5', 'fortinet'),
        'spoke.tf': spoke('azurerm_linux_virtual_machine.nva.private_ip_address'),
      });
      assert.equal(stateOf(r, 'azurerm_virtual_network.spoke'), 'Protected');
    });
  });
});
