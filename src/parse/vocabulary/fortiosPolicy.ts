// What a FortiGate's bootstrap configuration (FortiOS CLI, parse/fortios.ts) says of its own firewall policy,
// reduced to what decides the egress posture (model BootstrapPolicy; analysis/firewallPolicy/bootstrap.ts
// decides). FortiOS's words:
// - `config firewall policy`, one table per VDOM, evaluated top down in the order the entries are written
//   (not by id), first match wins, an implicit deny after the last;
// - an entry's `action` is deny unless set (`accept`), `status disable` takes it out;
// - `srcaddr`/`dstaddr` name address objects (`config firewall address`/`addrgrp` of the same VDOM, or the
//   global ones), `all` being every address; `service` names services, `ALL` being every protocol and port;
// - security profiles (`utm-status enable`, antivirus, IPS, web filter, application control, ...) inspect what
//   the policy accepts; `ssl-ssh-profile` alone only says how TLS is opened for them, so it is not one;
// - `logtraffic all` logs every session; `utm` (the default) logs only security events, so a policy without a
//   profile logs nothing it lets through; `disable` logs nothing.
// A value written as a Terraform template interpolation is not known here: what it decides is unknown.
import type { BootstrapMatch, BootstrapPolicy, BootstrapRule, SourceLocation } from '../../model/types';
import { parseFortiOs, sectionsNamed, setting, type FosBlock, type FosEntry, type FosSection, type FosToken } from '../fortios';

/** The vendor name of a firewall VM whose bootstrap is FortiOS configuration. */
export const FORTIOS_VENDOR = 'FortiGate';

/** Top-level sections only a FortiOS configuration opens. */
const FORTIOS_SECTIONS = new Set(['system', 'firewall', 'router', 'vdom', 'global', 'log', 'vpn', 'user']);

const PROFILE_KEYS = [
  'av-profile',
  'ips-sensor',
  'webfilter-profile',
  'application-list',
  'dnsfilter-profile',
  'file-filter-profile',
  'dlp-profile',
  'dlp-sensor',
  'emailfilter-profile',
  'casb-profile',
  'videofilter-profile',
  'waf-profile',
  'voip-profile',
  'icap-profile',
  'ssh-filter-profile',
  'virtual-patch-profile',
  'profile-group',
];

export interface FortiOsBootstrap {
  vendor: string;
  /** The policy tables it writes; undefined when it writes none (the policy is then not in the inputs). */
  policy?: BootstrapPolicy;
}

/** Maps an offset range of the text to where it is written. */
export type Locate = (start: number, end: number) => SourceLocation;

/** What a bootstrap text says when it is FortiOS configuration; undefined when it is not. */
export function fortiOsBootstrap(text: string, locate: Locate): FortiOsBootstrap | undefined {
  // Cheap refusal first: most user data is a shell script or JSON.
  if (!/^\s*config\s+(system|firewall|router|vdom|global|log|vpn|user)\b/m.test(text)) return undefined;
  const cfg = parseFortiOs(text);
  if (!cfg.sections.some((s) => s.closed && FORTIOS_SECTIONS.has(s.path[0] ?? ''))) return undefined;
  const found = sectionsNamed(cfg, ['firewall', 'policy']);
  if (found.length === 0) return { vendor: FORTIOS_VENDOR };
  const tables = found.map(({ section, within }) => policyTable(cfg, section, within, locate));
  return { vendor: FORTIOS_VENDOR, policy: { language: 'FortiOS', tables } };
}

function policyTable(top: FosBlock, section: FosSection, within: FosBlock[], locate: Locate): BootstrapPolicy['tables'][number] {
  const vdom = [...within].reverse().find((b): b is FosEntry => 'name' in b);
  const name = vdom ? `VDOM ${vdom.name.text}` : 'global';
  // Address objects in scope: the VDOM's own, then those outside any VDOM entry (global).
  const scopes = [vdom, top].filter((b): b is FosBlock => b !== undefined);
  const loc = locate(section.start, section.end);
  const templated = [...section.opaque, ...section.entries.flatMap((e) => e.opaque)];
  const unknown = !section.closed
    ? `\`config firewall policy\` is not closed by \`end\``
    : templated.length
      ? `a template sequence \`${templated[0].text}\` stands where policy commands are written: it may add or change policies`
      : undefined;
  return { name, loc, rules: section.entries.map((e) => policyRule(e, scopes, locate)), ...(unknown ? { unknown } : {}) };
}

const templateWhy = (t: FosToken): { unknown: string } => ({
  unknown: `\`${t.text}\` is a template value chosen when Terraform renders the file`,
});

