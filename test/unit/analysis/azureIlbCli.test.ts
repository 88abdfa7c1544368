// F87: an internal load balancer in an Azure CLI export (`az network lb list`) beside the example's VNets, route
// tables and NICs: the spoke's UDR names the frontend's address, the HA ports rule hands every flow to the pool,
// whose member is the NVA's NIC of `az network nic list` (or a scale set's instance NIC of `az vmss nic list`).
import { strict as assert } from 'node:assert';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze } from '../../../src/analysis/analyze';
import { createAnalyzer } from '../../../src/analysis/incremental';
import type { AnalysisResult } from '../../../src/analysis/types';
import { variantText, type Edit } from '../exampleVariant';

const SUB = '/subscriptions/7f3c2a1e-9b4d-4c8e-a6f2-51d0e3b9c784/resourceGroups/rg-network/providers';
const LB = `${SUB}/Microsoft.Network/loadBalancers/lb-nva`;
const NIC_CFG = `${SUB}/Microsoft.Network/networkInterfaces/nic-nva-01/ipConfigurations/ipconfig1`;

/** One internal load balancer: frontend fe-nva (10.0.1.10 in snet-nva), an HA ports rule, one pool with `members`. */
const lbList = (members: object[], addresses: object[] = [], rule: object = { protocol: 'All', frontendPort: 0, backendPort: 0 }) =>
  JSON.stringify(
    [
      {
        id: LB,
        name: 'lb-nva',
        type: 'Microsoft.Network/loadBalancers',
        location: 'westeurope',
        sku: { name: 'Standard' },
        frontendIPConfigurations: [
          {
            id: `${LB}/frontendIPConfigurations/fe-nva`,
            name: 'fe-nva',
            privateIPAddress: '10.0.1.10',
            privateIPAllocationMethod: 'Static',
            subnet: { id: `${SUB}/Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet-nva` },
          },
        ],
        backendAddressPools: [
          {
            id: `${LB}/backendAddressPools/pool-nva`,
            name: 'pool-nva',
            backendIPConfigurations: members,
            loadBalancerBackendAddresses: addresses,
          },
        ],
        loadBalancingRules: [
          {
            id: `${LB}/loadBalancingRules/ha-ports`,
            name: 'ha-ports',
            frontendIPConfiguration: { id: `${LB}/frontendIPConfigurations/fe-nva` },
            backendAddressPool: { id: `${LB}/backendAddressPools/pool-nva` },
            ...rule,
          },
        ],
      },
    ],
    null,
    2,
  );

// The spoke's UDR names the frontend instead of the NVA's own address.
const TO_LB: Edit = { file: 'route-table-list.json', replace: ['"nextHopIpAddress": "10.0.1.4"', '"nextHopIpAddress": "10.0.1.10"'] };
const OFF: Edit = { file: 'nic-list.json', replace: ['"enableIPForwarding": true', '"enableIPForwarding": false'] };

async function run(files: string[], edits: Edit[], extra: Record<string, string>): Promise<AnalysisResult> {
  const ws = await createWorkspace();
  for (const f of files) ws.setFile(f, variantText('azure-cli-export', f, edits));
  for (const [f, text] of Object.entries(extra)) ws.setFile(f, text);
  const b = ws.build();
  return analyze(b.model, {}, b.diagnostics);
}

const ALL = ['vnet-list.json', 'route-table-list.json', 'nic-list.json'];
const workload = (r: AnalysisResult) => r.egress.find((e) => e.subnet.endsWith('/subnets/snet-workload'))!;
const reason = (r: AnalysisResult) => {
  const o = workload(r).forward.outcome;
  return o.kind === 'unknown' || o.kind === 'dropped' ? o.reason : '';
};

