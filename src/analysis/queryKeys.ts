// The keys of ModelIndex's answers, declared once for both sides of incremental analysis: a trace
// records the keys of everything it asked the index (element ids and references as written, plus a
// query key per question: ModelIndex adds them as it answers), and after an edit each changed element
// names the keys of every answer it is part of (elementKeys), so the traces that used none are reused.
import type { NetworkElement, Ref } from '../model/types';
import { isUnresolved } from '../model/types';
import type { ModelIndex } from './modelIndex';

/**
 * One key prefix per question, followed by the id asked about. Query keys start with NUL so they
 * never equal an element id.
 */
export const QueryKey = {
  /** ofKind(k) and questions over every element of a kind. */
  kind: '\u0000kind\u0000',
  /** subnetsOfVpc(vpc). */
  subnetsOfVpc: '\u0000sv\u0000',
  /** routeTablesOfVpc(vpc). */
  tablesOfVpc: '\u0000tv\u0000',
  /** mainRouteTable(vpc): route tables of the VPC and main associations. */
  main: '\u0000main\u0000',
  /** routeTableOfSubnet(subnet): explicit associations. */
  subnetAssoc: '\u0000assoc\u0000',
  /** edgeRouteTable(gateway): edge associations. */
  edgeAssoc: '\u0000edge\u0000',
  /** elementsInSubnet(subnet): anything with a subnet field. */
  bySubnet: '\u0000bs\u0000',
  /** elementByIp(ip): NAT GWs, instances and firewalls by private IP. */
  ipOwner: '\u0000ip\u0000',
  /** subnetContainingIp(ip, vpc): the subnet CIDRs of one VPC ... */
  subnetNets: '\u0000nets\u0000',
  /** ... or of every VPC. */
  allSubnetNets: '\u0000nets*',
  /** vpcContainingIp(ip): VPC CIDRs. */
  vpcNets: '\u0000vnets',
  /** tgwAttachmentsOfVpc(vpc). */
  attachmentsOfVpc: '\u0000av\u0000',
  /** tgwAttachmentsOfTgw(tgw). */
  attachmentsOfTgw: '\u0000at\u0000',
  /** interfacesOf(instance): network interfaces attached to it. */
  interfacesOf: '\u0000if\u0000',
  /** isIdleNva(e): the VirtualAppliance next-hop addresses of every route table. */
  nvaHops: '\u0000nvahops',
  /** isAppliance(id) and subnet roles: the routes of every table that name an instance or interface. */
  routedInstances: '\u0000routedinst',
  /** unplacedRoutes(): the routes of tables the inputs do not identify (RouteTable.unplaced). */
  unplaced: '\u0000unplaced',
  /** unplacedAppliancesFor(subnet): forwarding interfaces and instances placed in parameter subnets. */
  unplacedAppliances: '\u0000unplacedfw',
} as const;

/**
 * The keys of every index answer element `e` is part of, with references resolved in `idx`: for each
 * query key above, the elements its answers are built from (ModelIndex's constructor). A lookup added
 * there gets its key above and its members here.
 */
export function elementKeys(e: NetworkElement, idx: ModelIndex, add: (k: string) => void): void {
  add(e.id);
  if (e.providerId) add(e.providerId);
  if (e.address) add(e.address);
  add(QueryKey.kind + e.kind);
  const ref = (r: Ref | undefined): string | undefined => idx.refId(r);
  switch (e.kind) {
    case 'subnet': {
      const v = ref(e.vpc);
      if (v) {
        add(QueryKey.subnetsOfVpc + v);
        add(QueryKey.subnetNets + v);
      }
      add(QueryKey.allSubnetNets);
      break;
    }
    case 'routeTable': {
      if (e.unplaced) add(QueryKey.unplaced);
      if (e.routes.some((r) => r.target.kind === 'virtualAppliance')) add(QueryKey.nvaHops);
      if (e.routes.some((r) => r.target.kind === 'instance' || r.target.kind === 'eni')) add(QueryKey.routedInstances);
      const v = ref(e.vpc);
      if (v) {
        add(QueryKey.tablesOfVpc + v);
        add(QueryKey.main + v);
      }
      break;
    }
    case 'rtAssociation': {
      const s = ref(e.subnet);
      const g = ref(e.gateway);
      const m = ref(e.mainOfVpc);
      if (s) add(QueryKey.subnetAssoc + s);
      if (g) add(QueryKey.edgeAssoc + g);
      if (m) add(QueryKey.main + m);
      break;
    }
    case 'vpc':
      add(QueryKey.vpcNets);
      break;
    case 'loadBalancer':
      // Its pools' appliances are in use (ModelIndex.isIdleNva).
      add(QueryKey.nvaHops);
      break;
    case 'tgwAttachment': {
      const v = ref(e.vpc);
      const t = ref(e.tgw);
      if (v) add(QueryKey.attachmentsOfVpc + v);
      if (t) add(QueryKey.attachmentsOfTgw + t);
      break;
    }
    case 'eni': {
      const i = ref(e.instance);
      if (i) add(QueryKey.interfacesOf + i);
      break;
    }
    default:
      break;
  }
  if ('subnet' in e && e.subnet !== undefined) {
    const s = ref(e.subnet);
    if (s) add(QueryKey.bySubnet + s);
    // An interface or instance in a subnet the inputs do not identify (ModelIndex.unplacedAppliancesFor).
    else if ((e.kind === 'eni' || e.kind === 'instance') && isUnresolved(e.subnet)) add(QueryKey.unplacedAppliances);
  }
  if (e.kind === 'natgw' || e.kind === 'instance' || e.kind === 'firewall' || e.kind === 'eni') {
    const ip = e.privateIp;
    if (ip && !isUnresolved(ip)) add(QueryKey.ipOwner + ip);
  }
}
