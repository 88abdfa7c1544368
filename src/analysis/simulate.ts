// Flow simulation (the reference test flows, docs/domain.md section 6): trace one flow forward and back, and give the
// verdict of each enforcement point on the forward path.
// - Aviatrix DCF (spoke gateway): the policies in priority order (dcf/evaluate.ts). A domain
//   destination has no address offline: WebGroups match it by name (SNI/Host, TCP), Anywhere /
//   Public Internet hold it, CIDR/geo SmartGroups only know it when it is in the bundled table
//   (dcf/geo.ts), else 'unknown'. The trace routes a domain as a public address.
// - Legacy transit egress: DCF policies when DCF is enabled, else unknown (Egress Control policy
//   is not in the inputs).
// - Firewall VMs (an appliance routed to, GWLB targets) whose bootstrap writes their policy (FortiOS): that policy
//   for the flow's 5-tuple as the firewall sees it (firewallPolicy/bootstrap.ts, the posture's walk: first match,
//   implicit deny); 'unknown' only where it cannot decide.
// - Other GWLB firewalls, AWS Network Firewall, Azure NVA: the policy is not in the inputs -> 'unknown'.
// DCF is stateful: the reply of an allowed flow is allowed, so the return leg gets no verdict.
import type { NetworkModel } from '../model/types';
import { parseCidr, parseIp } from '../model/cidr';
import type { ModelIndex } from './modelIndex';
import { findSourceForIp, traceEgress } from './trace';
import { unknownOutcome } from './trace/outcome';
import type { AnalysisOptions, EnforcementPoint, FlowSimulation, FlowSpec, FlowVerdict, PathTrace, TraceOutcome } from './types';
import { evaluateFlow } from './dcf/evaluate';
import { dcfAssumption, dcfEnablement, isDcfEnforcing, policyLabel } from './dcf/policies';
import { sourceContextFor } from './dcf/source';
import { routingVerdict } from './verdict';
import { applianceFlow } from './firewallPolicy/bootstrap';
import { cloudNgfwAt, cloudNgfwFlow } from './firewallPolicy/cloudNgfw';
import { fqdnFlow } from './fqdnFilter';

export function describeFlow(flow: FlowSpec): string {
  const port = flow.protocol === 'icmp' || flow.port === undefined ? '' : `/${flow.port}`;
  return `${flow.protocol}${port} ${flow.source} -> ${flow.destination}`;
}

function label(index: ModelIndex, id: string): string {
  const e = index.get(id);
  return e ? e.name || e.id : id;
}

