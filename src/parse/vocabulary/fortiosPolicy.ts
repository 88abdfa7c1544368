// What a FortiGate's bootstrap configuration (FortiOS CLI, parse/fortios.ts) says of its own firewall policy,
// reduced to what decides the egress posture (model BootstrapPolicy; analysis/firewallPolicy/bootstrap.ts
// decides). FortiOS's words:
// - `config firewall policy`, one table per VDOM, evaluated top down in the order the entries are written
//   (not by id), first match wins, an implicit deny after the last;
// - an entry's `action` is deny unless set (`accept`), `status disable` takes it out;
// - `srcaddr`/`dstaddr` name address objects (`config firewall address`/`addrgrp` of the same VDOM, or the
//   global ones), `all` being every address; `service` names services (`config firewall service custom`/`group`,
//   else FortiOS's predefined ones), `ALL` being every protocol and port;
// - security profiles (antivirus, IPS, web filter, application control, ...) inspect what the policy accepts, a
//   firewall policy's only under `utm-status enable` (default disable; enabled with no profile, nothing is
//   inspected); `ssl-ssh-profile` alone only says how TLS is opened for them, so it is not one;
// - `logtraffic all` logs every session; `utm` (the default) logs only security events, so a policy without a
//   profile logs nothing it lets through; `disable` logs nothing;
// - IPv6: FortiOS 6.4+ writes IPv6 addresses in the same policy (`srcaddr6`/`dstaddr6`, objects of
//   `config firewall address6`/`addrgrp6`), earlier versions in `config firewall policy6`; a rule takes the
//   traffic of the families whose addresses it names;
// - NGFW policy-based mode (`config system settings` / `set ngfw-mode policy-based`, per VDOM): the firewall
//   policies only open sessions (SSL inspection & authentication), and `config firewall security-policy` then
//   decides them, first match, with its own implicit deny;
// - sections that decide which sessions pass and are not read here (consolidated policies of 6.2, policy46/64,
//   proxy policies), a consolidated firewall mode, or an ngfw-mode not known leave the VDOM's policy unknown,
//   the reason naming where they are written.
// A value written as a Terraform template interpolation is not known here: what it decides is unknown.
import type {
  BootstrapAddresses,
  BootstrapEgress,
  BootstrapMatch,
  BootstrapPolicy,
  BootstrapRule,
  BootstrapService,
  BootstrapServices,
  SourceLocation,
} from '../../model/types';
import { cidrContains, coversFamily, parseCidr, parseIpv4, parseIpv6 } from '../../model/cidr';
import { where } from '../../model/where';
import { fortiOsEgress, ipmask } from './fortiosRoutes';
import { everyName } from './everyName';
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
  /** Without a policy: the interface its routes send internet-bound traffic out of, when they decide it. */
  egress?: BootstrapEgress;
}

/** Maps an offset range of the text to where it is written. */
export type Locate = (start: number, end: number) => SourceLocation;

/** The sections that hold a VDOM's policy, by what they are. */
const POLICY = ['firewall', 'policy'];
const POLICY6 = ['firewall', 'policy6'];
const SECURITY = ['firewall', 'security-policy'];
/** Sections that decide which sessions pass and are not read here: where they stand, the policy is unknown. */
const UNREAD = [
  ['firewall', 'consolidated', 'policy'],
  ['firewall', 'policy46'],
  ['firewall', 'policy64'],
  ['firewall', 'proxy-policy'],
];

type Found = { section: FosSection; within: FosBlock[] };

/** The VDOM a section belongs to: the innermost entry holding it (`config vdom` / `edit X`), else none. */
const vdomOf = (within: FosBlock[]): FosEntry | undefined => [...within].reverse().find((b): b is FosEntry => 'name' in b);

/**
 * Puts the known template values (what Terraform renders `${name}` with) into the tokens that hold only such
 * interpolations: a value the caller wrote is then read like a literal one. Tokens with anything else
 * (`%{...}` directives, expressions, unknown names) stay templates.
 */
