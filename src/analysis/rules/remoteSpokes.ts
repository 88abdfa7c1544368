// Centralized inspection for spokes outside the inputs: an inspection VPC whose transit gateway other accounts
// attach to (shared, auto-accept, the TGW's default route table). The spokes are not in the inputs; a range the
// VPC routes towards them stands for them, and their egress is traced from the inspection attachment, entering
// in each of its AZs. Several rules judge these traces (the reply's bypass, its loop): traced once per analysis.
import type { TgwAttachment, TgwRouteTable } from '../../model/types';
import { isUnresolved } from '../../model/types';
import { cidrContainsIp, hostAddress, parseCidr, parseIp } from '../../model/cidr';
import { val } from '../modelIndex';
import { DEFAULT_DESTINATION, traceFromAttachment } from '../trace';
import type { SubnetEgress } from '../types';
import type { RuleContext } from './rule';

export interface RemoteSpoke {
  attachment: TgwAttachment;
  /** The TGW's default route table: the inspection attachment's, and the one the spokes' attachments join. */
  table: TgwRouteTable;
  range: { cidr: string; host: string };
  /** The AZ the spokes' traffic enters the inspection VPC in. */
  az: string;
  egress: SubnetEgress;
}

const memo = new WeakMap<RuleContext, RemoteSpoke[]>();

/**
 * The inspection VPC's attachment is associated with its TGW's default route table (default association and
 * propagation on: other accounts' attachments join it and propagate their CIDRs into it), that table sends the
 * internet to it, and the VPC routes a range no VPC of the inputs holds towards the spokes: each such range's
 * egress, entering in each AZ of the attachment.
 */
export function remoteSpokes(ctx: RuleContext): RemoteSpoke[] {
  const known = memo.get(ctx);
  if (known) return known;
  const { index } = ctx;
  const out: RemoteSpoke[] = [];
  const dest = ctx.options.destination ?? DEFAULT_DESTINATION;
  const dstIp = parseIp(dest);
  if (dstIp && dstIp.family === 4)
    for (const att of index.ofKind('tgwAttachment')) {
      const vpc = index.refId(att.vpc);
      const tgwId = index.refId(att.tgw);
      const tgw = tgwId ? index.resolve(tgwId, 'tgw') : undefined;
      if (!vpc || !tgw || !tgw.defaultRouteTableAssociation || !tgw.defaultRouteTablePropagation) continue;
      const table = index.tgwRouteTableOf(att.id);
      if (!table?.isDefault || !tgwSendsTo(ctx, table, dstIp, att.id)) continue;
      const ranges = remoteRanges(ctx, vpc, tgw.id);
      if (ranges.length === 0) continue;
      const azs = [...new Set(att.subnets.map((s) => val(index.resolve(s, 'subnet')?.az)).filter((a): a is string => !!a))];
      for (const range of ranges)
        for (const az of azs)
          out.push({
            attachment: att,
            table,
            range,
            az,
            egress: traceFromAttachment(index, att, az, range.host, dest, ctx.options.destination === undefined),
          });
    }
  memo.set(ctx, out);
  return out;
}

/** The longest decided route of a TGW table covering `ip` goes to `attachment` (an undecided destination: no). */
function tgwSendsTo(ctx: RuleContext, table: TgwRouteTable, ip: { family: 4 | 6; value: bigint }, attachment: string): boolean {
  let best: { prefix: number; to?: string; blackhole: boolean } | undefined;
  for (const r of table.routes) {
    if (isUnresolved(r.destination)) return false;
    const c = parseCidr(r.destination);
    if (!c || !cidrContainsIp(c, ip) || (best && c.prefix <= best.prefix)) continue;
    best = { prefix: c.prefix, to: r.attachment === undefined ? undefined : ctx.index.refId(r.attachment), blackhole: r.blackhole };
  }
  return !!best && !best.blackhole && best.to === attachment;
}

/**
 * The address ranges a VPC's route tables send to its transit gateway (`aws_route ... transit_gateway_id` for
 * the spoke CIDRs), or to a firewall endpoint (the NAT subnet's return route of inspection before NAT), that no
 * VPC of the inputs holds: the spokes behind the TGW, with a host address of each.
 */
function remoteRanges(ctx: RuleContext, vpc: string, tgw: string): { cidr: string; host: string }[] {
  const { index } = ctx;
  const out: { cidr: string; host: string }[] = [];
  for (const t of index.routeTablesOfVpc(vpc))
    for (const r of t.routes) {
      if (r.state !== 'active' || r.undecided) continue;
      if (r.target.kind !== 'gwlbe' && (r.target.kind !== 'tgw' || index.refId(r.target.ref) !== tgw)) continue;
      if (!('cidr' in r.destination) || isUnresolved(r.destination.cidr)) continue;
      const c = parseCidr(r.destination.cidr);
      if (!c || c.family !== 4 || c.prefix === 0 || out.some((o) => o.cidr === c.text)) continue;
      const host = hostAddress(c, 10);
      if (index.vpcContainingIp(host)) continue;
      out.push({ cidr: c.text, host });
    }
  return out;
}
