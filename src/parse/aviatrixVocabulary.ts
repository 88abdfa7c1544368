// Aviatrix's own vocabulary, shared by every input that speaks it (Terraform provider, plan JSON,
// controller exports): cloud_type codes, SmartGroup selector keys, predefined group ids.
import type { Cloud, SmartGroupSelector } from '../model/types';
import { AVIATRIX_ALL_WEB_UUID, AVIATRIX_ANYWHERE_UUID, AVIATRIX_PUBLIC_INTERNET_UUID } from '../model/types';

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