describe('analysis: an internal load balancer in an Azure CLI export (F87)', function () {
  this.timeout(60_000);

  it('the route to its frontend goes through the load balancer to the NIC its pool lists, which forwards', async () => {
    const r = await run(ALL, [TO_LB], { 'lb-list.json': lbList([{ id: NIC_CFG }]) });
    const hops = workload(r).forward.hops;
    assert.deepEqual(
      hops.map((h) => h.kind),
      ['subnet', 'loadBalancer', 'firewall', 'internet'],
    );
    assert.equal(hops[1].name, 'lb-nva');
    assert.match(
      hops[1].note,
      /frontend fe-nva \(10\.0\.1\.10\).*every protocol and port \(HA ports rule ha-ports\) to backend pool pool-nva, whose one appliance is vm-nva-01/,
    );
    assert.deepEqual(
      r.findings.filter((f) => f.code === 'blackhole-route'),
      [],
    );
  });

  it('without the load balancer file the same route is Unknown (no element holds the address), as before', async () => {
    const r = await run(ALL, [TO_LB], {});
    assert.equal(workload(r).forward.outcome.kind, 'unknown');
    assert.match(reason(r), /10\.0\.1\.10/);
  });

  it("the pool's NIC prints enableIPForwarding false: every flow is dropped there, and blackhole-route sits on its flag", async () => {
    const r = await run(ALL, [TO_LB, OFF], { 'lb-list.json': lbList([{ id: NIC_CFG }]) });
    const o = workload(r).forward.outcome;
    assert.equal(o.kind === 'dropped' && o.cause, 'ip-forwarding-off');
    assert.match(
      reason(r),
      /hands flows to network interface nic-nva-01 \(backend pool pool-nva\), which does not forward \(enableIPForwarding: false\)/,
    );
    const f = r.findings.filter((x) => x.code === 'blackhole-route');
    assert.deepEqual(
      f.map((x) => x.location.file),
      ['nic-list.json'],
    );
    assert.match(f[0].fix?.title ?? '', /\(az network nic update --ip-forwarding true\)/);
    assert.deepEqual(
      f[0].related.map((x) => x.location.file),
      ['lb-list.json', 'route-table-list.json'],
    );
  });

  it('the NIC not in the export: Unknown, naming the member', async () => {
    const r = await run(['vnet-list.json', 'route-table-list.json'], [TO_LB], { 'lb-list.json': lbList([{ id: NIC_CFG }]) });
    assert.equal(workload(r).forward.outcome.kind, 'unknown');
    assert.match(
      reason(r),
      /member nic-nva-01\/ipconfig1 of backend pool pool-nva: `nic-nva-01` \(network interface nic-nva-01 is not in the export/,
    );
  });

  it('a member added by address is the NIC holding it', async () => {
    const r = await run(ALL, [TO_LB], { 'lb-list.json': lbList([], [{ name: 'nva-01', ipAddress: '10.0.1.4' }]) });
    assert.equal(workload(r).forward.hops[2]?.kind, 'firewall');
    const off = await run(ALL, [TO_LB, OFF], { 'lb-list.json': lbList([], [{ name: 'nva-01', ipAddress: '10.0.1.4' }]) });
    const o = workload(off).forward.outcome;
    assert.equal(o.kind === 'dropped' && o.cause, 'ip-forwarding-off');
  });

  it("a scale set's instance NIC (az vmss nic list) in the pool: the NVA is that instance", async () => {
    const vmss = `${SUB}/Microsoft.Compute/virtualMachineScaleSets/vmss-nva/virtualMachines/0`;
    const nic = `${vmss}/networkInterfaces/nic-vmss`;
    const vmssNics = JSON.stringify([
      {
        id: nic,
        name: 'nic-vmss',
        type: 'Microsoft.Network/networkInterfaces',
        enableIPForwarding: true,
        ipConfigurations: [
          {
            id: `${nic}/ipConfigurations/ipconfig1`,
            name: 'ipconfig1',
            privateIPAddress: '10.0.1.6',
            subnet: { id: `${SUB}/Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet-nva` },
          },
        ],
        virtualMachine: { id: vmss },
      },
    ]);
    const r = await run(ALL, [TO_LB], {
      'lb-list.json': lbList([{ id: `${nic}/ipConfigurations/ipconfig1` }]),
      'vmss-nic-list.json': vmssNics,
    });
    assert.match(workload(r).forward.hops[1].note, /whose one appliance is vmss-nva_0/);
    assert.equal(workload(r).forward.outcome.kind, 'delivered');
  });

  it('the workspace follows edits of the NIC file (incremental analysis equals a fresh one)', async () => {
    const ws = await createWorkspace();
    for (const f of ALL) ws.setFile(f, variantText('azure-cli-export', f, [TO_LB]));
    ws.setFile('lb-list.json', lbList([{ id: NIC_CFG }]));
    const analyzer = createAnalyzer();
    const outcome = () => {
      const b = ws.build();
      const fresh = workload(analyze(b.model, {}, b.diagnostics)).forward.outcome;
      assert.deepEqual(workload(analyzer.analyze(b.model, {}, b.diagnostics)).forward.outcome, fresh);
      return fresh;
    };
    assert.equal(outcome().kind, 'delivered');
    ws.setFile('nic-list.json', variantText('azure-cli-export', 'nic-list.json', [OFF]));
    assert.equal(outcome().kind, 'dropped');
    ws.removeFile('nic-list.json');
    assert.equal(outcome().kind, 'unknown');
    ws.setFile('nic-list.json', variantText('azure-cli-export', 'nic-list.json', []));
    assert.equal(outcome().kind, 'delivered');
  });
});
