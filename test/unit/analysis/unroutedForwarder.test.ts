import { strict as assert } from 'node:assert';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze, createAnalyzer } from '../../../src/analysis/analyze';
import type { AnalysisResult } from '../../../src/analysis/types';
import { analyzeFiles, exampleTfFiles } from '../analyzeFiles';

// A bastion VPC whose host's interface has the source/destination check off (copied from a firewall's
// interfaces): only traffic sent to an instance makes it an appliance. A route naming it or its interface,
// an NLB's target group (when it has a second interface to forward out of) or a firewall bootstrap does; a check
// turned off alone leaves it a workload. An NLB's target with one interface may be either: its subnet is Unknown.
describe('a forwarding instance nothing sends traffic to', function () {
  this.timeout(60000);

  const vpc = (extra: { userData?: string; privateRoute?: string; officeRoute?: string; extraTf?: string } = {}) => `
resource "aws_vpc" "jump" {
  cidr_block = "10.60.0.0/16"
}
resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.jump.id
}
resource "aws_subnet" "jump" {
  vpc_id            = aws_vpc.jump.id
  cidr_block        = "10.60.1.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_route_table" "jump" {
  vpc_id = aws_vpc.jump.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
}
resource "aws_route_table_association" "jump" {
  subnet_id      = aws_subnet.jump.id
  route_table_id = aws_route_table.jump.id
}
resource "aws_network_interface" "bastion" {
  subnet_id         = aws_subnet.jump.id
  private_ips       = ["10.60.1.10"]
  source_dest_check = false
}
resource "aws_eip" "bastion" {
  domain            = "vpc"
  network_interface = aws_network_interface.bastion.id
}
resource "aws_instance" "bastion" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"${extra.userData ? `\n  user_data     = "${extra.userData}"` : ''}
  network_interface {
    network_interface_id = aws_network_interface.bastion.id
    device_index         = 0
  }
}
${
  extra.privateRoute
    ? `resource "aws_subnet" "private" {
  vpc_id            = aws_vpc.jump.id
  cidr_block        = "10.60.2.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_route_table" "private" {
  vpc_id = aws_vpc.jump.id
  route {
    cidr_block = "0.0.0.0/0"
    ${extra.privateRoute}
  }${extra.officeRoute ? `\n  route {\n    cidr_block = "192.168.0.0/16"\n    ${extra.officeRoute}\n  }` : ''}
}
resource "aws_route_table_association" "private" {
  subnet_id      = aws_subnet.private.id
  route_table_id = aws_route_table.private.id
}`
    : ''
}
${extra.extraTf ?? ''}
`;

  async function run(text: string): Promise<AnalysisResult> {
    const ws = await createWorkspace();
    ws.setFile('main.tf', text);
    const b = ws.build();
    return analyze(b.model, {}, b.diagnostics);
  }
  const state = (r: AnalysisResult) => r.states.find((s) => s.vpc === 'aws_vpc.jump')!;
  const traced = (r: AnalysisResult) => r.egress.some((e) => e.subnet === 'aws_subnet.jump');

  it('a bastion with its check off and no route to it is a workload: its subnet is traced, the VPC is no Inspection VPC', async () => {
    const r = await run(vpc());
    assert.ok(traced(r));
    assert.equal(state(r).state, 'Unprotected');
    assert.deepEqual(
      r.findings.filter((f) => f.code === 'uninspected-egress').flatMap((f) => f.traces),
      ['aws_subnet.jump'],
    );
  });

  for (const [how, target] of [
    ['its interface', 'network_interface_id = aws_network_interface.bastion.id'],
    ['the instance', 'instance_id = aws_instance.bastion.id'],
    ["the instance's primary interface", 'network_interface_id = aws_instance.bastion.primary_network_interface_id'],
  ] as const)
    it(`routed to by ${how} from another subnet: an appliance (a NAT instance), its subnet not a source`, async () => {
      const r = await run(vpc({ privateRoute: target }));
      assert.ok(!traced(r));
      assert.ok(r.egress.some((e) => e.subnet === 'aws_subnet.private'));
    });

  it('a route to an interface the inputs do not decide may name it: still an appliance', async () => {
    const r = await run(
      vpc({ privateRoute: 'network_interface_id = var.appliance_eni', extraTf: 'variable "appliance_eni" {\n  type = string\n}' }),
    );
    assert.ok(!traced(r));
  });

  it('a firewall VM by its bootstrap is an enforcement point before any route names it', async () => {
    const r = await run(vpc({ userData: 'panorama-server=10.9.0.4\\nplugin-op-commands=aws-gwlb-inspect:enable' }));
    assert.ok(!traced(r));
    assert.equal(state(r).state, 'Inspection');
  });

  it("an NLB's target with a second interface is an appliance it balances; with one, undecided; an ALB's target stays a workload", async () => {
    const tg = (protocol: string) => `
resource "aws_lb_target_group" "tg" {
  port        = 80
  protocol    = "${protocol}"
  target_type = "ip"
  vpc_id      = aws_vpc.jump.id
}
resource "aws_lb_target_group_attachment" "bastion" {
  target_group_arn = aws_lb_target_group.tg.arn
  target_id        = "10.60.1.10"
}`;
    // An appliance forwards what it is handed out of another interface; a server behind the NLB answers on its only one.
    const inside = `
resource "aws_network_interface" "inside" {
  subnet_id         = aws_subnet.jump.id
  private_ips       = ["10.60.1.11"]
  source_dest_check = false
  attachment {
    instance     = aws_instance.bastion.id
    device_index = 1
  }
}`;
    assert.ok(!traced(await run(vpc({ extraTf: tg('TCP') + inside }))));
    assert.ok(traced(await run(vpc({ extraTf: tg('HTTP') + inside }))));
    // One interface behind the NLB: a server, or a one-armed NAT instance or proxy (f3692e2 review #1). Its
    // subnet is traced, but the path is Unknown: no uninspected-egress, so no fix that would reroute it.
    const one = await run(vpc({ extraTf: tg('TCP') }));
    assert.ok(traced(one));
    const eg = one.egress.find((e) => e.subnet === 'aws_subnet.jump')!;
    assert.equal(eg.forward.outcome.kind, 'unknown');
    assert.match(
      eg.forward.outcome.kind === 'unknown' ? eg.forward.outcome.reason : '',
      /^whether jump is a workload subnet or a forwarder.s own subnet .* cannot be decided: bastion is a one-interface forwarder behind a load balancer \(a target of tg, source\/destination check off\): a server or a one-armed NAT\/proxy$/,
    );
    assert.deepEqual(
      one.findings.filter((f) => f.code === 'uninspected-egress'),
      [],
    );
    assert.equal(state(one).state, 'Unknown');
    // An ALB's target with one interface is a web server: a workload, the path decided.
    const alb = await run(vpc({ extraTf: tg('HTTP') }));
    assert.equal(alb.egress.find((e) => e.subnet === 'aws_subnet.jump')!.forward.outcome.kind, 'delivered');
  });

  it('a one-interface forwarder behind an NLB in a subnet whose path is inspected: judged as before, whichever it is', async () => {
    // Our distributed example: app-a's 0.0.0.0/0 goes to the NAT GW, whose table sends it to the GWLB endpoint.
    const files = exampleTfFiles('aws-distributed-egress-ok');
    const plain = await analyzeFiles(files);
    const r = await analyzeFiles({
      ...files,
      'web.tf': `
resource "aws_instance" "web" {
  ami               = "ami-0123456789abcdef0"
  instance_type     = "t3.micro"
  subnet_id         = aws_subnet.app_a.id
  source_dest_check = false
}
resource "aws_lb_target_group" "web" {
  port     = 443
  protocol = "TCP"
  vpc_id   = aws_vpc.workload.id
}
resource "aws_lb_target_group_attachment" "web" {
  target_group_arn = aws_lb_target_group.web.arn
  target_id        = aws_instance.web.id
}`,
    });
    const eg = r.egress.find((e) => e.subnet === 'aws_subnet.app_a')!;
    assert.equal(eg.forward.outcome.kind, 'delivered');
    assert.ok(eg.forward.inspectedBy.length > 0);
    assert.deepEqual(
      r.states.map((s) => [s.vpc, s.state]),
      plain.states.map((s) => [s.vpc, s.state]),
    );
    assert.ok(r.states.some((s) => s.vpc === 'aws_vpc.workload' && s.state === 'Protected'));
  });

  it('an edit that registers the one-interface forwarder with an NLB is seen by the incremental analysis as by a fresh one', async () => {
    const build = async (protocol: string) => {
      const ws = await createWorkspace();
      ws.setFile(
        'main.tf',
        vpc({
          extraTf: `
resource "aws_lb_target_group" "tg" {
  port     = 80
  protocol = "${protocol}"
  vpc_id   = aws_vpc.jump.id
}
resource "aws_lb_target_group_attachment" "bastion" {
  target_group_arn = aws_lb_target_group.tg.arn
  target_id        = aws_instance.bastion.id
}`,
        }),
      );
      return ws.build().model;
    };
    const before = await build('HTTP');
    const after = await build('TCP');
    const an = createAnalyzer();
    const outcome = (r: AnalysisResult) => r.egress.find((e) => e.subnet === 'aws_subnet.jump')!.forward.outcome.kind;
    assert.equal(outcome(an.analyze(before)), 'delivered');
    assert.equal(outcome(analyze(after)), 'unknown');
    const r = an.analyze(after);
    assert.equal(outcome(r), 'unknown');
    assert.deepEqual(r.states, analyze(after).states);
  });

  it('an edit that makes a route name it is seen by the incremental analysis as by a fresh one', async () => {
    const build = async (officeRoute: string) => {
      const ws = await createWorkspace();
      ws.setFile('main.tf', vpc({ privateRoute: 'gateway_id = aws_internet_gateway.igw.id', officeRoute }));
      return ws.build().model;
    };
    const before = await build('gateway_id = aws_internet_gateway.igw.id');
    const after = await build('network_interface_id = aws_network_interface.bastion.id');
    const an = createAnalyzer();
    assert.ok(traced(an.analyze(before)));
    const r = an.analyze(after);
    assert.ok(!traced(r));
    assert.deepEqual(r.states, analyze(after).states);
  });

  it('an edit that gives it a firewall bootstrap is seen by the incremental analysis as by a fresh one', async () => {
    const build = async (userData?: string) => {
      const ws = await createWorkspace();
      ws.setFile('main.tf', vpc(userData ? { userData } : {}));
      return ws.build().model;
    };
    const before = await build();
    const after = await build('type=dhcp-client\\nvm-auth-key=123\\npanorama-server=10.0.0.5');
    const an = createAnalyzer();
    assert.ok(traced(an.analyze(before)));
    const r = an.analyze(after);
    assert.equal(traced(r), traced(analyze(after)));
    assert.ok(!traced(r));
    assert.deepEqual(r.states, analyze(after).states);
  });
});