function policyRule(e: FosEntry, scopes: FosBlock[], locate: Locate): BootstrapRule {
  const title = setting(e, 'name')?.values[0]?.text;
  const name = `policy ${e.name.text}${title ? ` "${title}"` : ''}`;
  const one = (key: string): FosToken | undefined => setting(e, key)?.values[0];
  const status = one('status');
  const enabled: BootstrapRule['enabled'] = status?.template ? templateWhy(status) : status?.text !== 'disable';
  const act = one('action');
  const action: BootstrapRule['action'] = !act
    ? 'deny'
    : act.template
      ? templateWhy(act)
      : act.text === 'accept' || act.text === 'deny'
        ? act.text
        : { unknown: `action \`${act.text}\` is not read here` };
  const intf = (key: string): string => {
    const vs = setting(e, key)?.values ?? [];
    return vs.some((v) => v.text === 'any') ? 'any' : vs.map((v) => v.text).join(',') || 'any';
  };
  const negated = (key: string): boolean => one(key)?.text === 'enable';
  const src = negated('srcaddr-negate')
    ? { unknown: 'srcaddr-negate is enabled' }
    : addresses(setting(e, 'srcaddr')?.values, scopes, 'srcaddr');
  const dst = negated('dstaddr-negate')
    ? { unknown: 'dstaddr-negate is enabled' }
    : one('internet-service')?.text === 'enable'
      ? 'some'
      : addresses(setting(e, 'dstaddr')?.values, scopes, 'dstaddr');
  const service = negated('service-negate') ? { unknown: 'service-negate is enabled' } : services(setting(e, 'service')?.values);
  const profiles = securityProfiles(e);
  const log = one('logtraffic');
  const logsAll: BootstrapRule['logsAll'] = log?.template ? templateWhy(log) : log?.text === 'all';
  return {
    name,
    loc: locate(e.start, e.end),
    enabled,
    action,
    interfaces: `${intf('srcintf')}>${intf('dstintf')}`,
    src,
    dst,
    service,
    profiles,
    logsAll,
  };
}

function securityProfiles(e: FosEntry): BootstrapRule['profiles'] {
  const out: string[] = [];
  const utm = setting(e, 'utm-status')?.values[0];
  if (utm?.template) return templateWhy(utm);
  if (utm?.text === 'enable') out.push('utm-status enable');
  for (const key of PROFILE_KEYS) {
    const v = setting(e, key)?.values[0];
    if (!v) continue;
    if (v.template) return templateWhy(v);
    if (v.text) out.push(`${key} "${v.text}"`);
  }
  return out;
}

function services(values: FosToken[] | undefined): BootstrapMatch {
  if (!values || values.length === 0) return { unknown: 'no service is set (FortiOS requires one)' };
  for (const v of values) if (!v.template && v.text === 'ALL') return 'all';
  const t = values.find((v) => v.template);
  return t ? templateWhy(t) : 'some';
}

function addresses(values: FosToken[] | undefined, scopes: FosBlock[], key: string): BootstrapMatch {
  if (!values || values.length === 0) return { unknown: `no ${key} is set (FortiOS requires one)` };
  let unknown: { unknown: string } | undefined;
  for (const v of values) {
    const m = v.template ? templateWhy(v) : addressMatch(v.text, scopes, 0);
    if (m === 'all') return 'all';
    if (typeof m === 'object') unknown ??= m;
  }
  return unknown ?? 'some';
}

/** Whether a named address object (or group) covers every address. */
function addressMatch(name: string, scopes: FosBlock[], depth: number): BootstrapMatch {
  if (name === 'all') return 'all';
  if (name === 'none') return 'some';
  if (depth > 16) return { unknown: `address group "${name}" nests too deep` };
  for (const scope of scopes) {
    const addr = entryNamed(scope, ['firewall', 'address'], name);
    if (addr) return addressObject(addr);
    const grp = entryNamed(scope, ['firewall', 'addrgrp'], name);
    if (grp) {
      let unknown: { unknown: string } | undefined;
      for (const m of setting(grp, 'member')?.values ?? []) {
        const r = m.template ? templateWhy(m) : addressMatch(m.text, scopes, depth + 1);
        if (r === 'all') return 'all';
        if (typeof r === 'object') unknown ??= r;
      }
      return unknown ?? 'some';
    }
  }
  return { unknown: `address "${name}" is not defined in the bootstrap` };
}

function addressObject(e: FosEntry): BootstrapMatch {
  const type = setting(e, 'type')?.values[0];
  if (type?.template) return templateWhy(type);
  if (type && type.text !== 'ipmask') return 'some';
  const subnet = setting(e, 'subnet')?.values ?? [];
  const t = subnet.find((v) => v.template);
  if (t) return templateWhy(t);
  // Unset, the subnet is 0.0.0.0 0.0.0.0: every address.
  const text = subnet.map((v) => v.text).join(' ');
  return text === '' || text === '0.0.0.0 0.0.0.0' || text === '0.0.0.0/0' || text === '0.0.0.0 0' ? 'all' : 'some';
}

/** The entry of a table section directly in the block (`config firewall address` / `edit "x"`). */
function entryNamed(block: FosBlock, path: string[], name: string): FosEntry | undefined {
  for (const s of block.sections) {
    if (s.path.length !== path.length || !s.path.every((p, k) => p === path[k])) continue;
    for (let k = s.entries.length - 1; k >= 0; k--) if (s.entries[k].name.text === name) return s.entries[k];
  }
  // `config global` / `config vdom` entries hold their own sections; the global scope looks into `config global`.
  for (const s of block.sections)
    if (s.path.length === 1 && s.path[0] === 'global') {
      const hit = entryNamed(s, path, name);
      if (hit) return hit;
    }
  return undefined;
}
