// Which interface pair of a FortiGate's bootstrap policy carries internet-bound egress, decided by FortiOS route
// selection over the routes the bootstrap writes (parse/vocabulary/fortiosRoutes.ts), in configurations written for
// these tests: a two-arm FortiGate behind a GWLB whose public port learns its default route by DHCP (distance 5)
// while static default routes over its GENEVE tunnels compete (distance and priority), and policy routes send
// private destinations back into the tunnel they came from. The policy accepts everything from the tunnels' zone to
// the public port, logged (a logged permit-all), and only HTTPS to the spokes' range from the zone back into it (held
// back).
import { strict as assert } from 'node:assert';
import { bootstrapFlow, bootstrapPosture } from '../../../src/analysis/firewallPolicy/bootstrap';
import { fortiOsBootstrap } from '../../../src/parse/vocabulary/fortiosPolicy';
import { LineMap } from '../../../src/parse/locate';
import type { BootstrapPolicy } from '../../../src/model/types';

const entry = (name: string, lines: string[]): string => `  edit ${name}\n${lines.map((l) => `    set ${l}`).join('\n')}\n  next`;
const section = (path: string, ...entries: string[]): string => `config ${path}\n${entries.join('\n')}\nend\n`;

/** The public port in DHCP mode (extra settings given), the private one not taking its gateway. */
const ports = (...port1: string[]): string =>
  section(
    'system interface',
    entry('"port1"', ['mode dhcp', 'vdom "root"', ...port1]),
    entry('"port2"', ['mode dhcp', 'defaultgw disable']),
  );

const tunnels =
  section(
    'system geneve',
    entry('"gnv-a"', ['interface "port1"', 'type ppp', 'remote-ip 10.90.1.20']),
    entry('"gnv-b"', ['interface "port1"', 'type ppp', 'remote-ip 10.90.2.20']),
  ) + section('system zone', entry('"inspect"', ['interface "gnv-a" "gnv-b"']));

/** Static default routes over both tunnels, with the settings given. */
const tunnelRoutes = (...settings: string[]): string =>
  section('router static', entry('1', [...settings, 'device "gnv-a"']), entry('2', [...settings, 'device "gnv-b"']));

/** East-west hairpin: private destinations go back into the tunnel they came from. */
const hairpin = section(
  'router policy',
  entry('1', ['input-device "gnv-a"', 'dst "10.0.0.0/255.0.0.0" "192.168.0.0/255.255.0.0"', 'output-device "gnv-a"']),
  entry('2', ['input-device "gnv-b"', 'dst "10.0.0.0/255.0.0.0" "192.168.0.0/255.255.0.0"', 'output-device "gnv-b"']),
);

const policy =
  section('firewall address', entry('"spokes"', ['subnet 10.0.0.0 255.0.0.0'])) +
  section(
    'firewall policy',
    entry('1', [
      'name "to-internet"',
      'srcintf "inspect"',
      'dstintf "port1"',
      'srcaddr "all"',
      'dstaddr "all"',
      'action accept',
      'service "ALL"',
      'logtraffic all',
      'nat enable',
    ]),
    entry('2', [
      'name "back-in"',
      'srcintf "inspect"',
      'dstintf "inspect"',
      'srcaddr "all"',
      'dstaddr "spokes"',
      'action accept',
      'service "HTTPS"',
      'logtraffic all',
    ]),
  );

function read(config: string): BootstrapPolicy {
  const lines = new LineMap(config);
  const b = fortiOsBootstrap(config, (a, c) => ({ file: 'fgt.conf', range: lines.range(a, c) }));
  assert.ok(b?.policy, 'no policy read');
  return b.policy;
}
const posture = (config: string) => bootstrapPosture(read(config), 'FortiOS');
const gwlb = (port1: string[], routes: string, extra = ''): string => ports(...port1) + tunnels + routes + hairpin + extra + policy;