function verdictAt(
  index: ModelIndex,
  ep: EnforcementPoint,
  flow: FlowSpec,
  sourceId: string,
  srcIp: string | undefined,
  seenAs: string | undefined,
): FlowVerdict {
  const at = ep.element;
  const where = label(index, at);
  const bflow = {
    ...(seenAs && (parseIp(seenAs) || parseCidr(seenAs)) ? { src: seenAs } : {}),
    dst: flow.destination,
    protocol: flow.protocol,
    ...(flow.port !== undefined ? { port: flow.port } : {}),
  };
  if (ep.kind === 'aviatrix-fqdn') {
    const gw = index.resolve(at, 'aviatrixGateway');
    if (gw) return { at, ...fqdnFlow(gw, where, flow.destination, !!parseIp(flow.destination)) };
  }
  const ngfw = cloudNgfwAt(index, ep);
  const fw = ngfw ? cloudNgfwFlow(index, ngfw, bflow) : applianceFlow(index, ep, bflow);
  if (fw) return { at, decision: fw.decision, reason: `${where}: ${fw.reason}`, ...(fw.rule ? { policyName: fw.rule } : {}) };
  if (ep.kind === 'gwlb-firewall' || ep.kind === 'network-firewall' || ep.kind === 'azure-nva' || ep.kind === 'appliance') {
    const what =
      ep.kind === 'gwlb-firewall'
        ? 'GWLB firewall'
        : ep.kind === 'network-firewall'
          ? 'AWS Network Firewall'
          : ep.kind === 'appliance'
            ? 'firewall appliance'
            : 'network virtual appliance';
    return { at, decision: 'unknown', reason: `${what} ${where} inspects the flow; its policy is not in the inputs` };
  }
  const en = dcfEnablement(index.model.elements);
  const enforcing = isDcfEnforcing(en);
  if (enforcing === 'unknown') return { at, decision: 'unknown', reason: en.state === 'unknown' ? en.reason : 'DCF enablement unknown' };
  if (!enforcing) {
    if (ep.kind === 'transit-egress')
      return {
        at,
        decision: 'unknown',
        reason: `transit gateway ${where} applies legacy egress; its Egress Control policy is not in the inputs`,
      };
    return { at, decision: 'allow', reason: `DCF is not enabled: spoke gateway ${where} does not enforce policies` };
  }
  const isIp = !!parseIp(flow.destination);
  const d = evaluateFlow(index, {
    src: sourceContextFor(index, sourceId, srcIp, at),
    dst: isIp ? { ip: flow.destination } : { domain: flow.destination },
    protocol: flow.protocol,
    ...(flow.port !== undefined ? { port: flow.port } : {}),
    ...(flow.label ? { host: flow.label } : {}),
  });
  const v: FlowVerdict = { at, decision: d.decision, reason: `${where}: ${dcfAssumption(en)}${d.reason}` };
  if (d.policy) {
    v.policy = d.policy.id;
    v.policyName = d.policy.name;
  }
  return v;
}

function unknownTrace(flow: FlowSpec, outcome: TraceOutcome): PathTrace {
  return {
    id: `${flow.source}:forward`,
    direction: 'forward',
    source: { element: flow.source, ip: parseIp(flow.source) ? flow.source : 'unknown' },
    destination: parseIp(flow.destination) ? { ip: flow.destination } : { ip: 'unknown', domain: flow.destination },
    hops: [],
    outcome,
    inspectedBy: [],
  };
}

const SOURCE_KINDS = new Set(['subnet', 'vpc', 'instance', 'aviatrixGateway', 'firewall']);

/**
 * The source a user typed when it is not an IP: an element id or Terraform address (`aws_subnet.app_b`,
 * also without the root prefix of a multi-root workspace), else a subnet/VPC/instance name (`app-b`).
 */
function sourceByName(index: ModelIndex, text: string): { id: string } | { ambiguous: string[] } | undefined {
  const t = text.trim();
  const direct = index.get(t);
  if (direct) return { id: direct.id };
  const suffix = index.model.elements.filter((e) => e.id.endsWith(`:${t}`));
  if (suffix.length === 1) return { id: suffix[0].id };
  if (suffix.length > 1) return { ambiguous: suffix.map((e) => e.id) };
  const lower = t.toLowerCase();
  const byName = index.model.elements.filter((e) => SOURCE_KINDS.has(e.kind) && e.name.toLowerCase() === lower);
  // A subnet and its instance may share a name: the subnet is the source a user means.
  const subnets = byName.filter((e) => e.kind === 'subnet');
  const pick = subnets.length ? subnets : byName;
  if (pick.length === 1) return { id: pick[0].id };
  return pick.length > 1 ? { ambiguous: pick.map((e) => e.id) } : undefined;
}

