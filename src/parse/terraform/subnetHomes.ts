// Whether the inputs say which subnets a VPC has. A subnet resource with instances places them (the
// collector notes each subnet element's VPC); one whose count/for_each is known to be empty says the VPC
// has none from it; a VPC that no subnet resource names at all has its subnets outside the inputs (a
// module folder analysed without its callers, whose subnets they make; another configuration), and one
// that may hold a subnet whose VPC cannot be decided does not know its subnets either: its egress cannot
// be decided (Vpc.subnetsOutside), never "No Egress".
import type { Collector } from './emit';
import type { ResourceGroup } from './modules';
import { RefVal } from './values';
import { isUnresolved, unresolved, type NetworkElement } from '../../model/types';
import { where } from '../../model/where';

/** Subnet resource types whose blocks name the VPC they place subnets in (`vpc_id`). */
const SUBNET_TYPES = new Set(['aws_subnet']);
/** VPC resource types whose subnets are subnet resources of the inputs. */
const VPC_TYPES = new Set(['aws_vpc']);

/** A subnet block known to have no instance names its VPC all the same: that VPC's subnets are known. */
export function noteEmptySubnetBlock(group: ResourceGroup, out: Collector): void {
  if (!SUBNET_TYPES.has(group.decl.type)) return;
  const probe = group.probe();
  if (!probe) return;
  const v = probe.value('vpc_id');
  const head = v instanceof RefVal ? v.path[0] : undefined;
  if (v instanceof RefVal && v.path.length <= 1 && (head === undefined || head === 'id')) out.subnetHomes.set(v.address, true);
  // Which VPC it declares empty cannot be told: it may be any of them.
  else out.subnetHomes.set('', true);
}

/** Marks each VPC of `els` (just mapped) whose subnets the inputs do not give, once every resource is read. */
export function markVpcsWithoutSubnets(type: string, els: readonly NetworkElement[], out: Collector): void {
  if (!VPC_TYPES.has(type)) return;
  for (const el of els) {
    if (el.kind !== 'vpc') continue;
    out.post(() => {
      if (out.subnetHomes.has(el.id)) return;
      const unplaced = out.subnetHomes.get('');
      if (unplaced === true) return;
      if (unplaced?.kind === 'subnet' && isUnresolved(unplaced.vpc))
        el.subnetsOutside = unresolved(
          unplaced.vpc.text,
          `subnet ${unplaced.address ?? unplaced.id} (${where(unplaced.loc)}) is in a VPC that cannot be decided (${unplaced.vpc.reason}): it may be in this one`,
        );
      else if (!unplaced)
        el.subnetsOutside = unresolved(
          '',
          'no subnet resource of the inputs names it, not even one with zero instances: they are made elsewhere (by the callers of this module, or another configuration)',
        );
    });
  }
}
