// Aviatrix's own vocabulary, shared by every input that speaks it (Terraform provider, plan JSON,
// controller exports): cloud_type codes, gateway roles, SmartGroup selector keys, predefined group
// ids, DCF actions and protocols.
import type { AviatrixGateway, Cloud, DcfPolicy, DcfProtocol, PortRange, SmartGroupSelector } from '../../model/types';
import { AVIATRIX_ALL_WEB_UUID, AVIATRIX_ANYWHERE_UUID, AVIATRIX_PUBLIC_INTERNET_UUID } from '../../model/types';

/** Model ids of the predefined groups, identical whichever format names them (deduplicated on merge). */
export const BUILTIN_GROUP_IDS = {
  anywhere: 'aviatrix:anywhere',
  publicInternet: 'aviatrix:public-internet',
  allWeb: 'aviatrix:all-web',
} as const;

export const BUILTIN_BY_UUID: Record<string, keyof typeof BUILTIN_GROUP_IDS> = {
  [AVIATRIX_ANYWHERE_UUID]: 'anywhere',
  [AVIATRIX_PUBLIC_INTERNET_UUID]: 'publicInternet',
  [AVIATRIX_ALL_WEB_UUID]: 'allWeb',
};

/**
 * aviatrix `cloud_type` bit values: 1 AWS, 256 AWS GovCloud, 1024 AWS China, 4096/16384 AWS secret
 * regions; 4 GCP; 8 Azure, 32 Azure Gov, 512/2048 Azure China; 16 OCI.
 */
export function cloudOfType(t: unknown): Cloud {
  const n = Number(t);
  if ([1, 256, 1024, 4096, 16384].includes(n)) return 'aws';
  if (n === 4) return 'gcp';
  if ([8, 32, 512, 2048].includes(n)) return 'azure';
  if (n === 16) return 'oci';
  return 'other';
}

/** Cloud names as the mc-spoke / mc-transit modules take them (`cloud = "AWS"`). */
export function cloudOfName(s: string | undefined): Cloud {
  const c = (s ?? '').toLowerCase();
  if (c === 'aws') return 'aws';
  if (c === 'azure') return 'azure';
  if (c === 'gcp') return 'gcp';
  if (c === 'oci') return 'oci';
  return 'other';
}

/** `match_expressions` keys as the provider and the controller API write them. */
export const SELECTOR_FIELDS: Record<string, keyof SmartGroupSelector> = {
  cidr: 'cidr',
  type: 'type',
  name: 'name',
  account_id: 'accountId',
  account_name: 'accountName',
  region: 'region',
  zone: 'zone',
  k8s_cluster_id: 'k8sClusterId',
  k8s_namespace: 'k8sNamespace',
  k8s_service: 'k8sService',
};

/** Gateway role of each gateway resource type (the mc-spoke / mc-transit modules make the same). */
export const GATEWAY_ROLES: Record<string, AviatrixGateway['role']> = {
  aviatrix_spoke_gateway: 'spoke',
  aviatrix_transit_gateway: 'transit',
  aviatrix_gateway: 'egress',
};

/** The resource type of a gateway role (the ids mc-spoke / mc-transit give their gateways). */
export function gatewayType(role: AviatrixGateway['role']): string {
  return Object.keys(GATEWAY_ROLES).find((t) => GATEWAY_ROLES[t] === role) ?? 'aviatrix_spoke_gateway';
}

/** DCF protocols as written (any case); anything else is not decidable. */
const DCF_PROTOCOLS: Record<string, DcfProtocol> = { TCP: 'tcp', UDP: 'udp', ICMP: 'icmp', ANY: 'any', ALL: 'any' };

export function dcfProtocol(p: string): DcfProtocol | undefined {
  return DCF_PROTOCOLS[p.toUpperCase()];
}

/**
 * A DCF action: `DENY` denies; `PERMIT` and the inspecting permits (`DEEP_PACKET_INSPECTION_PERMIT`,
 * `INTRUSION_DETECTION_PERMIT`) permit, the latter two with inspection.
 */
export function dcfAction(raw: string): Pick<DcfPolicy, 'action' | 'inspect'> {
  const upper = raw.toUpperCase();
  return { action: upper.includes('DENY') ? 'deny' : 'permit', inspect: upper.includes('INSPECTION') || upper.includes('INTRUSION') };
}

/** A `port_ranges` entry: `hi` unset, 0 (the provider's empty value) or below `lo` means the one port. */
export function portRange(lo: number, hi: number | undefined): PortRange {
  return { lo, hi: hi !== undefined && hi >= lo ? hi : lo };
}
