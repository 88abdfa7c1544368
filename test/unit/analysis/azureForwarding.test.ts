// What Azure refuses to forward (domain.md, Azure hub and spoke; Azure NVAs as virtual machines): a reply an NVA
// of the hub forwards into a spoke whose peering does not allow forwarded traffic, a UDR to a NIC without IP
// forwarding, and a next hop address that nothing of the inputs holds (Unknown, never "no egress").
import { strict as assert } from 'node:assert';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze } from '../../../src/analysis/analyze';
import { createAnalyzer } from '../../../src/analysis/incremental';
import type { AnalysisResult } from '../../../src/analysis/types';
import { variantText, type Edit } from '../exampleVariant';

async function run(example: string, files: string[], edits: Edit[] = [], extra: Record<string, string> = {}): Promise<AnalysisResult> {
  const ws = await createWorkspace();
  for (const f of files) ws.setFile(f, variantText(example, f, edits));
  for (const [f, text] of Object.entries(extra)) ws.setFile(f, text);
  const b = ws.build();
  return analyze(b.model, {}, b.diagnostics);
}

const NVA = ['versions.tf', 'hub.tf', 'spoke.tf'];
const nva = (edits: Edit[] = [], extra: Record<string, string> = {}) => run('azure-hub-spoke-nva', NVA, edits, extra);
const app = (r: AnalysisResult) => r.egress.find((e) => e.subnet === 'azurerm_subnet.app');
const stateOf = (r: AnalysisResult, vnet: string) => r.states.find((s) => s.vpc === vnet)?.state;

// The spoke's own peering (written in the spoke, remote the hub) decides what the hub's NVA may forward into it.
const SPOKE_SIDE: [string, string] = [
  `  virtual_network_name      = azurerm_virtual_network.spoke.name
  remote_virtual_network_id = azurerm_virtual_network.hub.id
  allow_forwarded_traffic   = true`,
  `  virtual_network_name      = azurerm_virtual_network.spoke.name
  remote_virtual_network_id = azurerm_virtual_network.hub.id`,
];
const HUB_SIDE: [string, string] = [
  `  virtual_network_name      = azurerm_virtual_network.hub.name
  remote_virtual_network_id = azurerm_virtual_network.spoke.id
  allow_forwarded_traffic   = true`,
  `  virtual_network_name      = azurerm_virtual_network.hub.name
  remote_virtual_network_id = azurerm_virtual_network.spoke.id
  allow_forwarded_traffic   = false`,
];