describe('FortiOS bootstrap: the egress interface by route selection', () => {
  it("the DHCP default route (distance 5) wins over static default routes left at distance 10: the public port's pair decides", () => {
    const p = posture(gwlb([], tunnelRoutes()));
    assert.equal(p.cls, 'permit-all', p.reason);
    assert.match(p.reason, /policy 1 "to-internet"/);
    assert.match(
      p.reason,
      /internet-bound traffic leaves by port1: the DHCP default route of "?port1"? \(fgt\.conf:\d+\) \(distance 5, priority unset\), preferred to static route 1 over gnv-a/,
    );
  });

  it('at equal distance the lower priority wins: tunnel routes at priority 100 only stand by (the GWLB template shape)', () => {
    const p = posture(gwlb([], tunnelRoutes('distance 5', 'priority 100')));
    assert.equal(p.cls, 'permit-all', p.reason);
    assert.match(p.reason, /\(distance 5, priority 100\)/);
    // An explicit priority on the DHCP port above the tunnels' turns it round: the tunnels' zone carries the egress.
    const q = posture(gwlb(['priority 200'], tunnelRoutes('distance 5', 'priority 100')));
    assert.equal(q.cls, 'restricted', q.reason);
    assert.match(q.reason, /policy 2 "back-in"/);
    assert.match(q.reason, /leaves by inspect/);
  });

  it('a lower distance decides before any priority; the tunnel interfaces are named by their zone', () => {
    const p = posture(gwlb([], tunnelRoutes('distance 1', 'priority 100')));
    assert.equal(p.cls, 'restricted', p.reason);
    assert.match(
      p.reason,
      /internet-bound traffic leaves by inspect: static route 1 over gnv-a .*static route 2 over gnv-b .*preferred to the DHCP default route/,
    );
    const far = posture(gwlb(['distance 20'], tunnelRoutes()));
    assert.equal(far.cls, 'restricted', far.reason);
  });

  it('equal distance and priority is ECMP: both pairs may carry the egress, and as they disagree it stays unknown naming both', () => {
    for (const routes of [tunnelRoutes('distance 5'), tunnelRoutes('distance 5', 'priority 1')]) {
      const p = posture(gwlb(routes.includes('priority') ? ['priority 1'] : [], routes));
      assert.equal(p.cls, 'unknown', p.reason);
      assert.match(p.reason, /policy 1 "to-internet"/);
      assert.match(p.reason, /policy 2 "back-in"/);
      assert.match(
        p.reason,
        /the routes do not decide which one carries this egress \(internet-bound traffic may leave by (port1 or inspect|inspect or port1): .*tie in distance and priority \(ECMP\)/,
      );
    }
    // An unset priority is 0 or 1 by version: against an explicit 0 or 1 it is not known which wins.
    assert.equal(posture(gwlb([], tunnelRoutes('distance 5', 'priority 0'))).cls, 'unknown');
    assert.equal(posture(gwlb([], tunnelRoutes('distance 5', 'priority 2'))).cls, 'permit-all');
  });

  it("an interface edited twice (its VDOM set in `config global`) is read whole: its DHCP route is the VDOM's", () => {
    const cfg =
      section('system interface', entry('"port1"', ['mode dhcp'])) +
      `config global\n${section('system interface', entry('"port1"', ['vdom "traffic"']))}end\n` +
      `config vdom\nedit traffic\n${tunnels}${tunnelRoutes('distance 5', 'priority 100')}${hairpin}${policy}next\nend\n`;
    const p = posture(cfg);
    assert.equal(p.cls, 'permit-all', p.reason);
    assert.match(p.reason, /leaves by port1: the DHCP default route of port1/);
    // In another VDOM the port's route is not this one's: the tunnels' routes decide.
    const other = posture(cfg.replace('vdom "traffic"', 'vdom "root"'));
    assert.equal(other.cls, 'restricted', other.reason);
  });

  it('a port not taking its gateway from DHCP, or down, gives no default route', () => {
    const p = posture(gwlb(['defaultgw disable'], tunnelRoutes('priority 100')));
    assert.equal(p.cls, 'restricted', p.reason);
    assert.equal(posture(gwlb(['status down'], tunnelRoutes('priority 100'))).cls, 'restricted');
  });

  it('policy routes for private destinations do not take internet traffic; one for every destination may', () => {
    // The hairpin alone (in every configuration above) leaves port1 deciding.
    assert.equal(posture(gwlb([], tunnelRoutes('distance 5', 'priority 100'))).cls, 'permit-all');
    const all = section('router policy', entry('9', ['input-device "gnv-a"', 'output-device "gnv-a"']));
    const p = posture(gwlb([], tunnelRoutes('distance 5', 'priority 100'), all));
    assert.equal(p.cls, 'unknown', p.reason);
    assert.match(p.reason, /policy route 9 \(fgt\.conf:\d+\) takes some of it out of inspect/);
    // A static route to a private supernet (its mask in the same token, as a rendered template value writes it) takes none.
    const supernet = section('router static', entry('5', ['device "port2"', 'dst "10.200.0.0 255.255.0.0"']));
    assert.equal(posture(gwlb([], tunnelRoutes('distance 5', 'priority 100'), supernet)).cls, 'permit-all');
    // Stopped policy routing (action deny) sends the traffic to the routing table.
    const stop = section('router policy', entry('9', ['input-device "gnv-a"', 'output-device "gnv-a"', 'action deny']));
    assert.equal(posture(gwlb([], tunnelRoutes('distance 5', 'priority 100'), stop)).cls, 'permit-all');
  });

  it('what the bootstrap does not decide leaves every pair judged: a template value, SD-WAN, a routing protocol that may win', () => {
    const templ = posture(gwlb(['distance ${wan_distance}'], tunnelRoutes('distance 5', 'priority 100')));
    assert.equal(templ.cls, 'unknown', templ.reason);
    assert.match(templ.reason, /which one carries this egress is not read here$/);
    // A blackhole default route that loses (distance 254) is harmless; one that may win drops what it takes.
    const hole = (d: number) =>
      section(
        'router static',
        entry('7', ['blackhole enable', `distance ${d}`]),
        entry('8', ['blackhole enable', 'dst 10.0.0.0 255.0.0.0']),
      );
    assert.equal(posture(gwlb([], hole(254))).cls, 'permit-all');
    assert.equal(posture(gwlb([], hole(1))).cls, 'unknown');
    const sdwan = section('system sdwan', '  set status enable');
    assert.equal(posture(gwlb([], tunnelRoutes('distance 5', 'priority 100'), sdwan)).cls, 'unknown');
    // eBGP's default distance (20) loses to the DHCP route; a distance set for it may not.
    const bgp = (extra: string) => section('router bgp', '  set as 65010', extra);
    assert.equal(posture(gwlb([], tunnelRoutes('distance 5', 'priority 100'), bgp(''))).cls, 'permit-all');
    assert.equal(posture(gwlb([], tunnelRoutes('distance 5', 'priority 100'), bgp('  set distance-external 1'))).cls, 'unknown');
  });

  it('a route inside a template conditional may or may not be rendered: it counts only where it would win', () => {
    const cond = (settings: string[]) =>
      `config router static\n${entry('1', ['distance 5', 'priority 100', 'device "gnv-a"'])}\n%{ if azs == "2" }\n${entry('2', [...settings, 'device "gnv-b"'])}\n%{ endif }\nend\n`;
    assert.equal(posture(gwlb([], cond(['distance 5', 'priority 100']))).cls, 'permit-all');
    const p = posture(gwlb([], cond(['distance 1'])));
    assert.equal(p.cls, 'unknown', p.reason);
    assert.match(p.reason, /may leave by (port1 or inspect|inspect or port1): .*as a template conditional renders them or not/);
    // A template line standing for routes may write any route.
    const open = `config router static\n\${extra_routes}\nend\n`;
    assert.match(posture(gwlb([], open)).reason, /which one carries this egress is not read here$/);
  });

  it('a flow to an internet address meets the pair into the egress interface; one to a private address every pair', () => {
    const cfg = read(gwlb([], tunnelRoutes('distance 5', 'priority 100')));
    const web = bootstrapFlow(cfg, 'FortiOS', { src: '10.1.0.5', dst: '198.51.100.7', protocol: 'tcp', port: 22 });
    assert.deepEqual([web.decision, web.rule], ['allow', 'policy 1 "to-internet"'], web.reason);
    // East-west SSH: the pairs disagree (the hairpin pair denies it), and the routes say nothing of private destinations.
    assert.equal(bootstrapFlow(cfg, 'FortiOS', { src: '10.1.0.5', dst: '10.2.0.9', protocol: 'tcp', port: 22 }).decision, 'unknown');
  });
});