function renderValues(block: FosBlock, values: ReadonlyMap<string, string>): void {
  const render = (t: FosToken) => {
    if (!t.template) return;
    let known = true;
    const text = t.text.replace(/\$\{\s*([A-Za-z_][\w-]*)\s*\}/g, (_m, name: string) => {
      const v = values.get(name);
      if (v === undefined) known = false;
      return v ?? '';
    });
    if (!known || /[$%]\{/.test(text)) return;
    t.text = text;
    t.template = false;
  };
  for (const st of block.settings) st.values.forEach(render);
  for (const sec of block.sections) {
    renderValues(sec, values);
    for (const e of sec.entries) {
      render(e.name);
      renderValues(e, values);
    }
  }
}

/** What a bootstrap text says when it is FortiOS configuration; undefined when it is not. */
export function fortiOsBootstrap(text: string, locate: Locate, values?: ReadonlyMap<string, string>): FortiOsBootstrap | undefined {
  // Cheap refusal first: most user data is a shell script or JSON.
  if (!/^\s*config\s+(system|firewall|router|vdom|global|log|vpn|user)\b/m.test(text)) return undefined;
  const cfg = parseFortiOs(text);
  if (values) renderValues(cfg, values);
  if (!cfg.sections.some((s) => s.closed && FORTIOS_SECTIONS.has(s.path[0] ?? ''))) return undefined;
  const found = [POLICY, POLICY6, SECURITY, ...UNREAD].flatMap((path) => sectionsNamed(cfg, path));
  if (found.length === 0) {
    // No policy (one made by hand after boot, or FortiManager's): the routes still say where the internet is (F178).
    const egress = fortiOsEgress(cfg, '', locate);
    return { vendor: FORTIOS_VENDOR, ...(egress ? { egress } : {}) };
  }
  // One table per VDOM (a VDOM may be edited several times); in text order of their first section.
  const byVdom = new Map<string, Found[]>();
  for (const f of found.sort((x, y) => x.section.start - y.section.start)) {
    const key = vdomOf(f.within)?.name.text ?? '';
    byVdom.set(key, [...(byVdom.get(key) ?? []), f]);
  }
  const tables = [...byVdom].map(([vdom, sections]) => policyTable(cfg, vdom, sections, locate));
  return { vendor: FORTIOS_VENDOR, policy: { language: 'FortiOS', tables } };
}

const isPath = (s: FosSection, path: string[]): boolean => s.path.length === path.length && s.path.every((p, k) => p === path[k]);

/** Why a section cannot be read whole (not closed, a template standing for commands), located; undefined when it can. */
function unreadable(section: FosSection, locate: Locate): string | undefined {
  const at = where(locate(section.start, section.end));
  const title = `\`config ${section.path.join(' ')}\` (${at})`;
  if (!section.closed) return `${title} is not closed by \`end\``;
  const templated = [...section.opaque, ...section.entries.flatMap((e) => e.opaque)];
  if (templated.length)
    return `a template sequence \`${templated[0].text}\` stands where policy commands are written in ${title}: it may add or change policies`;
  return undefined;
}

/**
 * The VDOM's NGFW mode (`config system settings` / `set ngfw-mode`, profile-based by default), or why it is not
 * known; also a consolidated policy mode (FortiOS 6.2), whose policies are not read here.
 */
function ngfwMode(top: FosBlock, vdom: string, locate: Locate): 'profile-based' | 'policy-based' | { unknown: string } {
  let mode: 'profile-based' | 'policy-based' | { unknown: string } = 'profile-based';
  for (const { section, within } of sectionsNamed(top, ['system', 'settings'])) {
    if ((vdomOf(within)?.name.text ?? '') !== vdom) continue;
    const m = setting(section, 'ngfw-mode');
    const at = (x: { start: number; end: number }): string => where(locate(x.start, x.end));
    if (m && !m.unset) {
      const v = m.values[0];
      if (!v || v.template)
        mode = { unknown: `\`set ngfw-mode ${v?.text ?? ''}\` (${at(m)}) is a template value chosen when Terraform renders the file` };
      else if (v.text === 'profile-based' || v.text === 'policy-based') mode = v.text;
      else mode = { unknown: `ngfw-mode \`${v.text}\` (${at(m)}) is not read here` };
    } else if (m?.unset) mode = 'profile-based';
    const c = setting(section, 'consolidated-firewall-mode');
    if (c?.values[0]?.text === 'enable' || c?.values[0]?.template)
      return {
        unknown: `consolidated firewall mode (${at(c)}) keeps the policies in \`config firewall consolidated policy\`, not read here`,
      };
  }
  return mode;
}

function policyTable(top: FosBlock, vdom: string, sections: Found[], locate: Locate): BootstrapPolicy['tables'][number] {
  const name = vdom ? `VDOM ${vdom}` : 'global';
  // Address and service objects in scope: the VDOM's own (every entry editing it), then those outside any VDOM entry (global).
  const vdomEntries = vdom
    ? sectionsNamed(top, ['vdom']).flatMap(({ section }) => section.entries.filter((e) => e.name.text === vdom))
    : [];
  const scopes: FosBlock[] = [...vdomEntries, top];
  const of = (path: string[]): FosSection[] => sections.filter((f) => isPath(f.section, path)).map((f) => f.section);
  const policy = of(POLICY);
  const policy6 = of(POLICY6);
  const security = of(SECURITY);
  const first = sections[0].section;
  const loc = locate((policy[0] ?? first).start, (policy[0] ?? first).end);
  const rules = [
    ...policy.flatMap((s) => s.entries.map((e) => policyRule(e, scopes, locate, 'policy'))),
    ...policy6.flatMap((s) => s.entries.map((e) => policyRule(e, scopes, locate, 'policy6'))),
  ];
  const mode = ngfwMode(top, vdom, locate);
  const unread = sections.find((f) => UNREAD.some((p) => isPath(f.section, p)))?.section;
  const unknown =
    sections.map((f) => unreadable(f.section, locate)).find((u) => u !== undefined) ??
    (unread
      ? `\`config ${unread.path.join(' ')}\` (${where(locate(unread.start, unread.end))}) decides which sessions pass and is not read here`
      : typeof mode === 'object'
        ? mode.unknown
        : mode !== 'policy-based' && security.length
          ? `security policies are written (${where(locate(security[0].start, security[0].end))}) but the VDOM's ngfw-mode is not policy-based: FortiOS does not use them there`
          : undefined);
  const table: BootstrapPolicy['tables'][number] = { name, loc, rules, ...(unknown ? { unknown } : {}) };
  const egress = fortiOsEgress(top, vdom, locate);
  if (egress) table.egress = egress;
  if (mode === 'policy-based') {
    // Without security policies, what the first stage accepts meets the implicit deny.
    const at = security[0] ?? policy[0] ?? first;
    table.security = {
      loc: locate(at.start, at.end),
      rules: security.flatMap((s) => s.entries.map((e) => policyRule(e, scopes, locate, 'security'))),
    };
  }
  return table;
}

const templateWhy = (t: FosToken): { unknown: string } => ({
  unknown: `\`${t.text}\` is a template value chosen when Terraform renders the file`,
});

/** Settings by which a policy matches what a 5-tuple does not carry. */
const NARROWING_KEYS = [
  'groups',
  'users',
  'fsso-groups',
  'application',
  'app-category',
  'app-group',
  'url-category',
  'internet-service-name',
];

/** Narrowing settings that name applications (which limit services, not destinations or sources). */
const APPLICATION_KEYS = new Set(['application', 'app-category', 'app-group']);

/** How a reason names an entry of each policy section. */
const RULE_LABEL = { policy: 'policy', policy6: 'policy6', security: 'security-policy' } as const;

function policyRule(e: FosEntry, scopes: FosBlock[], locate: Locate, kind: keyof typeof RULE_LABEL): BootstrapRule {
  const title = setting(e, 'name')?.values[0]?.text;
  const name = `${RULE_LABEL[kind]} ${e.name.text}${title ? ` "${title}"` : ''}`;
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
  const values = (key: string): FosToken[] | undefined => {
    const v = setting(e, key)?.values;
    return v && v.length ? v : undefined;
  };
  // IPv4: `srcaddr`/`dstaddr` (`srcaddr4`/`dstaddr4` in a FortiOS 6.2 security policy); IPv6: `srcaddr6`/`dstaddr6`
  // (a consolidated policy of FortiOS 6.4+, a security policy), or a `policy6` entry's `srcaddr`/`dstaddr`.
  const k4 =
    kind === 'policy6' ? undefined : { src: values('srcaddr') ? 'srcaddr' : 'srcaddr4', dst: values('dstaddr') ? 'dstaddr' : 'dstaddr4' };
  const k6 = kind === 'policy6' ? { src: 'srcaddr', dst: 'dstaddr' } : { src: 'srcaddr6', dst: 'dstaddr6' };
  const neg6 = kind === 'policy6' ? { src: 'srcaddr-negate', dst: 'dstaddr-negate' } : { src: 'srcaddr6-negate', dst: 'dstaddr6-negate' };
  const has4 = !!k4 && !!(values(k4.src) || values(k4.dst));
  const has6 = !!(values(k6.src) || values(k6.dst));
  // Neither family written: FortiOS requires addresses, and the IPv4 reading says so.
  const four = has4 || !has6;
  const src4 = four ? addresses(values(k4?.src ?? 'srcaddr'), scopes, 'srcaddr', 4) : undefined;
  const dst4 = four ? addresses(values(k4?.dst ?? 'dstaddr'), scopes, 'dstaddr', 4) : undefined;
  const src6 = has6 ? addresses(values(k6.src), scopes, k6.src, 6) : undefined;
  const dst6 = has6 ? addresses(values(k6.dst), scopes, k6.dst, 6) : undefined;
  const isdb = one('internet-service')?.text === 'enable';
  const isdb6 = one(kind === 'policy6' ? 'internet-service' : 'internet-service6')?.text === 'enable';
  const side = (r: Resolved | undefined, negate: string, isdbOn: boolean): BootstrapMatch =>
    !r ? 'none' : negated(negate) ? negatedMatch(r, negate) : isdbOn ? 'some' : matchOf(r);
  // An accept to a destination decided at run time (a dynamic address's filter) answers no allow-list question. A deny
  // of one still holds back only some traffic, and the source side says only whom a rule applies to: both as before.
  const toSide = (r: Resolved | undefined, negate: string, isdbOn: boolean): BootstrapMatch => {
    const m = side(r, negate, isdbOn);
    return m === 'some' && r?.dynamic !== undefined && action !== 'deny' ? { unknown: r.dynamic } : m;
  };
  const svc = services(setting(e, 'service')?.values, scopes);
  const service = negated('service-negate') ? { unknown: 'service-negate is enabled' } : svc.match;
  const profiles = securityProfiles(e, kind);
  const log = one('logtraffic');
  const logsAll: BootstrapRule['logsAll'] = log?.template ? templateWhy(log) : log?.text === 'all';
  const narrowings = NARROWING_KEYS.filter((k) => (setting(e, k)?.values.length ?? 0) > 0);
  const narrowing = narrowings[0];
  const flowSide = (r4: Resolved | undefined, n4: string, r6: Resolved | undefined, n6: string): BootstrapAddresses => {
    const neg4 = !!r4 && negated(n4);
    const neg6v = !!r6 && negated(n6);
    const merged = flowAddresses(merge(r4, r6), neg4 || neg6v);
    // Negation of one family only: the merged list cannot say which family it inverts.
    return r4 && r6 && neg4 !== neg6v ? { ...merged, unknown: `${neg4 ? n4 : n6} is enabled for one address family only` } : merged;
  };
  const flow: BootstrapRule['flow'] = {
    src: flowSide(src4, 'srcaddr-negate', src6, neg6.src),
    dst:
      isdb || isdb6
        ? { ranges: [], fqdns: [], unknown: 'it matches internet service database entries' }
        : flowSide(dst4, 'dstaddr-negate', dst6, neg6.dst),
    service: { ...svc.flow, ...(negated('service-negate') ? { negate: true as const } : {}) },
    ...(narrowing ? { narrowedBy: `\`${narrowing}\`` } : {}),
    ...(narrowing && narrowings.every((k) => APPLICATION_KEYS.has(k)) ? { byApplicationOnly: true as const } : {}),
  };
  return {
    name,
    loc: locate(e.start, e.end),
    enabled,
    action,
    interfaces: `${intf('srcintf')}>${intf('dstintf')}`,
    src: side(src4, 'srcaddr-negate', isdb),
    dst: toSide(dst4, 'dstaddr-negate', isdb),
    src6: side(src6, neg6.src, false),
    dst6: toSide(dst6, neg6.dst, isdb6),
    service,
    profiles,
    logsAll,
    flow,
  };
}

/**
 * The security profiles a policy applies to what it accepts: the profile settings (`av-profile`, `ips-sensor`,
 * `webfilter-profile`, ...). A firewall policy applies them only under `utm-status enable` (its default is
 * `disable`), and `utm-status enable` with no profile inspects nothing: neither is a profile by itself (review s15
 * R6). Profiles written without any `utm-status` are not decided (FortiOS refuses or ignores them; the bootstrap
 * meant them): unknown. A security policy (NGFW policy-based mode) has no `utm-status`: its profiles apply.
 */
function securityProfiles(e: FosEntry, kind: keyof typeof RULE_LABEL): BootstrapRule['profiles'] {
  const out: string[] = [];
  for (const key of PROFILE_KEYS) {
    const v = setting(e, key)?.values[0];
    if (!v) continue;
    if (v.template) return templateWhy(v);
    if (v.text) out.push(`${key} "${v.text}"`);
  }
  if (kind === 'security' || out.length === 0) return out;
  const utm = setting(e, 'utm-status')?.values[0];
  if (utm?.template) return templateWhy(utm);
  if (utm?.text === 'enable') return out;
  if (utm === undefined)
    return {
      unknown: `${out.join(', ')} ${out.length > 1 ? 'are' : 'is'} set without \`utm-status enable\` (FortiOS applies a firewall policy's profiles only when it is enabled; its default is disable)`,
    };
  return [];
}

// FortiOS's predefined services (its factory `config firewall service custom`), by destination port; a bootstrap
// that defines one of these names again wins.
const tcp = (...p: [number, number][]): BootstrapService => ({ protocol: 'tcp', ports: p });
const udp = (...p: [number, number][]): BootstrapService => ({ protocol: 'udp', ports: p });
const port = (n: number): [number, number] => [n, n];
const PREDEFINED: Record<string, BootstrapService[]> = {
  ALL: [{ protocol: 'ip' }],
  ALL_TCP: [tcp([1, 65535])],
  ALL_UDP: [udp([1, 65535])],
  ALL_ICMP: [{ protocol: 'icmp' }],
  ALL_ICMP6: [{ protocol: 'icmp6' }],
  PING: [{ protocol: 'icmp', icmpType: 8 }],
  PING6: [{ protocol: 'icmp6', icmpType: 128 }],
  HTTP: [tcp(port(80))],
  HTTPS: [tcp(port(443))],
  DNS: [tcp(port(53)), udp(port(53))],
  NTP: [tcp(port(123)), udp(port(123))],
  SSH: [tcp(port(22))],
  TELNET: [tcp(port(23))],
  FTP: [tcp(port(21))],
  SMTP: [tcp(port(25))],
  SMTPS: [tcp(port(465))],
  POP3: [tcp(port(110))],
  POP3S: [tcp(port(995))],
  IMAP: [tcp(port(143))],
  IMAPS: [tcp(port(993))],
  SNMP: [tcp([161, 162]), udp([161, 162])],
  RDP: [tcp(port(3389))],
  SMB: [tcp(port(445))],
  SAMBA: [tcp(port(139))],
  MYSQL: [tcp(port(3306))],
  SYSLOG: [udp(port(514))],
  BGP: [tcp(port(179))],
  KERBEROS: [tcp(port(88)), udp(port(88))],
  LDAP: [tcp(port(389))],
};

/** `80`, `80-90`, `443:1024-65535` (destination[:source]): the destination range; undefined when not readable or a source range narrows it. */
function portRange(text: string): [number, number] | { unknown: string } {
  const [dst, src] = text.split(':');
  const range = (t: string): [number, number] | undefined => {
    const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(t);
    if (!m) return undefined;
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    return lo <= hi && hi <= 65535 ? [lo, hi] : undefined;
  };
  const d = range(dst);
  if (!d) return { unknown: `port range \`${text}\` is not read here` };
  if (src !== undefined) {
    const s = range(src);
    if (!s || s[0] > 1 || s[1] < 65535) return { unknown: `port range \`${text}\` also restricts the source port` };
  }
  return d;
}

/** A `config firewall service custom` entry's services. */
function customService(e: FosEntry): { entries: BootstrapService[]; unknown?: string } {
  const one = (key: string): FosToken | undefined => setting(e, key)?.values[0];
  const templated = e.settings.flatMap((s) => s.values).find((v) => v.template);
  if (templated) return { entries: [], unknown: templateWhy(templated).unknown };
  if (one('fqdn') || (one('iprange') && one('iprange')?.text !== '0.0.0.0'))
    return { entries: [], unknown: `service "${e.name.text}" also names destination addresses` };
  const proto = (one('protocol')?.text ?? 'TCP/UDP/SCTP').toUpperCase();
  const type = one('icmptype');
  if (proto === 'ICMP' || proto === 'ICMP6')
    return { entries: [{ protocol: proto === 'ICMP' ? 'icmp' : 'icmp6', ...(type ? { icmpType: Number(type.text) } : {}) }] };
  if (proto === 'IP') {
    const n = Number(one('protocol-number')?.text ?? '0');
    const byNumber: Record<number, BootstrapService['protocol']> = { 0: 'ip', 1: 'icmp', 6: 'tcp', 17: 'udp', 58: 'icmp6', 132: 'sctp' };
    // Another protocol number matches no TCP, UDP or ICMP flow: an entry that nothing matches.
    return { entries: byNumber[n] ? [{ protocol: byNumber[n] }] : [] };
  }
  if (proto !== 'TCP/UDP/SCTP' && proto !== 'TCP/UDP/UDP-LITE/SCTP')
    return { entries: [], unknown: `service "${e.name.text}" has protocol ${proto}, not read here` };
  const entries: BootstrapService[] = [];
  for (const p of ['tcp', 'udp', 'sctp'] as const) {
    const ranges = setting(e, `${p}-portrange`)?.values ?? [];
    if (ranges.length === 0) continue;
    const ports: [number, number][] = [];
    for (const r of ranges) {
      const pr = portRange(r.text);
      if (!Array.isArray(pr)) return { entries, unknown: `service "${e.name.text}": ${pr.unknown}` };
      ports.push(pr);
    }
    entries.push({ protocol: p, ports });
  }
  return { entries };
}

function serviceNamed(name: string, scopes: FosBlock[], depth: number): { entries: BootstrapService[]; unknown?: string } {
  if (depth > 16) return { entries: [], unknown: `service group "${name}" nests too deep` };
  for (const scope of scopes) {
    const custom = entryNamed(scope, ['firewall', 'service', 'custom'], name);
    if (custom) return customService(custom);
    const grp = entryNamed(scope, ['firewall', 'service', 'group'], name);
    if (grp) {
      const out: { entries: BootstrapService[]; unknown?: string } = { entries: [] };
      for (const m of setting(grp, 'member')?.values ?? []) {
        const r = m.template ? { entries: [], unknown: templateWhy(m).unknown } : serviceNamed(m.text, scopes, depth + 1);
        out.entries.push(...r.entries);
        if (r.unknown) out.unknown ??= r.unknown;
      }
      return out;
    }
  }
  const pre = PREDEFINED[name];
  return pre
    ? { entries: pre }
    : { entries: [], unknown: `service "${name}" is not defined in the bootstrap nor a predefined one read here` };
}

function services(values: FosToken[] | undefined, scopes: FosBlock[]): { match: BootstrapMatch; flow: BootstrapServices } {
  if (!values || values.length === 0) {
    const unknown = 'no service is set (FortiOS requires one)';
    return { match: { unknown }, flow: { entries: [], unknown } };
  }
  const flow: BootstrapServices = { entries: [] };
  for (const v of values) {
    const r = v.template ? { entries: [], unknown: templateWhy(v).unknown } : serviceNamed(v.text, scopes, 0);
    flow.entries.push(...r.entries);
    if (r.unknown) flow.unknown ??= r.unknown;
  }
  if (values.some((v) => !v.template && v.text === 'ALL')) return { match: 'all', flow };
  const t = values.find((v) => v.template);
  return { match: t ? templateWhy(t) : 'some', flow };
}

/**
 * What a list of address names covers (a FortiOS or PAN-OS rule side): every address, some ranges and names, and
 * what is not known.
 */
export interface Resolved {
  all: boolean;
  ranges: string[];
  fqdns: string[];
  /** Not known at all (a template value, an object the configuration does not define): the posture cannot tell either. */
  unknown?: string;
  /** Known to be some addresses, but not which (a region, a dynamic group): only a flow cannot tell. */
  opaque?: string;
  /** Geography members (`"Canada" (CA)`): a country's addresses, which a flow cannot tell either. */
  countries?: string[];
  /**
   * FortiOS: a dynamic (fabric connector) member whose filter selects its addresses when the firewall runs (a tag, a
   * region, a service tag): as a destination, whether it names a few hosts or much of the internet is not in the
   * inputs (why). A filter naming instances by id is exact: named hosts, not this.
   */
  dynamic?: string;
}

const matchOf = (r: Resolved): BootstrapMatch => (r.all ? 'all' : r.unknown ? { unknown: r.unknown } : 'some');

const PRIVATE_V4 = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map((c) => parseCidr(c)!);

/** A range (`10.1.0.0/16`, `10.0.0.5`, `10.0.0.5-10.0.0.9`) inside one RFC 1918 block: no internet address. */
function privateRange(range: string): boolean {
  const [a, b] = range.split('-');
  const ends = b === undefined ? [parseCidr(a.includes('/') ? a : `${a}/32`)] : [parseCidr(`${a}/32`), parseCidr(`${b}/32`)];
  return PRIVATE_V4.some((blk) => ends.every((c) => !!c && cidrContains(blk, c)));
}

/**
 * What `dstaddr-negate` (or `srcaddr-negate`) matches, for internet-bound traffic: everything but `all` is
 * nothing; everything but private ranges (the other VPCs of an east-west policy) is every internet address,
 * as a destination. Anything else (a public range, a name, a source) is not decided here.
 */
function negatedMatch(r: Resolved, key: string): BootstrapMatch {
  if (r.unknown) return { unknown: r.unknown };
  if (r.all) return 'none';
  const dst = key.startsWith('dstaddr');
  if (dst && !r.opaque && !r.countries && r.fqdns.length === 0 && r.ranges.length > 0 && r.ranges.every(privateRange)) return 'all';
  return { unknown: `${key} is enabled` };
}

const flowAddresses = (r: Resolved, negate: boolean): BootstrapAddresses => {
  const unknown =
    r.unknown ??
    r.opaque ??
    (r.countries ? `address ${r.countries[0]} is a geography, which a flow's address alone does not match` : undefined);
  // A whole country among the destinations (whatever is named beside it) opens most of the internet to the rule.
  const countries = !!r.countries && !r.all && !r.unknown;
  return {
    ranges: r.ranges,
    fqdns: r.fqdns,
    ...(unknown ? { unknown } : {}),
    ...(negate ? { negate: true as const } : {}),
    ...(countries ? { countries: r.countries } : {}),
  };
};

function merge(a: Resolved | undefined, b: Resolved | undefined): Resolved {
  if (!a || !b) return a ?? b ?? { all: false, ranges: [], fqdns: [] };
  const unknown = a.unknown ?? b.unknown;
  const opaque = a.opaque ?? b.opaque;
  const countries = a.countries || b.countries ? [...(a.countries ?? []), ...(b.countries ?? [])] : undefined;
  const dynamic = a.dynamic ?? b.dynamic;
  return {
    ...(dynamic ? { dynamic } : {}),
    all: a.all || b.all,
    ranges: [...a.ranges, ...b.ranges],
    fqdns: [...a.fqdns, ...b.fqdns],
    ...(unknown ? { unknown } : {}),
    ...(opaque ? { opaque } : {}),
    ...(countries ? { countries } : {}),
  };
}

function addresses(values: FosToken[] | undefined, scopes: FosBlock[], key: string, family: 4 | 6): Resolved {
  const out: Resolved = { all: false, ranges: [], fqdns: [] };
  if (!values || values.length === 0) return { ...out, unknown: `no ${key} is set (FortiOS requires one)` };
  for (const v of values) {
    if (v.template) out.unknown ??= templateWhy(v).unknown;
    else addressInto(v.text, scopes, 0, out, family);
  }
  // Objects whose subnets together hold the whole family (`0.0.0.0/1` and `128.0.0.0/1`) are `all` (review s16 R9).
  if (coversFamily(out.ranges, family)) out.all = true;
  return out;
}

/** Adds what a named address object (or group) of a family covers (`config firewall address`/`addrgrp`, `address6`/`addrgrp6`). */
function addressInto(name: string, scopes: FosBlock[], depth: number, out: Resolved, family: 4 | 6): void {
  if (name === 'all') {
    out.all = true;
    out.ranges.push(family === 4 ? '0.0.0.0/0' : '::/0');
    return;
  }
  if (name === 'none') return;
  if (depth > 16) {
    out.unknown ??= `address group "${name}" nests too deep`;
    return;
  }
  const [objects, groups] = family === 4 ? ['address', 'addrgrp'] : ['address6', 'addrgrp6'];
  for (const scope of scopes) {
    const addr = entryNamed(scope, ['firewall', objects], name);
    if (addr) return family === 4 ? addressObject(addr, out) : address6Object(addr, out);
    const grp = entryNamed(scope, ['firewall', groups], name);
    if (grp) {
      if (setting(grp, 'exclude')?.values[0]?.text === 'enable') out.opaque ??= `address group "${name}" excludes members`;
      const members = setting(grp, 'member')?.values ?? [];
      // FortiOS refuses a group without members, and with it the policies naming it: what runs is not this.
      if (members.length === 0)
        out.unknown ??= `address group "${name}" has no member (FortiOS refuses an empty address group, and a policy naming it)`;
      for (const m of members) {
        if (m.template) out.unknown ??= templateWhy(m).unknown;
        else addressInto(m.text, scopes, depth + 1, out, family);
      }
      return;
    }
  }
  out.unknown ??= `${family === 6 ? 'IPv6 address' : 'address'} "${name}" is not defined in the bootstrap`;
}

/** A `config firewall address6` entry: `ip6` prefix (`::/0` unset), a range, an FQDN; other types only some addresses. */
function address6Object(e: FosEntry, out: Resolved): void {
  const values = (key: string): FosToken[] => setting(e, key)?.values ?? [];
  const t = ['type', 'ip6', 'start-ip', 'end-ip', 'fqdn'].flatMap(values).find((v) => v.template);
  if (t) {
    out.unknown ??= templateWhy(t).unknown;
    return;
  }
  const kind = values('type')[0]?.text ?? 'ipprefix';
  if (kind === 'ipprefix') {
    const text = values('ip6')[0]?.text ?? '::/0';
    const c = parseCidr(text);
    if (c?.family === 6) {
      if (c.prefix === 0) out.all = true;
      out.ranges.push(c.text);
    } else out.opaque ??= `IPv6 address "${e.name.text}" has ip6 \`${text}\`, not read here`;
  } else if (kind === 'iprange') {
    const lo = values('start-ip')[0]?.text ?? '::';
    const hi = values('end-ip')[0]?.text ?? '::';
    if (parseIpv6(lo) !== undefined && parseIpv6(hi) !== undefined) out.ranges.push(`${lo}-${hi}`);
    else out.opaque ??= `IPv6 address "${e.name.text}" has range \`${lo}-${hi}\`, not read here`;
  } else if (kind === 'fqdn') {
    const f = values('fqdn')[0]?.text;
    if (f) out.fqdns.push(f.toLowerCase());
    else out.opaque ??= `IPv6 address "${e.name.text}" has no fqdn`;
  } else if (kind === 'geography') geography(e, out);
  else if (kind === 'dynamic') dynamicAddress(e, out, 'IPv6 address');
  else out.opaque ??= `IPv6 address "${e.name.text}" is of type ${kind}, which a flow's address alone does not match`;
}

function addressObject(e: FosEntry, out: Resolved): void {
  const type = setting(e, 'type')?.values[0];
  if (type?.template) {
    out.unknown ??= templateWhy(type).unknown;
    return;
  }
  const kind = type?.text ?? 'ipmask';
  const values = (key: string): FosToken[] => setting(e, key)?.values ?? [];
  const t = ['subnet', 'start-ip', 'end-ip', 'fqdn', 'wildcard-fqdn'].flatMap(values).find((v) => v.template);
  if (t) {
    out.unknown ??= templateWhy(t).unknown;
    return;
  }
  if (kind === 'ipmask') {
    // Unset, the subnet is 0.0.0.0 0.0.0.0: every address.
    const text = values('subnet')
      .map((v) => v.text)
      .join(' ');
    const cidr = text === '' ? '0.0.0.0/0' : ipmask(text);
    if (cidr === '0.0.0.0/0') out.all = true;
    if (cidr) out.ranges.push(cidr);
    else out.opaque ??= `address "${e.name.text}" has subnet \`${text}\`, not read here`;
  } else if (kind === 'iprange') {
    const lo = values('start-ip')[0]?.text ?? '0.0.0.0';
    const hi = values('end-ip')[0]?.text ?? '0.0.0.0';
    if (parseIpv4(lo) !== undefined && parseIpv4(hi) !== undefined) out.ranges.push(`${lo}-${hi}`);
    else out.opaque ??= `address "${e.name.text}" has range \`${lo}-${hi}\`, not read here`;
  } else if ((kind === 'fqdn' || kind === 'wildcard-fqdn') && everyName(values(kind)[0]?.text ?? '') !== undefined) {
    // `*.com` takes every name under a top-level domain: every destination for the posture (review s16 R12); what
    // one address resolves to is still not known offline.
    const f = values(kind)[0].text;
    out.all = true;
    out.opaque ??= `address "${e.name.text}" is ${kind} ${f}, which takes ${everyName(f)}: whether an address is one of them is known when the firewall runs`;
  } else if (kind === 'fqdn') {
    const f = values('fqdn')[0]?.text;
    if (f) out.fqdns.push(f.toLowerCase());
    else out.opaque ??= `address "${e.name.text}" has no fqdn`;
  } else if (kind === 'geography') geography(e, out);
  else if (kind === 'dynamic') dynamicAddress(e, out, 'address');
  else out.opaque ??= `address "${e.name.text}" is of type ${kind}, which a flow's address alone does not match`;
}

/** Filter keys that name one machine: AWS `InstanceId`, Azure `vm`/`vmid`, GCP `id` (FortiOS SDN connector filters). */
const EXACT_FILTER_KEYS = new Set(['instanceid', 'vmid', 'vm', 'id']);

/**
 * A `type dynamic` address. Of a fabric (SDN) connector (`sub-type sdn`, the default): its `filter` selects members
 * when the firewall runs. Exact (every `|` alternative names machines by id: `InstanceId=i-0abc`): those hosts,
 * named. Otherwise (a tag, a region, a service tag, no filter, a template value): which destinations it holds is not
 * in the inputs (Resolved.dynamic). Other sub-types (FSSO users, EMS tags, ...) name endpoints, as before.
 */
function dynamicAddress(e: FosEntry, out: Resolved, what: string): void {
  const name = e.name.text;
  const one = (key: string): FosToken | undefined => setting(e, key)?.values[0];
  out.opaque ??= `${what} "${name}" is of type dynamic, which a flow's address alone does not match`;
  const sub = one('sub-type');
  if (sub !== undefined && !sub.template && sub.text !== 'sdn') return;
  const connector = one('sdn');
  const by = connector && !connector.template ? `fabric connector "${connector.text}"` : 'a fabric connector';
  const filters = setting(e, 'filter')?.values ?? [];
  const filter = filters.map((v) => v.text).join(' ');
  if (filters.length > 0 && !filters.some((v) => v.template) && exactFilter(filter)) return;
  out.dynamic ??=
    filters.length === 0
      ? `${what} "${name}" is a dynamic address of ${by} with no filter written: its members are decided when the firewall runs`
      : `${what} "${name}" is a dynamic address of ${by} whose filter \`${filter}\` selects its members when the firewall runs: whether it names a few hosts or much of the internet is not in the inputs`;
}

/** An SDN filter every `|` alternative of which names machines by id (an `&` term with an exact key and no wildcard). */
function exactFilter(filter: string): boolean {
  return filter.split('|').every((alt) =>
    alt.split('&').some((term) => {
      const m = /^\s*([A-Za-z.]+)\s*=\s*([^*?\s]+)\s*$/.exec(term);
      return !!m && EXACT_FILTER_KEYS.has(m[1].toLowerCase());
    }),
  );
}

/** A `type geography` address: the addresses of its `country` (a country code not known offline stays opaque). */
function geography(e: FosEntry, out: Resolved): void {
  const c = setting(e, 'country')?.values[0];
  if (!c || c.template) out.opaque ??= `address "${e.name.text}" is a geography whose country is not known offline`;
  else (out.countries ??= []).push(`"${e.name.text}" (${c.text})`);
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
