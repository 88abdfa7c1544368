// A FortiGate whose bootstrap the root module renders (a `template_file` data source, a conditional on a root
// variable) and passes into the module that launches it as an input variable: the module's `user_data =
// var.x` is followed to the caller's argument, so the policy written in the template decides (vendor
// modules that take `userdata_rendered` from the caller).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze } from '../../../src/analysis/analyze';
import type { AnalysisResult } from '../../../src/analysis/types';

const FIXTURE = join(__dirname, '../../../../test/fixtures/fortios-gwlb');
const fixture = (p: string) => readFileSync(join(FIXTURE, p), 'utf8');

/** The fixture's estate module with its instance booting from whatever the caller renders. */
function estate(): string {
  const text = fixture('modules/estate/main.tf');
  const line = /user_data\s*=.*\n/.exec(text);
  assert.ok(line, 'the estate module writes user_data on one line');
  return `${text.replace(line[0], 'user_data     = var.rendered\n')}
variable "rendered" {
  type = string
}
`;
}

const root = (useFile: string) => `
variable "use_monitored" {
  type    = bool
  default = ${useFile === 'monitored' ? 'true' : 'false'}
}
data "template_file" "monitored" {
  template = file("monitored.conf")
}
data "template_file" "restricted" {
  template = file("restricted.conf")
}
module "estate" {
  source    = "./modules/estate"
  bootstrap = "unused.conf"
  rendered  = var.use_monitored ? data.template_file.monitored.rendered : data.template_file.restricted.rendered
}
`;

async function run(useFile: 'monitored' | 'restricted'): Promise<AnalysisResult> {
  const ws = await createWorkspace();
  ws.setFile('main.tf', root(useFile));
  ws.setFile('modules/estate/main.tf', estate());
  const confs = () => {
    ws.setFile('monitored.conf', fixture('monitored/fortigate.conf'));
    ws.setFile('restricted.conf', fixture('restricted/fortigate.conf'));
  };
  // As the CLI and the editor do: a file is read as a template once the configuration turns out to read it.
  confs();
  ws.build();
  confs();
  const b = ws.build();
  return analyze(b.model, {}, b.diagnostics);
}

const workload = (r: AnalysisResult) => r.states.find((s) => s.vpc === 'module.estate.aws_vpc.workload')!;

