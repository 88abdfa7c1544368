// Every resource type the model knows, by provider: the one place a new resource type is added
// (the .tf reader and the plan JSON reader both map through this table).
import { AWS_MAPPERS, type Mapper } from './mapAws';
import { AZURE_MAPPERS } from './mapAzure';
import { AZURE_VPN_MAPPERS } from './mapAzureVpn';
import { AZURE_LB_MAPPERS } from './mapAzureLb';
import { AVIATRIX_MAPPERS, isEgressGateway } from './mapAviatrix';
import { unmodelledMappers } from './mapUnmodelled';
import { FIREWALL_POLICY_MAPPERS } from './mapFirewallPolicy';
import { CLOUD_NGFW_MAPPERS } from './mapCloudNgfw';
import { AZURE_OCCUPANT_MAPPERS } from './mapAzureOccupants';
import { UNTOUCHABLE_TF_TYPES, unmodelledTfType } from '../vocabulary/unmodelled';

export type { Mapper };

const MODELLED: Record<string, Mapper> = {
  ...AWS_MAPPERS,
  ...AZURE_MAPPERS,
  ...AZURE_VPN_MAPPERS,
  ...AZURE_LB_MAPPERS,
  ...AVIATRIX_MAPPERS,
  ...FIREWALL_POLICY_MAPPERS,
  ...CLOUD_NGFW_MAPPERS,
};

// Types that can change where packets go but are not understood: kept as `unmodelled` elements.
const UNMODELLED = unmodelledMappers(
  (type) =>
    (Object.prototype.hasOwnProperty.call(MODELLED, type) && !UNTOUCHABLE_TF_TYPES.has(type)) || unmodelledTfType(type) !== undefined,
);

// Types read only for the subnets they place things in (mapAzureOccupants.ts): not modelled, so not in MODELLED (an
// unmodelled resource naming one does not touch it).
export const MAPPERS: Record<string, Mapper> = { ...AZURE_OCCUPANT_MAPPERS, ...UNMODELLED, ...MODELLED };
// A standalone Aviatrix gateway with SNAT is an egress gateway (F291); any other stays unmodelled.
MAPPERS.aviatrix_gateway = (r) => (isEgressGateway(r) ? MODELLED.aviatrix_gateway_egress(r) : UNMODELLED.aviatrix_gateway(r));
delete MAPPERS.aviatrix_gateway_egress;
