// The Azure CLI export (`az network vnet list` / `az network vnet show`) of a subnet that holds only private endpoints
// (its `privateEndpoints`, and in `ipConfigurations` only their NICs' `privateEndpointIpConfig.<guid>`): a private
// endpoint answers connections and opens none, so the subnet is no egress source, as session 17 made it for Terraform
// (azurePrivateEndpointSubnet.test.ts). Anything else the export shows in it (a VM's NIC, a delegation, a service
// association link) keeps it a source. Our own subnet added to the azure-cli-export example's spoke VNet, with no
// route table: a source there would go straight to the internet.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeFiles } from '../analyzeFiles';
import { ROOT } from '../report/helpers';
import type { AnalysisResult } from '../../../src/analysis/types';

const DIR = path.join(ROOT, 'examples', 'azure-cli-export');
const read = (f: string) => fs.readFileSync(path.join(DIR, f), 'utf8');
const SPOKE = '/subscriptions/7f3c2a1e-9b4d-4c8e-a6f2-51d0e3b9c784/resourceGroups/rg-network/providers/Microsoft.Network';
const PE = `${SPOKE}/privateEndpoints/pe-blob`;
const PE_CFG = `${SPOKE}/networkInterfaces/pe-blob.nic.5d0e2a7c-1f4b-4a0e-9c3d-2b8e6f1a7c90/ipConfigurations/privateEndpointIpConfig.0c9f7e1d-3a2b-4c5d-8e6f-7a8b9c0d1e2f`;
const VM_CFG = `${SPOKE}/networkInterfaces/nic-jump/ipConfigurations/ipconfig1`;

/** The example's vnet-list.json with a subnet snet-privatelink (10.1.3.0/24) in vnet-spoke holding `fields`. */
function vnetList(fields: Record<string, unknown>): string {
  const vnets = JSON.parse(read('vnet-list.json')) as { name: string; id: string; subnets: Record<string, unknown>[] }[];
  const spoke = vnets.find((v) => v.name === 'vnet-spoke')!;
  spoke.subnets.push({
    addressPrefix: '10.1.3.0/24',
    delegations: [],
    id: `${spoke.id}/subnets/snet-privatelink`,
    name: 'snet-privatelink',
    privateEndpointNetworkPolicies: 'Disabled',
    privateLinkServiceNetworkPolicies: 'Enabled',
    provisioningState: 'Succeeded',
    resourceGroup: 'rg-network',
    type: 'Microsoft.Network/virtualNetworks/subnets',
    ...fields,
  });
  return JSON.stringify(vnets, null, 2);
}

async function run(fields: Record<string, unknown>): Promise<AnalysisResult> {
  return analyzeFiles({
    'vnet-list.json': vnetList(fields),
    'route-table-list.json': read('route-table-list.json'),
    'nic-list.json': read('nic-list.json'),
  });
}

const peSubnetTraced = (r: AnalysisResult) => r.egress.some((e) => e.subnet.endsWith('/subnets/snet-privatelink'));
const peFindings = (r: AnalysisResult) => r.findings.filter((f) => f.message.includes('snet-privatelink'));
const spoke = (r: AnalysisResult) => r.states.find((s) => s.name === 'vnet-spoke')!;

describe('Azure CLI export: a subnet holding only private endpoints is no egress source', () => {
  it('privateEndpoints and their own IP configurations only: not traced, no finding, the spoke as before', async () => {
    const base = await analyzeFiles({
      'vnet-list.json': read('vnet-list.json'),
      'route-table-list.json': read('route-table-list.json'),
      'nic-list.json': read('nic-list.json'),
    });
    const r = await run({
      privateEndpoints: [{ id: PE, resourceGroup: 'rg-network' }],
      ipConfigurations: [{ id: PE_CFG, resourceGroup: 'rg-network' }],
    });
    assert.equal(peSubnetTraced(r), false);
    assert.deepEqual(peFindings(r), []);
    assert.equal(spoke(r).state, spoke(base).state);
    assert.equal(spoke(r).reason, spoke(base).reason);
    // The export listing the endpoints without their IP configurations says nothing else is there either.
    assert.equal(peSubnetTraced(await run({ privateEndpoints: [{ id: PE }] })), false);
  });

  it('anything else the export shows in it keeps it a source: a VM NIC, a delegation, a service association link', async () => {
    const pe = { privateEndpoints: [{ id: PE }] };
    for (const extra of [
      { ipConfigurations: [{ id: PE_CFG }, { id: VM_CFG }] },
      { delegations: [{ name: 'web', serviceName: 'Microsoft.Web/serverFarms' }] },
      { serviceAssociationLinks: [{ id: `${SPOKE}/virtualNetworks/vnet-spoke/subnets/snet-privatelink/serviceAssociationLinks/link` }] },
    ]) {
      const r = await run({ ...pe, ...extra });
      assert.equal(peSubnetTraced(r), true, JSON.stringify(extra));
      assert.ok(
        peFindings(r).some((f) => f.code === 'uninspected-egress'),
        JSON.stringify(peFindings(r).map((f) => f.code)),
      );
    }
    // A subnet with nothing listed is a source too (what runs there is not in the export).
    assert.equal(peSubnetTraced(await run({})), true);
  });
});