describe('analysis: what Azure does not forward', function () {
  this.timeout(60_000);

  describe('allow_forwarded_traffic on a hub-spoke peering, NVA virtual machine in the hub', () => {
    it('both peerings allow it: the reply the NVA forwards reaches the spoke', async () => {
      const r = await nva();
      assert.equal(app(r)?.return?.outcome.kind, 'delivered');
      assert.equal(stateOf(r, 'azurerm_virtual_network.spoke'), 'Protected');
    });

    it("the spoke's peering leaves it out (false by default): the reply is dropped there, and the finding sits on that peering", async () => {
      const r = await nva([{ file: 'spoke.tf', replace: SPOKE_SIDE }]);
      const ret = app(r)?.return;
      assert.equal(app(r)?.forward.outcome.kind, 'delivered');
      assert.equal(ret?.outcome.kind, 'dropped');
      assert.equal(ret?.outcome.kind === 'dropped' && ret.outcome.cause, 'forwarded-traffic-refused');
      assert.equal(ret?.outcome.kind === 'dropped' && ret.outcome.at, 'azurerm_virtual_network_peering.spoke_to_hub');
      assert.match(JSON.stringify(ret?.outcome), /peering spoke-to-hub of vnet-spoke-app does not allow forwarded traffic/);
      const f = r.findings.filter((x) => x.code === 'blackhole-route');
      assert.equal(f.length, 1);
      assert.equal(f[0].elementId, 'azurerm_virtual_network_peering.spoke_to_hub');
      assert.equal(f[0].location.file, 'spoke.tf');
      assert.match(f[0].fix?.title ?? '', /allow_forwarded_traffic = true/);
    });

    it("only the hub's peering refuses it: that flag governs what enters the hub, not the reply into the spoke", async () => {
      const r = await nva([{ file: 'spoke.tf', replace: HUB_SIDE }]);
      assert.equal(app(r)?.return?.outcome.kind, 'delivered');
      assert.equal(stateOf(r, 'azurerm_virtual_network.spoke'), 'Protected');
    });

    it('a flag the inputs cannot decide: the reply is Unknown, naming the peering', async () => {
      const r = await nva([
        {
          file: 'spoke.tf',
          replace: [SPOKE_SIDE[0], SPOKE_SIDE[1] + '\n  allow_forwarded_traffic   = var.forwarding'],
          append: '\nvariable "forwarding" {\n  type = bool\n}\n',
        },
      ]);
      const ret = app(r)?.return;
      assert.equal(ret?.outcome.kind, 'unknown');
      assert.match(JSON.stringify(ret?.outcome), /allow_forwarded_traffic of peering spoke-to-hub/);
      assert.equal(r.findings.filter((x) => x.code === 'blackhole-route').length, 0);
    });

    it("the spoke's peering is not in the inputs (the hub's is): the reply is Unknown, never delivered nor dropped", async () => {
      const text = variantText('azure-hub-spoke-nva', 'spoke.tf', []);
      const start = text.indexOf('resource "azurerm_virtual_network_peering" "spoke_to_hub"');
      const end = text.indexOf('resource "azurerm_route_table"');
      const r = await nva([{ file: 'spoke.tf', replace: [text.slice(start, end), ''] }]);
      assert.equal(app(r)?.return?.outcome.kind, 'unknown');
      assert.match(
        JSON.stringify(app(r)?.return?.outcome),
        /peering of vnet-spoke-app with vnet-hub is not in the inputs \(only hub-to-spoke, the other side\)/,
      );
    });
  });

  describe('allowForwardedTraffic in an Azure CLI export', () => {
    const CLI = ['vnet-list.json', 'route-table-list.json', 'nic-list.json'];
    const workload = (r: AnalysisResult) => r.egress.find((e) => e.subnet.endsWith('/subnets/snet-workload'));
    it("false on the spoke's peering: the reply the NVA forwards into the spoke is dropped there", async () => {
      const before = await run('azure-cli-export', CLI);
      assert.equal(workload(before)?.return?.outcome.kind, 'delivered');
      const r = await run('azure-cli-export', CLI, [
        {
          file: 'vnet-list.json',
          replace: [
            `"allowForwardedTraffic": true,
        "allowGatewayTransit": false,
        "allowVirtualNetworkAccess": true,
        "doNotVerifyRemoteGateways": false,
        "etag": "W/\\"00000018`,
            `"allowForwardedTraffic": false,
        "allowGatewayTransit": false,
        "allowVirtualNetworkAccess": true,
        "doNotVerifyRemoteGateways": false,
        "etag": "W/\\"00000018`,
          ],
        },
      ]);
      const o = workload(r)?.return?.outcome;
      assert.equal(o?.kind === 'dropped' && o.cause, 'forwarded-traffic-refused');
      assert.match(o?.kind === 'dropped' ? o.reason : '', /peering spoke-to-hub of vnet-spoke/);
    });
  });

  describe('enableIPForwarding in an Azure CLI export (az network nic list beside az network route-table list)', () => {
    const CLI = ['vnet-list.json', 'route-table-list.json', 'nic-list.json'];
    const workload = (r: AnalysisResult) => r.egress.find((e) => e.subnet.endsWith('/subnets/snet-workload'));
    const OFF: Edit = { file: 'nic-list.json', replace: ['"enableIPForwarding": true', '"enableIPForwarding": false'] };
    const RG = '/subscriptions/7f3c2a1e-9b4d-4c8e-a6f2-51d0e3b9c784/resourcegroups/rg-network/providers/microsoft.network';
    // A NIC of our own holding the NVA's address, in a VNet the export names by its subnet id.
    const nicList = (name: string, vnet: string, forwarding?: boolean) =>
      JSON.stringify(
        [
          {
            ...(forwarding === undefined ? {} : { enableIPForwarding: forwarding }),
            id: `${RG}/networkInterfaces/${name}`,
            ipConfigurations: [
              { name: 'ipconfig1', privateIPAddress: '10.0.1.4', subnet: { id: `${RG}/virtualNetworks/${vnet}/subnets/snet-vm` } },
            ],
            name,
            type: 'Microsoft.Network/networkInterfaces',
          },
        ],
        null,
        2,
      );

    it('false on the NIC the UDR names: the forward path is dropped at that route, and the finding sits on the flag', async () => {
      const r = await run('azure-cli-export', CLI, [OFF]);
      const o = workload(r)?.forward.outcome;
      assert.equal(o?.kind === 'dropped' && o.cause, 'ip-forwarding-off');
      assert.match(o?.kind === 'dropped' ? (o.at ?? '') : '', /routetables\/rt-spoke-workload\/routes\/default-via-nva$/);
      assert.match(JSON.stringify(o), /network interface nic-nva-01 does not forward \(enableIPForwarding: false\)/);
      const f = r.findings.filter((x) => x.code === 'blackhole-route');
      assert.equal(f.length, 1);
      assert.equal(f[0].elementId, `${RG}/networkinterfaces/nic-nva-01`);
      assert.equal(f[0].location.file, 'nic-list.json');
      const flagLine =
        variantText('azure-cli-export', 'nic-list.json', [OFF])
          .split('\n')
          .findIndex((l) => l.includes('"enableIPForwarding"')) + 1;
      assert.equal(f[0].location.range.start.line + 1, flagLine);
      assert.deepEqual(
        f[0].related.map((x) => x.location.file),
        ['route-table-list.json'],
      );
      assert.equal(
        f[0].fix?.title,
        "Enable IP forwarding on nic-nva-01 (az network nic update --ip-forwarding true) and in the appliance's operating system",
      );
    });

    it('the same NIC with forwarding on (the example): the NVA inspects, nothing is dropped', async () => {
      const r = await run('azure-cli-export', CLI);
      assert.equal(workload(r)?.forward.outcome.kind, 'delivered');
      assert.equal(r.findings.filter((x) => x.code === 'blackhole-route').length, 0);
    });

    it('the NIC not in the export (no nic list): Unknown, naming the address, as before', async () => {
      const r = await run('azure-cli-export', ['vnet-list.json', 'route-table-list.json']);
      const o = workload(r)?.forward.outcome;
      assert.equal(o?.kind, 'unknown');
      assert.match(JSON.stringify(o), /no network interface or firewall of the inputs holds the next hop address 10\.0\.1\.4/);
      assert.equal(r.findings.filter((x) => x.code === 'blackhole-route').length, 0);
    });

    it('the flag not printed: Unknown, never a drop', async () => {
      const r = await run('azure-cli-export', CLI, [{ file: 'nic-list.json', replace: ['"enableIPForwarding": true,', ''] }]);
      assert.equal(workload(r)?.forward.outcome.kind, 'unknown');
      assert.equal(r.findings.filter((x) => x.code === 'blackhole-route').length, 0);
    });

    it("a NIC of a VNet the route's table does not reach holds the same address (overlapping ranges): it decides nothing", async () => {
      const r = await run('azure-cli-export', ['vnet-list.json', 'route-table-list.json'], [], {
        'nic-list-other.json': nicList('nic-vm-other', 'vnet-other', false),
      });
      assert.equal(workload(r)?.forward.outcome.kind, 'unknown');
      assert.equal(r.findings.filter((x) => x.code === 'blackhole-route').length, 0);
    });

    it('a second NIC the table reaches claims the address too (two exports disagree): it decides nothing', async () => {
      const r = await run('azure-cli-export', CLI, [OFF], { 'nic-list-other.json': nicList('nic-vm-other', 'vnet-hub', false) });
      const o = workload(r)?.forward.outcome;
      assert.notEqual(o?.kind === 'dropped' && o.cause, 'ip-forwarding-off');
      assert.equal(r.findings.filter((x) => x.code === 'blackhole-route').length, 0);
    });

    it('a NIC in the peered hub, not the NVA, in a file of its own: dropped there (the file joins the route of another)', async () => {
      const r = await run('azure-cli-export', ['vnet-list.json', 'route-table-list.json'], [], {
        'nic-list-hub.json': nicList('nic-vm-jumpbox', 'vnet-hub', false),
      });
      const o = workload(r)?.forward.outcome;
      assert.equal(o?.kind === 'dropped' && o.cause, 'ip-forwarding-off');
      assert.match(JSON.stringify(o), /network interface nic-vm-jumpbox does not forward/);
    });

    it('the workspace follows edits of the NIC file: off, on again, removed', async () => {
      const ws = await createWorkspace();
      for (const f of CLI) ws.setFile(f, variantText('azure-cli-export', f, []));
      // The extension's incremental analyzer gives what a fresh analysis gives after each edit.
      const analyzer = createAnalyzer();
      const outcome = () => {
        const b = ws.build();
        const fresh = workload(analyze(b.model, {}, b.diagnostics))?.forward.outcome;
        assert.deepEqual(workload(analyzer.analyze(b.model, {}, b.diagnostics))?.forward.outcome, fresh);
        return fresh;
      };
      assert.equal(outcome()?.kind, 'delivered');
      ws.setFile('nic-list.json', variantText('azure-cli-export', 'nic-list.json', [OFF]));
      const off = outcome();
      assert.equal(off?.kind === 'dropped' && off.cause, 'ip-forwarding-off');
      ws.setFile('nic-list.json', variantText('azure-cli-export', 'nic-list.json', []));
      assert.equal(outcome()?.kind, 'delivered');
      ws.setFile('nic-list.json', variantText('azure-cli-export', 'nic-list.json', [OFF]));
      assert.equal(outcome()?.kind, 'dropped');
      ws.removeFile('nic-list.json');
      assert.equal(outcome()?.kind, 'unknown');
    });
  });

  describe('allow_forwarded_traffic with Azure Firewall in the hub', () => {
    it("off on both peerings: the spoke's egress goes through the firewall both ways, as with it on", async () => {
      const on = '  allow_forwarded_traffic   = true\n}';
      const off = '  allow_forwarded_traffic   = false\n}';
      const before = await run('azure-hub-spoke-firewall', ['main.tf']);
      const text = variantText('azure-hub-spoke-firewall', 'main.tf', []);
      const at = text.indexOf(on);
      const edits: Edit[] = [
        { file: 'main.tf', replace: [text.slice(at - 60, at + on.length), text.slice(at - 60, at) + off] },
        { file: 'main.tf', replace: [on, off] },
      ];
      const r = await run('azure-hub-spoke-firewall', ['main.tf'], edits);
      assert.ok(!variantText('azure-hub-spoke-firewall', 'main.tf', edits).includes('allow_forwarded_traffic   = true'));
      const inspected = r.egress.filter((e) => e.forward.inspectedBy.length > 0);
      assert.ok(inspected.length > 0);
      for (const e of inspected) assert.equal(e.return?.outcome.kind, 'delivered');
      assert.deepEqual(
        r.states.map((s) => [s.vpc, s.state]),
        before.states.map((s) => [s.vpc, s.state]),
      );
    });
  });

  describe('a UDR to a network interface without IP forwarding', () => {
    for (const [what, setting, said] of [
      ['written false', 'ip_forwarding_enabled = false', /ip_forwarding_enabled = false/],
      ['not written (off by default)', '', /ip_forwarding_enabled not set, off by default/],
    ] as const)
      it(`${what}: the forward path is dropped at the route, and the finding sits on the NIC`, async () => {
        const r = await nva([{ file: 'hub.tf', replace: ['ip_forwarding_enabled = true', setting] }]);
        const fwd = app(r)?.forward;
        assert.equal(fwd?.outcome.kind, 'dropped');
        assert.equal(fwd?.outcome.kind === 'dropped' && fwd.outcome.cause, 'ip-forwarding-off');
        assert.match(JSON.stringify(fwd?.outcome), /network interface nic-nva does not forward/);
        assert.match(JSON.stringify(fwd?.outcome), said);
        const f = r.findings.filter((x) => x.code === 'blackhole-route');
        assert.equal(f.length, 1);
        assert.equal(f[0].elementId, 'azurerm_network_interface.nva');
        assert.equal(f[0].location.file, 'hub.tf');
        assert.match(
          f[0].fix?.title ?? '',
          /Enable IP forwarding on nic-nva \(ip_forwarding_enabled = true\) and in the appliance's operating system/,
        );
      });

    it('the literal address the NIC is given statically: dropped the same way', async () => {
      const r = await nva([
        { file: 'hub.tf', replace: ['ip_forwarding_enabled = true', 'ip_forwarding_enabled = false'] },
        { file: 'spoke.tf', replace: ['azurerm_linux_virtual_machine.nva.private_ip_address', '"10.0.1.4"'] },
      ]);
      const o = app(r)?.forward.outcome;
      assert.equal(o?.kind === 'dropped' && o.cause, 'ip-forwarding-off');
    });

    it('a flag the inputs cannot decide stays Unknown', async () => {
      const r = await nva([
        {
          file: 'hub.tf',
          replace: ['ip_forwarding_enabled = true', 'ip_forwarding_enabled = var.fwd'],
          append: '\nvariable "fwd" {\n  type = bool\n}\n',
        },
      ]);
      assert.equal(app(r)?.forward.outcome.kind, 'unknown');
    });
  });

  describe('a next hop address that nothing of the inputs holds', () => {
    it('is Unknown, naming the address (an appliance of another configuration may hold it), not dropped', async () => {
      const r = await nva([{ file: 'spoke.tf', replace: ['azurerm_linux_virtual_machine.nva.private_ip_address', '"10.9.0.4"'] }]);
      const fwd = app(r)?.forward;
      assert.equal(fwd?.outcome.kind, 'unknown');
      assert.match(JSON.stringify(fwd?.outcome), /no network interface or firewall of the inputs holds the next hop address 10\.9\.0\.4/);
      assert.equal(stateOf(r, 'azurerm_virtual_network.spoke'), 'Unknown');
      assert.equal(r.findings.filter((x) => x.code === 'blackhole-route').length, 0);
    });
  });
});
