// A forwarding instance that a route targets (F122): what the inputs say it runs decides whether it is an
// enforcement point. A firewall's image, bootstrap or packet filter (or a GWLB's target group): it inspects,
// as before. The NAT AMI, a user data that only masquerades, a name saying NAT: it translates and does not
// inspect (Unprotected, uninspected-egress at the route to it). Nothing: Unknown, naming the instance.
// Fixtures modelled on the common single-VPC NAT instance design (a public subnet with the instance, private
// subnets whose default route names it), in Terraform, CloudFormation and an Azure hub with a Linux NVA.
import { strict as assert } from 'node:assert';
import { analyzeFiles, exampleTfFiles } from '../analyzeFiles';
import { applianceEvidence } from '../../../src/parse/vocabulary/appliance';
import type { AnalysisResult } from '../../../src/analysis/types';
import { createWorkspace } from '../../../src/parse/workspace';
import { analyze } from '../../../src/analysis/analyze';
import { createAnalyzer } from '../../../src/analysis/incremental';
import { azureHub, azureNvaPublicIp, azureSpoke, azureSpokeDefaultTo, forwardingInstanceVpc } from './applianceFixtures';

const amiLookup = (name: string) => `
data "aws_ami" "image" {
  most_recent = true
  owners      = ["amazon", "aws-marketplace"]
  filter {
    name   = "name"
    values = ["${name}"]
  }
}`;

const state = (r: AnalysisResult) => r.states.find((s) => s.vpc !== undefined && s.state !== 'Inspection')!;
const uninspected = (r: AnalysisResult) => r.findings.filter((f) => f.code === 'uninspected-egress');

