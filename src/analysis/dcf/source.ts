// Builds the DCF SourceContext of a traced subnet (or of a VPC without modelled subnets).
import type { AviatrixGateway, Instance, Subnet, Vpc } from '../../model/types';
import { cidrContainsIp, parseCidr, parseIp } from '../../model/cidr';
import type { ElementLookup, SourceContext } from './groups';

function firstCidr(v: Vpc): string | undefined {
  return (
    v.cidrs.find((c): c is string => typeof c === 'string' && parseCidr(c)?.family === 4) ??
    v.cidrs.find((c): c is string => typeof c === 'string')
  );
}

/** The spoke gateway deployed in a VPC, if any. */
export function spokeOfVpc(index: ElementLookup, vpcId: string): AviatrixGateway | undefined {
  return index.model.elements.find(
    (e): e is AviatrixGateway =>
      e.kind === 'aviatrixGateway' &&
      e.role === 'spoke' &&
      typeof e.vpc === 'string' &&
      (e.vpc === vpcId || index.get(e.vpc)?.id === vpcId),
  );
}

/** Source context for an element id (subnet or VPC) and optionally a concrete host address. */
export function sourceContextFor(index: ElementLookup, elementId: string, ip?: string, gatewayId?: string): SourceContext {
  const e = index.get(elementId);
  const ctx: SourceContext = {};
  if (ip) ctx.ip = ip;
  if (e?.kind === 'subnet') {
    ctx.subnet = e;
    if (typeof e.cidr === 'string') ctx.cidr = e.cidr;
    const v = typeof e.vpc === 'string' ? index.get(e.vpc) : undefined;
    if (v?.kind === 'vpc') ctx.vpc = v;
  } else if (e?.kind === 'vpc') {
    ctx.vpc = e;
    ctx.cidr = firstCidr(e);
  }
  if (ip) {
    const p = parseIp(ip);
    const inst = index.model.elements.find((x): x is Instance => x.kind === 'instance' && x.privateIp === ip);
    if (inst) ctx.instance = inst;
    if (!ctx.subnet && p) {
      const sn = index.model.elements.find(
        (x): x is Subnet =>
          x.kind === 'subnet' && typeof x.cidr === 'string' && !!parseCidr(x.cidr) && cidrContainsIp(parseCidr(x.cidr)!, p),
      );
      if (sn) ctx.subnet = sn;
    }
  }
  const gw = gatewayId ? index.get(gatewayId) : ctx.vpc ? spokeOfVpc(index, ctx.vpc.id) : undefined;
  if (gw?.kind === 'aviatrixGateway') ctx.gateway = gw;
  return ctx;
}