describe('a firewall bootstrap passed into a module as an input variable', function () {
  this.timeout(60000);

  it("is read where the caller renders it: the logged accept-all template's workload is Monitored", async () => {
    const w = workload(await run('monitored'));
    assert.equal(w.state, 'Monitored', w.reason);
    assert.match(w.reason, /FortiOS policy 10 "inspect-all" \(monitored\.conf:\d+\) accepts all to all/);
  });

  it("the caller's conditional picks the template: the restricting one gives Protected, located in its file", async () => {
    const w = workload(await run('restricted'));
    assert.equal(w.state, 'Protected', w.reason);
    assert.match(w.reason, /restricted\.conf:\d+/);
  });

  // F76: one instance of a counted template (`data.template_file.x[count.index].rendered`, a template per
  // firewall with its own hostname): every instance renders the same policy.
  it('an instance of a counted template_file is read as the template', async () => {
    const ws = await createWorkspace();
    ws.setFile(
      'main.tf',
      `data "template_file" "fgt" {
  count    = 2
  template = file("fgt.conf")
  vars     = { hostname = "fgt-\${count.index}" }
}
module "estate" {
  source    = "./modules/estate"
  bootstrap = "unused.conf"
  rendered  = data.template_file.fgt[1].rendered
}
`,
    );
    ws.setFile('modules/estate/main.tf', estate());
    ws.setFile('fgt.conf', fixture('monitored/fortigate.conf'));
    ws.build();
    ws.setFile('fgt.conf', fixture('monitored/fortigate.conf'));
    const b = ws.build();
    const w = workload(analyze(b.model, {}, b.diagnostics));
    assert.equal(w.state, 'Monitored', w.reason);
    assert.match(w.reason, /fgt\.conf:\d+/);
  });

  // A rule naming sources decides by the subnet the firewall sees the flow come from (F76: FortiGate's GWLB
  // template accepts `srcaddr "rfc-1918-subnets"` to all, logged; the spokes are in 10.0.0.0/8).
  async function sourced(group: string): Promise<AnalysisResult> {
    const conf = fixture('monitored/fortigate.conf').replace(
      'config firewall policy',
      `config firewall address
    edit "ten"
        set subnet 10.0.0.0 255.0.0.0
    next
    edit "one-nine-two"
        set subnet 192.168.0.0 255.255.0.0
    next
end
config firewall addrgrp
    edit "private"
        set member ${group}
    next
end
config firewall policy`,
    );
    return rendered(conf.replace('set srcaddr "all"', 'set srcaddr "private"'), '{ hostname = "fgt-a" }');
  }

  it("a logged accept-all from sources that hold the workload's subnet is a logged permit-all for it: Monitored", async () => {
    const w = workload(await sourced('"ten" "one-nine-two"'));
    assert.equal(w.state, 'Monitored', w.reason);
    assert.match(w.reason, /accepts all to all/);
  });

  it('an accept-all from sources that exclude the workload does not take its egress: nothing else accepts it, Protected', async () => {
    const w = workload(await sourced('"one-nine-two"'));
    assert.equal(w.state, 'Protected', w.reason);
    assert.match(w.reason, /accepts nothing/);
  });

  // The caller renders its own template with values (a template_file's vars, from a root variable).
  async function rendered(conf: string, vars: string): Promise<AnalysisResult> {
    const ws = await createWorkspace();
    ws.setFile(
      'main.tf',
      `variable "allowed" {
  type    = string
  default = "all"
}
data "template_file" "fgt" {
  template = file("fgt.conf")
  vars     = ${vars}
}
module "estate" {
  source    = "./modules/estate"
  bootstrap = "unused.conf"
  rendered  = data.template_file.fgt.rendered
}
`,
    );
    ws.setFile('modules/estate/main.tf', estate());
    ws.setFile('fgt.conf', conf);
    ws.build();
    ws.setFile('fgt.conf', conf);
    const b = ws.build();
    return analyze(b.model, {}, b.diagnostics);
  }

  it('template values the caller gives are read as written values; one it does not give stays unknown', async () => {
    const conf = fixture('templated/fortigate.conf');
    const known = workload(await rendered(conf, '{ hostname = "fgt-a", allowed_destinations = var.allowed }'));
    assert.equal(known.state, 'Monitored', known.reason);
    const missing = workload(await rendered(conf, '{ hostname = "fgt-a" }'));
    assert.equal(missing.state, 'Unknown', missing.reason);
    assert.match(missing.reason, /\$\{allowed_destinations\}/);
  });

  const negated = (subnet: string) => `config firewall address
    edit "other-vpcs"
        set subnet ${subnet}
    next
end
config firewall policy
    edit 1
        set name "to-internet"
        set srcintf "gwlb"
        set dstintf "gwlb"
        set action accept
        set srcaddr "all"
        set dstaddr "other-vpcs"
        set dstaddr-negate enable
        set service "ALL"
        set logtraffic all
    next
end
`;

  it('an accept of everything but private ranges (dstaddr-negate) takes every internet destination: a logged permit-all', async () => {
    const w = workload(await rendered(negated('10.0.0.0 255.0.0.0'), '{}'));
    assert.equal(w.state, 'Monitored', w.reason);
    // Everything but a public range is not every internet destination, and not decided here.
    const pub = workload(await rendered(negated('203.0.113.0 255.255.255.0'), '{}'));
    assert.equal(pub.state, 'Unknown', pub.reason);
    assert.match(pub.reason, /dstaddr-negate is enabled/);
  });

  it('the reason says what such a policy accepts (every internet destination), never "all to all"', async () => {
    const w = workload(await rendered(negated('10.0.0.0 255.0.0.0'), '{}'));
    assert.match(
      w.reason,
      /policy 1 "to-internet" \(fgt\.conf:\d+\) accepts all to every internet destination \(dstaddr-negate of 10\.0\.0\.0\/8: every address but those private ranges\), service ALL, with no security profile and logs all traffic/,
    );
    assert.doesNotMatch(w.reason, /all to all/);
  });

  // East-west, south-north and inbound VIP policies on a two-port FortiGate; the default route names the port
  // internet-bound traffic leaves by.
  const pairs = (staticRoute: string) => `config firewall address
    edit "spokes"
        set subnet 10.0.0.0 255.0.0.0
    next
end
config firewall vip
    edit "ssh-to-app"
        set extintf "port1"
        set mappedip "10.1.0.10"
    next
end
${staticRoute}
config firewall policy
    edit 1
        set name "east-west"
        set srcintf "port2"
        set dstintf "port2"
        set srcaddr "all"
        set dstaddr "spokes"
        set action accept
        set service "ALL"
        set logtraffic all
    next
    edit 2
        set name "south-north"
        set srcintf "port2"
        set dstintf "port1"
        set srcaddr "all"
        set dstaddr "all"
        set action accept
        set service "ALL"
        set logtraffic all
    next
    edit 3
        set name "inbound-ssh"
        set srcintf "port1"
        set dstintf "port2"
        set srcaddr "all"
        set dstaddr "ssh-to-app"
        set action accept
        set service "SSH"
    next
end
`;

  it('the default static route names the egress interface: only the pairs into it decide (the inbound VIP pair does not)', async () => {
    const route = `config router static
    edit 1
        set device "port1"
        set gateway 10.0.0.1
    next
end`;
    const w = workload(await rendered(pairs(route), '{}'));
    assert.equal(w.state, 'Monitored', w.reason);
    assert.match(w.reason, /policy 2 "south-north"/);
    // Without it, which pair carries the egress is not read: the pairs disagree, and the VIP is no address object.
    const open = workload(await rendered(pairs(''), '{}'));
    assert.equal(open.state, 'Unknown', open.reason);
  });
});