describe('forwarding instances: firewall, NAT or not known (F122)', function () {
  this.timeout(60000);

  it('the Amazon NAT AMI: no enforcement point; Unprotected, uninspected-egress at the route to it', async () => {
    const r = await analyzeFiles({
      'main.tf': forwardingInstanceVpc('  ami = data.aws_ami.image.id', amiLookup('amzn-ami-vpc-nat-hvm-*')),
    });
    const eg = r.egress.find((e) => e.subnet === 'aws_subnet.private')!;
    assert.deepEqual(eg.forward.outcome, { kind: 'delivered' });
    assert.deepEqual(eg.forward.inspectedBy, []);
    assert.deepEqual(eg.return!.inspectedBy, []);
    assert.match(eg.forward.hops.find((h) => h.kind === 'instance')!.note, /NAT instance .*it does not inspect/);
    assert.equal(state(r).state, 'Unprotected');
    const [f] = uninspected(r);
    assert.ok(f, 'one uninspected-egress finding');
    assert.equal(f.elementId, 'aws_route_table.private#0');
    assert.match(
      f.message,
      /after NAT instance edge, which does not inspect\) without any enforcement point \(route 0\.0\.0\.0\/0 -> edge in private\)/,
    );
    assert.match(f.fix!.title, /^edge is a NAT instance \(its image amzn-ami-vpc-nat-hvm-\* is a NAT AMI\)/);
    assert.match(f.fix!.title, /Route 0\.0\.0\.0\/0 in private through a NAT GW and a GWLB endpoint in eu-west-1a .* instead of edge/);
    // Its public IP is what it translates to: never a host to take off it.
    assert.doesNotMatch(f.fix!.title, /public IP/);
  });

  it('a user data that only masquerades is NAT; one that also drops is a firewall', async () => {
    const nat = await analyzeFiles({
      'main.tf': forwardingInstanceVpc(
        '  ami       = "ami-0123456789abcdef0"\n  user_data = "#!/bin/sh\\nsysctl -w net.ipv4.ip_forward=1\\niptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\\n"',
      ),
    });
    assert.equal(state(nat).state, 'Unprotected');
    assert.match(uninspected(nat)[0].fix!.title, /its user data only translates/);
    const fw = await analyzeFiles({
      'main.tf': forwardingInstanceVpc(
        '  ami       = "ami-0123456789abcdef0"\n  user_data = "#!/bin/sh\\nsysctl -w net.ipv4.ip_forward=1\\niptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\\niptables -A FORWARD -i eth0 -j DROP\\n"',
      ),
    });
    assert.equal(state(fw).state, 'Protected');
    // One leg (eth0 in and out): its drop of what comes in on eth0 takes everything it forwards; the reason says where.
    assert.match(
      state(fw).reason,
      /a firewall: its user data filters what it forwards: its iptables forwarding rules accept nothing bound for the internet and drop the rest \(`iptables -A FORWARD -i eth0 -j DROP`\) \(main\.tf:\d+\); its rules let nothing out to the internet/,
    );
    assert.deepEqual(uninspected(fw), []);
  });

  it("a firewall vendor's image: an enforcement point, Protected, the reason naming the image", async () => {
    const r = await analyzeFiles({
      'main.tf': forwardingInstanceVpc('  ami = data.aws_ami.image.id', amiLookup('FortiGate-VM64-AWSONDEMAND*')),
    });
    assert.equal(state(r).state, 'Protected');
    assert.match(state(r).reason, /a firewall: its image FortiGate-VM64-AWSONDEMAND\* is FortiGate's/);
    assert.deepEqual(r.findings, []);
  });

  it('nothing said of its software: Unknown naming the instance and where it is written, no finding', async () => {
    const r = await analyzeFiles({
      'main.tf': forwardingInstanceVpc('  ami = "ami-0123456789abcdef0"\n  tags = { Name = "edge-router" }'),
    });
    assert.equal(state(r).state, 'Unknown');
    assert.match(
      state(r).reason,
      /forwarding instance aws_instance\.edge \(main\.tf:\d+\): its software is not in the inputs \(a NAT instance or a firewall\)/,
    );
    assert.deepEqual(r.findings, []);
    const [ep] = r.egress.find((e) => e.subnet === 'aws_subnet.private')!.forward.inspectedBy;
    assert.equal(ep.element, 'aws_instance.edge');
    assert.ok(ep.unproven);
  });

  it('names: "nat" is NAT; "fw" is only a hint (Unknown, the name in the reason)', async () => {
    const nat = await analyzeFiles({
      'main.tf': forwardingInstanceVpc('  ami = "ami-0123456789abcdef0"\n  tags = { Name = "nat-instance-a" }'),
    });
    assert.equal(state(nat).state, 'Unprotected');
    assert.match(uninspected(nat)[0].fix!.title, /its name nat-instance-a says NAT/);
    // A name saying firewall is a hint, never proof that it inspects (review s16 R11): Unknown, the hint in the reason.
    const fw = await analyzeFiles({
      'main.tf': forwardingInstanceVpc('  ami = "ami-0123456789abcdef0"\n  tags = { Name = "egress-fw-a" }'),
    });
    assert.equal(state(fw).state, 'Unknown');
    assert.match(
      state(fw).reason,
      /forwarding instance aws_instance\.edge \(main\.tf:\d+\): its software is not in the inputs \(a NAT instance or a firewall\); its name egress-fw-a says firewall, a hint only/,
    );
    assert.deepEqual(fw.findings, []);
    // "nat" beside "proxy": a transparent proxy may filter; Unknown naming the instance, no finding (F290).
    const proxy = await analyzeFiles({
      'main.tf': forwardingInstanceVpc('  ami = "ami-0123456789abcdef0"\n  tags = { Name = "nat_transp_proxy_1" }'),
    });
    assert.equal(state(proxy).state, 'Unknown');
    assert.match(state(proxy).reason, /its software is not in the inputs/);
    assert.deepEqual(proxy.findings, []);
  });

  it("a GWLB's target is an enforcement point whatever its image (aws-distributed-egress-ok)", async () => {
    const r = await analyzeFiles(exampleTfFiles('aws-distributed-egress-ok'));
    assert.ok(r.states.some((s) => s.state === 'Protected'));
    assert.ok(r.states.every((s) => s.state !== 'Unknown' && s.state !== 'Unprotected'));
  });

  it("a GWLB's targets that only pass packets back (gwlbtun's pass-through script): Unprotected, the finding on the appliance (F136, F201)", async () => {
    const files = exampleTfFiles('aws-distributed-egress-ok');
    const tagged = '  tags = {\n    Name   = "fortigate-${count.index}"\n    Vendor = "fortinet"\n  }\n';
    assert.ok(files['inspection.tf'].includes(tagged));
    const withUserData = (ud: string) => ({
      ...files,
      'inspection.tf': files['inspection.tf'].replace(tagged, `  user_data = "${ud}"\n`),
    });
    const passthrough = '#!/bin/bash\\ncd /opt/gwlbtun && ./gwlbtun -c example-scripts/create-passthrough.sh -p 80\\n';
    const r = await analyzeFiles(withUserData(passthrough));
    const scored = r.states.filter((s) => s.state !== 'Inspection' && s.state !== 'No Egress');
    assert.ok(scored.length > 0);
    assert.ok(
      scored.every((s) => s.state === 'Unprotected'),
      scored.map((s) => `${s.name}: ${s.state}`).join(', '),
    );
    assert.match(
      scored[0].reason,
      /reaches the internet uninspected: its GWLB's target aws_instance\.firewall\[\d\] \(inspection\.tf:\d+\): its user data runs gwlbtun with its pass-through script/,
    );
    // The path passes the GWLB (the design is in place), whose hop is no enforcement point.
    const eg = r.egress.find((e) => e.forward.inspectedBy.length > 0)!;
    assert.ok(eg.forward.inspectedBy.every((ep) => ep.kind === 'gwlb-firewall' && ep.passes !== undefined && ep.unproven === undefined));
    assert.match(eg.forward.hops.find((h) => h.kind === 'gwlbFirewall')!.note, /passes every packet back uninspected/);
    // One warning per appliance, on its declaration: run a firewall there; no route change, no edit, nothing at error.
    const fs = uninspected(r);
    assert.ok(fs.length > 0);
    for (const f of fs) {
      assert.equal(f.severity, 'warning');
      assert.match(f.elementId, /^aws_instance\.firewall\[\d\]$/);
      assert.match(f.message, /reach(es)? the internet through \S+ without any enforcement point: its target aws_instance\.firewall/);
      assert.match(
        f.fix!.title,
        /^Run a firewall as egress-gwlb's target instead of the pass-through firewall\[\d\](, firewall\[\d\])?, which inspects nothing: register a firewall appliance in egress-fw/,
      );
      assert.match(f.fix!.title, /the routes through the GWLB endpoint stay as they are$/);
      assert.deepEqual(f.fix!.edits, []);
    }
    assert.deepEqual(
      r.findings.filter((f) => f.severity === 'error'),
      [],
    );
    assert.equal(applianceEvidence({ bootstraps: ['gwlbtun -c example-scripts/create-passthrough.sh -p 80'] })?.role, 'passthrough');
    // A filter beside it decides: a firewall, Protected as the example is, no finding.
    const filtered = await analyzeFiles(withUserData(`${passthrough}iptables -A FORWARD -p tcp --dport 23 -j DROP\\n`));
    assert.ok(filtered.states.some((s) => s.state === 'Protected'));
    assert.ok(filtered.states.every((s) => s.state !== 'Unknown' && s.state !== 'Unprotected'));
    assert.deepEqual(uninspected(filtered), []);
    assert.equal(
      applianceEvidence({ bootstraps: ['gwlbtun -c create-passthrough.sh\niptables -A FORWARD -p tcp --dport 23 -j DROP'] })?.role,
      'firewall',
    );
  });

  it('drops on INPUT/OUTPUT guard the machine, not what it forwards; firewalld masquerade is NAT; FORWARD drops and firewalld DROP targets filter (review s15 R3)', () => {
    const role = (t: string) => applianceEvidence({ bootstraps: [t] })?.role;
    const nat = 'sysctl -w net.ipv4.ip_forward=1\niptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE';
    assert.equal(role(`${nat}\niptables -A INPUT -p tcp --dport 23 -j DROP`), 'nat');
    assert.equal(role(`${nat}\niptables -P INPUT DROP\niptables -A OUTPUT -d 169.254.169.254 -j REJECT`), 'nat');
    assert.equal(role(`${nat}\niptables -A FORWARD -p tcp --dport 23 -j DROP`), 'firewall');
    assert.equal(role(`${nat}\niptables -P FORWARD DROP`), 'firewall');
    assert.equal(role('sysctl -w net.ipv4.ip_forward=1\nfirewall-cmd --permanent --zone=public --add-masquerade'), 'nat');
    assert.equal(role('firewall-cmd --permanent --zone=internal --set-target=DROP'), 'firewall');
    assert.equal(role(`firewall-cmd --permanent --add-rich-rule='rule family="ipv4" destination address="1.2.3.4" drop'`), 'firewall');
    // The GENEVE hairpin with host hardening beside it stays a pass-through (F180 not undone by an INPUT drop).
    assert.equal(
      role(
        'iptables -t nat -A PREROUTING -p udp -i eth0 -j DNAT --to-destination 10.0.0.5:6081\niptables -A INPUT -p tcp --dport 22 ! -s 10.0.0.0/8 -j DROP',
      ),
      'passthrough',
    );
  });

  it('filters, nft chains and the GENEVE hairpin are read line by line: the same answers on long hostile lines (review R9, R17)', () => {
    const role = (t: string) => applianceEvidence({ bootstraps: [t] })?.role;
    // Lines that made the former patterns backtrack: no drop anywhere, so nothing is a filter.
    assert.equal(role(`${'iptables -A FORWARD -j ACCEPT '.repeat(4000)}`), undefined);
    assert.equal(role(`${'type filter hook forward; '.repeat(2000)}`), undefined);
    assert.equal(role(`iptables -t nat -A PREROUTING -j DNAT --to-destination ${'x'.repeat(50000)}:608`), undefined);
    // The same shapes with the deciding word at the end.
    assert.equal(role(`${'iptables -A FORWARD -j ACCEPT '.repeat(4000)} -j DROP`), 'firewall');
    assert.equal(role(`nft add table inet f\n${'type filter hook forward; '.repeat(2000)}\nnft add rule inet f fwd drop`), 'firewall');
    assert.equal(role('table inet f {\n chain fwd {\n  type filter hook forward priority 0;\n  ip daddr 1.2.3.4 drop\n }\n}'), 'firewall');
    // A nat-table command on the line is not a filter; a filter command on another line is.
    assert.equal(role('iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\necho 1 > /proc/sys/net/ipv4/ip_forward'), 'nat');
    assert.equal(
      role('iptables -t nat -A PREROUTING -p udp -i eth0 -j DNAT --to-destination 10.0.0.5:6081\niptables -A FORWARD -j ACCEPT'),
      'passthrough',
    );
  });

  it("a GWLB's targets that DNAT GENEVE straight back to the GWLB with iptables and filter nothing: Unprotected (F180, F201)", async () => {
    // The shape of AWS's appliance example for a GWLB target, written for this test: accept everything, flush,
    // hairpin UDP 6081 back to the GWLB's address; the MASQUERADE only rewrites the hairpinned GENEVE.
    const hairpin = [
      '#!/bin/bash',
      'sysctl -w net.ipv4.ip_forward=1',
      'iptables -P FORWARD ACCEPT',
      'iptables -t nat -F',
      'iptables -t nat -A PREROUTING -p udp -s $gwlb_ip -d $instance_ip -i eth0 -j DNAT --to-destination $gwlb_ip:6081',
      'iptables -t nat -A POSTROUTING -p udp --dport 6081 -s $gwlb_ip -d $gwlb_ip -o eth0 -j MASQUERADE',
    ].join('\\n');
    const files = exampleTfFiles('aws-distributed-egress-ok');
    const tagged = '  tags = {\n    Name   = "fortigate-${count.index}"\n    Vendor = "fortinet"\n  }\n';
    files['inspection.tf'] = files['inspection.tf'].replace(tagged, `  user_data = "${hairpin.replace(/\$/g, '$$$$')}"\n`);
    const r = await analyzeFiles(files);
    const scored = r.states.filter((s) => s.state !== 'Inspection' && s.state !== 'No Egress');
    assert.ok(scored.length > 0);
    assert.ok(
      scored.every((s) => s.state === 'Unprotected'),
      JSON.stringify(r.states.map((s) => s.state)),
    );
    assert.match(
      scored[0].reason,
      /uninspected: its GWLB's target .*its user data sends GENEVE back to the GWLB with `iptables -t nat -A PREROUTING .*:6081`/,
    );
    const [f] = uninspected(r);
    assert.match(f.fix!.title, /^Run a firewall as egress-gwlb's target instead of the pass-through firewall\[\d\]/);
    assert.deepEqual(
      r.findings.filter((x) => x.severity === 'error'),
      [],
    );
    // The endpoints given their service by a variable (the spoke stack of AWS's samples, given the appliance stack's
    // output): not assumed to inspect while every GWLB of the inputs only passes packets back (review s15 R2).
    const byVariable = { ...files };
    byVariable['workload.tf'] = byVariable['workload.tf']
      .split('service_name      = aws_vpc_endpoint_service.firewall.service_name')
      .join('service_name      = var.firewall_service');
    byVariable['svc.tf'] = 'variable "firewall_service" {\n  type = string\n}\n';
    const v = await analyzeFiles(byVariable);
    const vScored = v.states.filter((s) => s.state !== 'Inspection' && s.state !== 'No Egress');
    assert.ok(vScored.length > 0);
    assert.ok(
      vScored.every((s) => s.state === 'Unknown'),
      JSON.stringify(v.states.map((s) => [s.state, s.reason])),
    );
    assert.match(
      vScored[0].reason,
      /var\.firewall_service, an endpoint service not known offline, while every GWLB of the inputs passes packets back uninspected \(egress-gwlb: /,
    );
    // The same with a filtering target: the service named by a variable is assumed to inspect, as before.
    const filtering = { ...byVariable };
    filtering['inspection.tf'] = filtering['inspection.tf'].replace('iptables -P FORWARD ACCEPT', 'iptables -P FORWARD DROP');
    assert.notEqual(filtering['inspection.tf'], byVariable['inspection.tf']);
    const fv = await analyzeFiles(filtering);
    assert.ok(fv.states.every((s) => s.state !== 'Unknown' || !/endpoint service not known offline/.test(s.reason)));
    // In the editor the index is carried from edit to edit: an edit of the user data alone changes the answer there
    // too (review s16 R18: a cached answer outlived the edit).
    const ws = await createWorkspace();
    for (const [name, text] of Object.entries(byVariable)) ws.setFile(name, text);
    const analyzer = createAnalyzer();
    const both = (): [string[], string[]] => {
      const b = ws.build();
      const states = (r: AnalysisResult) => r.states.map((s) => `${s.name} ${s.state}`);
      return [states(analyzer.analyze(b.model, {}, b.diagnostics)), states(analyze(b.model, {}, b.diagnostics))];
    };
    const [passIncremental, passFresh] = both();
    assert.deepEqual(passIncremental, passFresh);
    ws.setFile('inspection.tf', filtering['inspection.tf']);
    const [filterIncremental, filterFresh] = both();
    assert.deepEqual(filterIncremental, filterFresh);
    assert.notDeepEqual(filterFresh, passFresh);
    ws.setFile('inspection.tf', byVariable['inspection.tf']);
    assert.deepEqual(both()[0], passFresh);

    // The same hairpin with a drop rule beside it filters: a firewall; without the hairpin, masquerading is NAT.
    const lines = hairpin.split('\\n');
    assert.equal(applianceEvidence({ bootstraps: [lines.join('\n')] })?.role, 'passthrough');
    assert.equal(
      applianceEvidence({ bootstraps: [[...lines, 'iptables -A FORWARD -p tcp --dport 23 -j DROP'].join('\n')] })?.role,
      'firewall',
    );
    assert.equal(applianceEvidence({ bootstraps: [lines.filter((l) => !l.includes('DNAT')).join('\n')] })?.role, 'nat');
  });
});

const cfn = (image: string, name: string) => `AWSTemplateFormatVersion: '2010-09-09'
Mappings:
  AmazonNATAMI:
    eu-west-1:
      AMI: ami-0a1b2c3d4e5f60718
  FortiGateAMI:
    eu-west-1:
      AMI: ami-0f1e2d3c4b5a69788
  LinuxAMI:
    eu-west-1:
      AMI: ami-0abcdef0123456789
Resources:
  VPC:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.30.0.0/16
  IGW:
    Type: AWS::EC2::InternetGateway
  Attach:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties:
      VpcId: !Ref VPC
      InternetGatewayId: !Ref IGW
  PublicSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref VPC
      CidrBlock: 10.30.0.0/24
      AvailabilityZone: eu-west-1a
  PrivateSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref VPC
      CidrBlock: 10.30.10.0/24
      AvailabilityZone: eu-west-1a
  PublicRT:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref VPC
  PublicDefault:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref PublicRT
      DestinationCidrBlock: 0.0.0.0/0
      GatewayId: !Ref IGW
  PublicAssoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref PublicSubnet
      RouteTableId: !Ref PublicRT
  PrivateRT:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref VPC
  PrivateDefault:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref PrivateRT
      DestinationCidrBlock: 0.0.0.0/0
      InstanceId: !Ref Edge
  PrivateAssoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref PrivateSubnet
      RouteTableId: !Ref PrivateRT
  Edge:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: !FindInMap [${image}, !Ref 'AWS::Region', AMI]
      InstanceType: t3.micro
      SourceDestCheck: false
      NetworkInterfaces:
        - DeviceIndex: '0'
          SubnetId: !Ref PublicSubnet
          AssociatePublicIpAddress: true
      Tags:
        - Key: Name
          Value: ${name}
`;

describe('forwarding instances in CloudFormation (F122)', function () {
  this.timeout(60000);
  const vpcState = (r: AnalysisResult) => r.states.find((s) => s.vpc.endsWith('#VPC'))!;

  it('an image from a mapping named for the NAT AMI: Unprotected, uninspected-egress on the private route', async () => {
    const r = await analyzeFiles({ 'vpc.yaml': cfn('AmazonNATAMI', 'edge-1') });
    assert.equal(vpcState(r).state, 'Unprotected');
    const [f] = uninspected(r);
    assert.equal(f.elementId, 'cfn:vpc.yaml#PrivateDefault');
    assert.match(f.fix!.title, /is a NAT instance \(its image AmazonNATAMI is a NAT AMI\)/);
  });

  it('an image from a mapping named for a firewall vendor: Protected; a plain image: Unknown', async () => {
    const fw = await analyzeFiles({ 'vpc.yaml': cfn('FortiGateAMI', 'edge-1') });
    assert.equal(vpcState(fw).state, 'Protected');
    assert.match(vpcState(fw).reason, /its image FortiGateAMI is FortiGate's/);
    const bare = await analyzeFiles({ 'vpc.yaml': cfn('LinuxAMI', 'edge-1') });
    assert.equal(vpcState(bare).state, 'Unknown');
    assert.match(
      vpcState(bare).reason,
      /PrivateSubnet passes forwarding instance edge-1 \(vpc\.yaml:\d+\): its software is not in the inputs/,
    );
    assert.deepEqual(uninspected(bare), []);
  });
});

// An Azure hub whose NVA is a Linux VM (IP forwarding on its NIC) and a spoke whose UDR sends 0/0 to it.
const azure = (vm: string) => `${azureHub('rg-hub')}
resource "azurerm_subnet" "nva" {
  name                 = "snet-nva"
  resource_group_name  = azurerm_resource_group.rg.name
  virtual_network_name = azurerm_virtual_network.hub.name
  address_prefixes     = ["10.0.1.0/24"]
}
${azureSpoke}${azureNvaPublicIp}
resource "azurerm_network_interface" "nva" {
  name                  = "nic-nva"
  resource_group_name   = azurerm_resource_group.rg.name
  location              = "westeurope"
  ip_forwarding_enabled = true
  ip_configuration {
    name                          = "ipconfig"
    subnet_id                     = azurerm_subnet.nva.id
    private_ip_address_allocation = "Static"
    private_ip_address            = "10.0.1.4"
    public_ip_address_id          = azurerm_public_ip.nva.id
  }
}
resource "azurerm_linux_virtual_machine" "nva" {
  name                  = "vm-hub-router"
  resource_group_name   = azurerm_resource_group.rg.name
  location              = "westeurope"
  size                  = "Standard_B2s"
  admin_username        = "azureuser"
  network_interface_ids = [azurerm_network_interface.nva.id]
${vm}
  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Standard_LRS"
  }
}
${azureSpokeDefaultTo('default', '"10.0.1.4"')}`;

const image = (publisher: string, offer: string, sku: string) => `
  source_image_reference {
    publisher = "${publisher}"
    offer     = "${offer}"
    sku       = "${sku}"
    version   = "latest"
  }`;

describe('Azure NVAs: firewall, NAT or not known (F122)', function () {
  this.timeout(60000);
  const spoke = (r: AnalysisResult) => r.states.find((s) => s.vpc === 'azurerm_virtual_network.spoke')!;

  it('an Ubuntu VM whose custom data only masquerades: Unprotected, and the fix puts a firewall in the path', async () => {
    const script =
      'IyEvYmluL3NoCnN5c2N0bCAtdyBuZXQuaXB2NC5pcF9mb3J3YXJkPTEKaXB0YWJsZXMgLXQgbmF0IC1BIFBPU1RST1VUSU5HIC1vIGV0aDAgLWogTUFTUVVFUkFERQo=';
    const r = await analyzeFiles({ 'main.tf': azure(`${image('canonical', 'ubuntu-24_04-lts', 'server')}\n  custom_data = "${script}"`) });
    assert.equal(spoke(r).state, 'Unprotected');
    const f = uninspected(r).find((x) => x.traces?.includes('azurerm_subnet.app'))!;
    assert.ok(f);
    assert.match(f.fix!.title, /^Put a firewall in the path: .* only translates \(its user data only translates/);
  });

  it('an Ubuntu VM with nothing said of its software: Unknown naming it; a Palo Alto image: Protected', async () => {
    const bare = await analyzeFiles({ 'main.tf': azure(image('canonical', 'ubuntu-24_04-lts', 'server')) });
    assert.equal(spoke(bare).state, 'Unknown');
    assert.match(spoke(bare).reason, /network virtual appliance .*its software is not in the inputs/);
    assert.deepEqual(
      uninspected(bare).filter((x) => x.traces?.includes('azurerm_subnet.app')),
      [],
    );
    const pan = await analyzeFiles({
      'main.tf': azure(
        `${image('paloaltonetworks', 'vmseries-flex', 'byol')}\n  plan {\n    name      = "byol"\n    product   = "vmseries-flex"\n    publisher = "paloaltonetworks"\n  }`,
      ),
    });
    assert.equal(spoke(pan).state, 'Protected');
    assert.match(spoke(pan).reason, /Palo Alto/);
  });

  // Modelled on a hub-and-spoke lab whose Ubuntu NVA is set up by a CustomScript extension: its settings are
  // jsonencode({commandToExecute = "echo '<base64encode(file(script))>' | base64 -d > ... && bash ... <unknown args>"}).
  const extension = `
resource "random_string" "sfx" {
  length = 4
}
resource "azurerm_subnet" "pe" {
  name                 = "snet-pe"
  resource_group_name  = azurerm_resource_group.rg.name
  virtual_network_name = azurerm_virtual_network.spoke.name
  address_prefixes     = ["10.1.2.0/24"]
}
resource "azurerm_virtual_machine_extension" "nva" {
  name                 = "nva-setup"
  virtual_machine_id   = azurerm_linux_virtual_machine.nva.id
  publisher            = "Microsoft.Azure.Extensions"
  type                 = "CustomScript"
  type_handler_version = "2.1"
  settings = jsonencode({
    commandToExecute = <<-EOT
      /bin/bash -c "echo '\${replace(base64encode(file("\${path.module}/scripts/nva.sh")), "'", "'\\\\''")}' | base64 -d > /tmp/nva.sh && \\
      /bin/bash /tmp/nva.sh --hostname 'nva-\${random_string.sfx.result}'"
    EOT
  })
}
`;
  const natScript = [
    '#!/bin/bash',
    "sed -r -i 's/#net.ipv4.ip_forward=1/net.ipv4.ip_forward=1/' /etc/sysctl.conf",
    'iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE',
    'iptables -A FORWARD -i eth0 -o eth1 -m state --state RELATED,ESTABLISHED -j ACCEPT',
    'iptables -A FORWARD -i eth1 -o eth0 -j ACCEPT',
    'iptables -A FORWARD -i eth0 -j LOG --log-prefix "refused: "',
    'iptables -A FORWARD -i eth0 -j DROP',
    'iptables -A INPUT -p tcp --dport 22 -j ACCEPT',
    'iptables -A INPUT -i eth0 -j DROP',
    'sudo iptables-save > /etc/iptables/rules.v4',
    '',
  ].join('\n');

  /** As the front ends do: build, give the script the configuration asks for, build again. */
  async function withScript(tf: string, script: string | undefined): Promise<AnalysisResult> {
    const ws = await createWorkspace();
    ws.setFile('main.tf', tf);
    let b = ws.build();
    assert.ok(ws.terraformWants().files.includes('scripts/nva.sh'), ws.terraformWants().files.join(', '));
    if (script !== undefined) {
      ws.setFile('scripts/nva.sh', script);
      b = ws.build();
    }
    return analyze(b.model, {}, b.diagnostics);
  }

  it('a VM extension that writes its script with base64encode(file()) in jsonencode: the script decides (F200)', async () => {
    const vm = `${image('canonical', 'ubuntu-24_04-lts', 'server')}`;
    // The script forwards what eth1 sends out eth0 unfiltered; its drops take only what comes in on eth0: NAT.
    const nat = await withScript(azure(vm) + extension, natScript);
    assert.equal(spoke(nat).state, 'Unprotected');
    const f = uninspected(nat).find((x) => x.traces?.includes('azurerm_subnet.app'))!;
    assert.ok(f);
    assert.match(f.message, /after network virtual appliance nic-nva, which only translates/);
    assert.match(
      f.fix!.title,
      /^Put a firewall in the path: nic-nva only translates \(its VM extension nva-setup translates \(`iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE`\) and its iptables forwarding rules accept every destination \(`iptables -A FORWARD -i eth1 -o eth0 -j ACCEPT`\)/,
    );
    assert.match(f.fix!.title, /or make nic-nva filter what it forwards/);
    // A subnet without a route table is not told to use rt-spoke, whose appliance only translates.
    const pe = (r: AnalysisResult) => uninspected(r).find((x) => x.traces?.includes('azurerm_subnet.pe'))!.fix!.title;
    assert.equal(
      pe(nat),
      'Associate snet-pe with a route table that sends 0.0.0.0/0 to the hub firewall or NVA (next hop VirtualAppliance)',
    );
    // A FORWARD policy that drops, with accepts of some traffic: a firewall, the reason naming the extension's rule.
    const filtering = natScript.replace(
      'iptables -A FORWARD -i eth1 -o eth0 -j ACCEPT',
      'iptables -P FORWARD DROP\niptables -A FORWARD -i eth1 -o eth0 -p tcp --dport 443 -j ACCEPT',
    );
    const fw = await withScript(azure(vm) + extension, filtering);
    // (snet-app inspected, snet-pe straight out.)
    assert.equal(spoke(fw).state, 'Partially Protected');
    const app = fw.egress.find((e) => e.subnet === 'azurerm_subnet.app')!;
    assert.match(
      app.forward.inspectedBy[0].evidence!,
      /its VM extension nva-setup filters what it forwards: its iptables forwarding rules accept tcp 443 to any destination \(`iptables -A FORWARD -i eth1 -o eth0 -p tcp --dport 443 -j ACCEPT`\) and drop the rest/,
    );
    assert.deepEqual(
      uninspected(fw).filter((x) => x.traces?.includes('azurerm_subnet.app')),
      [],
    );
    assert.match(pe(fw), /^Associate snet-pe with rt-spoke, which sends 0\.0\.0\.0\/0 to the hub firewall/);
    // The script not in the inputs: nothing said of the software, Unknown as before.
    const none = await withScript(azure(vm) + extension, undefined);
    assert.equal(spoke(none).state, 'Unknown');
  });
});

describe('applianceEvidence (vocabulary/appliance.ts)', () => {
  it('reads images, bootstraps and names, strongest first', () => {
    assert.equal(applianceEvidence({ images: ['amzn-ami-vpc-nat-2018.03.0.20230607.0-x86_64-ebs'] })?.role, 'nat');
    assert.equal(applianceEvidence({ images: ['fck-nat-al2023-*-arm64-ebs'] })?.role, 'nat');
    assert.equal(applianceEvidence({ images: ['PA-VM-AWS-10.2*'] })?.role, 'firewall');
    assert.equal(applianceEvidence({ images: ['ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*'] }), undefined);
    // A packet filter beyond NAT wins over the NAT AMI and any name.
    assert.equal(
      applianceEvidence({ images: ['amzn-ami-vpc-nat-hvm-*'], bootstraps: ['iptables -P FORWARD DROP\n'], names: ['nat-a'] })?.role,
      'firewall',
    );
    assert.equal(applianceEvidence({ bootstraps: ['nat on ena0 from 10.0.0.0/8 to any -> (ena0)\nblock in all\n'] })?.role, 'firewall');
    // NAT rules alone, with forwarding on.
    assert.equal(
      applianceEvidence({ bootstraps: ['echo 1 > /proc/sys/net/ipv4/ip_forward\niptables -t nat -A POSTROUTING -j MASQUERADE'] })?.role,
      'nat',
    );
    // A bootstrap sets a vendor up only on a line that fetches, installs or runs it; a demo web server's page or log
    // line that mentions a vendor ("inspected by VM-Series") says nothing of what the machine runs.
    const webServer =
      '#cloud-config\npackages:\n  - apache2\nwrite_files:\n  - content: |\n      echo "<p>Traffic inspected by Palo Alto Networks VM-Series Firewall!</p>";\nruncmd:\n  - echo "Starting VM-Series GWLB Demo web server setup..."\n';
    assert.equal(applianceEvidence({ bootstraps: [webServer] }), undefined);
    assert.deepEqual(applianceEvidence({ bootstraps: ["sh configureopnsense.sh 'https://example.com/scripts/' '25.7'"] }), {
      role: 'firewall',
      why: 'its user data sets up OPNsense',
    });
    // A nat-table rule that drops is not filtering.
    assert.equal(applianceEvidence({ bootstraps: ['ip_forward=1\niptables -t nat -A PREROUTING -j DROP'] })?.role, undefined);
    // Names: weak, both or neither say nothing.
    assert.deepEqual(applianceEvidence({ names: ['NATInstance1'] }), { role: 'nat', why: 'its name NATInstance1 says NAT', weak: true });
    assert.equal(applianceEvidence({ names: ['FW1 Outside'] })?.role, 'firewall');
    assert.equal(applianceEvidence({ names: ['vm-nva-opnsense'] })?.role, 'firewall');
    assert.equal(applianceEvidence({ names: ['vm-hub-nva'] }), undefined);
    assert.equal(applianceEvidence({ names: ['nat-fw'] }), undefined);
    // A NAT that the name also calls a proxy (a transparent squid behind iptables REDIRECT) may filter: nothing said (F290).
    assert.equal(applianceEvidence({ names: ['nat_transp_proxy_1'] }), undefined);
    assert.equal(applianceEvidence({ names: ['nat-squid-a'] }), undefined);
    assert.equal(applianceEvidence({ names: ['international-gateway', 'alternate'] }), undefined);
    // The image beats a name.
    assert.equal(applianceEvidence({ images: ['AmazonNATAMI'], names: ['edge-fw'] })?.role, 'nat');
  });

  it('iptables: a NAT router whose drops take only what comes in on its outside interface filters no egress (F200)', () => {
    const router = [
      'iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE',
      'iptables -A FORWARD -i eth0 -o vrflan -m state --state RELATED,ESTABLISHED -j ACCEPT',
      'sudo iptables -A FORWARD -i vrflan -o eth0 -j ACCEPT',
      'iptables -A FORWARD -i eth0 -j DROP',
      'iptables -A INPUT -i eth0 -j DROP',
    ];
    const role = (lines: string[]) => applianceEvidence({ bootstraps: [lines.join('\n')] });
    assert.equal(role(router)?.role, 'nat');
    assert.match(
      role(router)!.why,
      /its iptables forwarding rules accept every destination \(`sudo iptables -A FORWARD -i vrflan -o eth0 -j ACCEPT`\)/,
    );
    // The rules are walked as the kernel walks them (review s16 R1): a rule appended after the accept of everything
    // vrflan sends out is never reached, whatever it drops, and neither is the policy.
    assert.equal(role([...router, 'iptables -A FORWARD -o eth0 -p tcp --dport 25 -j DROP'])?.role, 'nat');
    assert.equal(role([...router, 'iptables -P FORWARD DROP'])?.role, 'nat');
    // Inserted before it, a drop of some destinations: a firewall that restricts some of the egress (partial).
    const denied = role([...router, 'iptables -I FORWARD -i vrflan -d 203.0.113.0/24 -j REJECT']);
    assert.equal(denied?.role, 'firewall');
    assert.equal(denied?.enforces?.cls, 'partial');
    assert.match(
      denied?.why ?? '',
      /drop some of what it forwards \(`iptables -I FORWARD -i vrflan -d 203\.0\.113\.0\/24 -j REJECT`\) and accept the rest/,
    );
    // What the walk cannot read keeps it a firewall whose rules are not evaluated.
    assert.equal(role([...router, 'iptables -N EGRESS', 'iptables -A EGRESS -j DROP'])?.role, 'firewall');
    assert.equal(role([...router, 'ip6tables -A FORWARD -j DROP'])?.role, 'firewall');
    assert.equal(role([...router, 'iptables-restore < /etc/iptables/egress.rules'])?.role, 'firewall');
    // Only TCP accepted out, the policy ACCEPT: the rest passes by the policy, nothing dropped: NAT.
    assert.equal(role(router.map((l) => l.replace('-o eth0 -j ACCEPT', '-o eth0 -p tcp -j ACCEPT')))?.role, 'nat');
    // One leg (in and out of eth0): the accept takes everything it forwards.
    assert.equal(role(router.map((l) => l.replace('-i vrflan -o eth0', '-i eth0 -o eth0')))?.role, 'nat');
    // No outside interface named by the NAT rule: rules matching interfaces cannot be told inbound or outbound.
    const unnamed = role(router.map((l) => l.replace('POSTROUTING -o eth0', 'POSTROUTING -s 10.0.0.0/8')));
    assert.equal(unnamed?.role, 'firewall');
    assert.equal(unnamed?.enforces, undefined);
  });
});

// Firewalls nothing routes to yet (F121: their routes are added later by a script): an instance with firewall
// evidence whose interfaces all forward is an appliance, its subnet its own; a bastion whose check was copied
// off and that nothing says is a firewall stays a workload (unroutedForwarder.test.ts).
describe('unrouted firewall instances (F121)', function () {
  this.timeout(60000);
  const vpc = (name: string, image = '"ami-0123456789abcdef0"') => `
resource "aws_vpc" "edge" {
  cidr_block = "10.70.0.0/16"
}
resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.edge.id
}
resource "aws_subnet" "public" {
  vpc_id            = aws_vpc.edge.id
  cidr_block        = "10.70.1.0/24"
  availability_zone = "eu-west-1a"
}
resource "aws_route_table" "public" {
  vpc_id = aws_vpc.edge.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
}
resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}
resource "aws_network_interface" "outside" {
  subnet_id         = aws_subnet.public.id
  private_ips       = ["10.70.1.10"]
  source_dest_check = false
}
resource "aws_eip" "outside" {
  domain            = "vpc"
  network_interface = aws_network_interface.outside.id
}
resource "aws_instance" "edge" {
  ami           = ${image}
  instance_type = "c5.large"
  network_interface {
    network_interface_id = aws_network_interface.outside.id
    device_index         = 0
  }
  tags = { Name = "${name}" }
}
`;
  const edge = (r: AnalysisResult) => r.states.find((s) => s.vpc === 'aws_vpc.edge')!;

  it('a firewall by its image, its only interface forwarding, no route to it: Inspection, no finding, never "take it off its public IP"', async () => {
    const r = await analyzeFiles({ 'main.tf': vpc('edge-1', 'data.aws_ami.image.id') + amiLookup('FortiGate-VM64-AWS*') });
    assert.equal(edge(r).state, 'Inspection');
    assert.ok(!r.egress.some((e) => e.subnet === 'aws_subnet.public'));
    assert.deepEqual(r.findings, []);
  });

  it('a firewall by its name alone (FW1): no Inspection (review s16 R11), no guessed workload either: Unknown naming the hint, no finding', async () => {
    const r = await analyzeFiles({ 'main.tf': vpc('FW1') });
    assert.equal(edge(r).state, 'Unknown');
    assert.match(
      edge(r).reason,
      /whether public is a workload subnet or a firewall's own subnet cannot be decided: FW1 forwards \(source\/destination check off\) and no route sends traffic to it; its name FW1 says firewall, a hint only/,
    );
    assert.deepEqual(r.findings, []);
    // An empty subnet on its table (the tier in another zone): the firewall's or a public subnet, undecided alike.
    const twoZones = await analyzeFiles({
      'main.tf':
        vpc('FW1') +
        `
resource "aws_subnet" "public_b" {
  vpc_id            = aws_vpc.edge.id
  cidr_block        = "10.70.2.0/24"
  availability_zone = "eu-west-1b"
}
resource "aws_route_table_association" "public_b" {
  subnet_id      = aws_subnet.public_b.id
  route_table_id = aws_route_table.public.id
}
`,
    });
    const b = twoZones.egress.find((e) => e.subnet === 'aws_subnet.public_b')!.forward.outcome;
    assert.match(
      b.kind === 'unknown' ? b.reason : '',
      /^whether public_b is a workload subnet or a firewall's own subnet cannot be decided: FW1 forwards/,
    );
    assert.deepEqual(twoZones.findings, []);
  });

  it('nothing says it is a firewall (a host named web-1): a workload, as before', async () => {
    const r = await analyzeFiles({ 'main.tf': vpc('web-1') });
    assert.equal(edge(r).state, 'Unprotected');
    assert.ok(r.egress.some((e) => e.subnet === 'aws_subnet.public'));
  });
});