export function simulate(model: NetworkModel, index: ModelIndex, flow: FlowSpec, options: AnalysisOptions = {}): FlowSimulation {
  void model;
  void options;
  const what = describeFlow(flow);
  const srcIp = parseIp(flow.source) ? flow.source : undefined;
  const named = srcIp ? undefined : sourceByName(index, flow.source);
  if (named && 'ambiguous' in named) {
    const o = unknownOutcome(index, { cause: 'missing-input', what: 'source', source: flow.source });
    const reason = `"${flow.source}" names ${named.ambiguous.length} sources (${named.ambiguous.slice(0, 4).join(', ')}): give the address or an IP`;
    return {
      flow,
      forward: unknownTrace(flow, { ...o, reason }),
      verdicts: [],
      outcome: 'unknown',
      summary: `${what}: unknown (${reason})`,
    };
  }
  const sourceId = srcIp ? findSourceForIp(index, srcIp) : named?.id;
  if (!sourceId) {
    const o = unknownOutcome(
      index,
      srcIp ? { cause: 'missing-input', what: 'source-ip', ip: srcIp } : { cause: 'missing-input', what: 'source', source: flow.source },
    );
    return { flow, forward: unknownTrace(flow, o), verdicts: [], outcome: 'unknown', summary: `${what}: unknown (${o.reason})` };
  }
  const egress = traceEgress(index, sourceId, { ...(srcIp ? { sourceIp: srcIp } : {}), destination: flow.destination });
  const fwd = egress.forward;
  const seen = new Set<string>();
  const verdicts: FlowVerdict[] = [];
  for (const ep of fwd.inspectedBy) {
    if (seen.has(ep.element)) continue;
    seen.add(ep.element);
    const src = srcIp ?? (fwd.source.ip !== 'unknown' ? fwd.source.ip : undefined);
    // The source a firewall sees: the address at its hop (after a NAT before it); the subnet's CIDR when the
    // user named a subnet and nothing translated it (its representative host stands for every host).
    const atHop = fwd.hops.find((h) => h.enforcement?.element === ep.element)?.srcIp ?? src;
    const subnet = index.get(sourceId);
    const cidr = subnet?.kind === 'subnet' && typeof subnet.cidr === 'string' && !parseIp(subnet.cidr) ? subnet.cidr : undefined;
    const seenAs = !srcIp && cidr && atHop === fwd.source.ip && fwd.source.ip.includes(':') === cidr.includes(':') ? cidr : atHop;
    verdicts.push(verdictAt(index, ep, flow, sourceId, src, seenAs));
  }
  const deny = verdicts.find((v) => v.decision === 'deny');
  const unknownVerdict = verdicts.find((v) => v.decision === 'unknown');
  const policyText = (v: FlowVerdict): string => {
    const p = v.policy ? index.get(v.policy) : undefined;
    return p?.kind === 'dcfPolicy' ? policyLabel(p) : v.reason;
  };
  let outcome: FlowSimulation['outcome'];
  let summary: string;
  if (deny) {
    outcome = 'denied';
    summary = `${what}: denied at ${label(index, deny.at)} by ${deny.policy ? policyText(deny) : deny.reason}`;
  } else if (fwd.outcome.kind === 'dropped' || fwd.outcome.kind === 'loop') {
    outcome = 'dropped';
    summary = `${what}: dropped (${fwd.outcome.kind === 'dropped' ? fwd.outcome.reason : `routing loop at ${label(index, fwd.outcome.at)}`})`;
  } else if (fwd.outcome.kind === 'unknown') {
    outcome = 'unknown';
    summary = `${what}: unknown (${fwd.outcome.reason})`;
  } else if (unknownVerdict) {
    outcome = 'unknown';
    summary = `${what}: unknown at ${label(index, unknownVerdict.at)} (${unknownVerdict.reason})`;
  } else {
    outcome = 'allowed';
    const allows = verdicts.filter((v) => v.decision === 'allow');
    summary =
      allows.length === 0
        ? `${what}: allowed; no enforcement point on the path`
        : `${what}: allowed at ${allows.map((v) => `${label(index, v.at)} (${v.policy ? policyText(v) : v.reason})`).join(', ')}`;
  }
  const sim: FlowSimulation = { flow, forward: fwd, verdicts, outcome, summary };
  if (egress.return && outcome !== 'denied') {
    sim.return = egress.return;
    // The same divergence and verdict Trace shows for this subnet: one code path, one story.
    if (egress.divergence) sim.divergence = egress.divergence;
  }
  sim.routing = routingVerdict(
    { forward: fwd, ...(sim.return ? { return: sim.return } : {}), ...(sim.divergence ? { divergence: sim.divergence } : {}) },
    { protocol: flow.protocol, flowVerdicts: verdicts },
  );
  return sim;
}

export type ParsedFlow = { ok: true; flow: FlowSpec } | { ok: false; error: string };

const DOMAIN_RE = /^(?=.{1,253}$)([a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}\.?$/i;

/** Parses a URL destination (`https://ipinfo.io`, `http://1.2.3.4:8080/x`). */
function parseUrl(u: string): { host: string; port: number } | string {
  const m = u.match(/^(https?):\/\/(\[[^\]]+\]|[^/:?#]+)(?::(\d+))?/i);
  if (!m) return `cannot read URL "${u}"`;
  const port = m[3] ? Number(m[3]) : m[1].toLowerCase() === 'https' ? 443 : 80;
  return { host: m[2].replace(/^\[|\]$/g, ''), port };
}

/**
 * Parses a flow written as `src=10.0.1.15 dst=8.8.8.8 proto=icmp port=443`. Also accepted: `dst`
 * as a URL (`dst=https://ipinfo.io` means tcp/443 with SNI ipinfo.io), the reference test commands
 * `ping 8.8.8.8` / `curl https://ipinfo.io`, `sni=` / `host=` for the name WebGroups match on, and
 * the long keys `source`, `destination`, `protocol`. The port is ignored for ICMP.
 */
export function parseFlowSpec(text: string): ParsedFlow {
  const tokens = text.trim().split(/\s+/).filter(Boolean);
  let source: string | undefined;
  let destination: string | undefined;
  let protocol: string | undefined;
  let port: number | undefined;
  let label: string | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const eq = t.indexOf('=');
    if (eq < 0) {
      const cmd = t.toLowerCase();
      if ((cmd === 'ping' || cmd === 'curl') && tokens[i + 1] && !tokens[i + 1].includes('=')) {
        protocol = cmd === 'ping' ? 'icmp' : 'tcp';
        destination = tokens[++i];
        continue;
      }
      return { ok: false, error: `unexpected "${t}": write key=value pairs (src=, dst=, proto=, port=)` };
    }
    const key = t.slice(0, eq).toLowerCase();
    const value = t.slice(eq + 1);
    if (!value) return { ok: false, error: `${key} has no value` };
    if (key === 'src' || key === 'source') source = value;
    else if (key === 'dst' || key === 'dest' || key === 'destination') destination = value;
    else if (key === 'proto' || key === 'protocol') protocol = value.toLowerCase();
    else if (key === 'port') {
      if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 65535)
        return { ok: false, error: `port must be 1-65535, got "${value}"` };
      port = Number(value);
    } else if (key === 'sni' || key === 'host' || key === 'label') label = value;
    else return { ok: false, error: `unknown key "${key}" (expected src, dst, proto, port, sni)` };
  }
  if (!source) return { ok: false, error: 'missing src= (a source IP or a subnet/VPC id)' };
  if (!destination) return { ok: false, error: 'missing dst= (a destination IP, domain or URL)' };
  if (/^[a-z]+:\/\//i.test(destination)) {
    const u = parseUrl(destination);
    if (typeof u === 'string') return { ok: false, error: u };
    destination = u.host;
    protocol = protocol ?? 'tcp';
    port = port ?? u.port;
  }
  if (!parseIp(destination) && !DOMAIN_RE.test(destination))
    return { ok: false, error: `dst "${destination}" is neither an IP address nor a domain name` };
  protocol = protocol ?? (port !== undefined ? 'tcp' : undefined);
  if (protocol !== 'tcp' && protocol !== 'udp' && protocol !== 'icmp') {
    return { ok: false, error: protocol ? `proto must be tcp, udp or icmp, got "${protocol}"` : 'missing proto= (tcp, udp or icmp)' };
  }
  if (protocol !== 'icmp' && port === undefined) return { ok: false, error: `port= is required for ${protocol}` };
  const flow: FlowSpec = { source, destination, protocol };
  if (protocol !== 'icmp' && port !== undefined) flow.port = port;
  if (label) flow.label = label;
  return { ok: true, flow };
}
