// A VM-Series' bootstrap settings (init-cfg keys in its user data) say where its policy is: Panorama, a bootstrap
// bucket, or the firewall itself. None is in the inputs: the reason names the place and is located at its setting.
import { strict as assert } from 'node:assert';
import { LineMap } from '../../../src/parse/locate';
import { ngfwBootstrap, ngfwFromTexts, panosPolicyElsewhere } from '../../../src/parse/vocabulary/ngfw';
import { parseCloudFormation } from '../../../src/parse/cloudformation';
import { createWorkspace } from '../../../src/parse/workspace';

const located = (text: string) => {
  const lines = new LineMap(text);
  return { text, locate: (a: number, b: number) => ({ file: 'fw.yaml', range: lines.range(a, b) }) };
};

describe('VM-Series bootstrap: where its policy is', () => {
  it('Panorama: the server and device group, located at the panorama-server line', () => {
    const t = located('type=dhcp-client\nplugin-op-commands=aws-gwlb-inspect:enable\npanorama-server=10.255.0.10\ndgname=egress-dg\n');
    const b = ngfwFromTexts([t]);
    assert.equal(b?.vendor, 'Palo Alto VM-Series');
    assert.equal(b?.overlayRouting, false);
    assert.equal(b?.policy, undefined);
    assert.equal(b?.policyElsewhere?.reason, 'its policy is in Panorama 10.255.0.10, device group egress-dg, not in the inputs');
    assert.deepEqual(b?.policyElsewhere?.loc.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 27 } });
  });

  it('an empty panorama-server (the template left blank) is no Panorama: the policy is set on the firewall', () => {
    const t = located('type=dhcp-client;panorama-server=;plugin-op-commands=aws-gwlb-inspect:enable,aws-gwlb-overlay-routing:enable');
    const b = ngfwFromTexts([t]);
    assert.equal(b?.overlayRouting, true);
    assert.match(b?.policyElsewhere?.reason ?? '', /names no Panorama and no bootstrap bucket: its policy is set on the firewall/);
    // Located at the first PAN-OS setting, the one that says this is a VM-Series bootstrap.
    assert.equal(b?.policyElsewhere?.loc.range.start.character, 17);
  });

  it('a bootstrap bucket: its name, located at the setting', () => {
    const t = located('vmseries-bootstrap-aws-s3bucket=fw-bootstrap-eu;mgmt-interface-swap=enable');
    const e = panosPolicyElsewhere([t]);
    assert.equal(e.reason, "its policy is in bootstrap bucket fw-bootstrap-eu's config/bootstrap.xml, not in the inputs");
    assert.deepEqual(e.loc.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 47 } });
  });

  it('pieces of a user data known in part: a setting left empty before a value known at apply is not taken as empty', () => {
    const at = () => ({ file: 'main.tf', range: new LineMap('').range(0, 0) });
    const b = ngfwBootstrap(['mgmt-interface-swap=enable;panorama-server=', ';tplname=stack'], at, true);
    assert.equal(b?.policyElsewhere?.reason, 'its policy is in a Panorama server named only at apply, not in the inputs');
    assert.equal(b?.policyElsewhere?.loc.file, 'main.tf');
    // Fully known and empty: no Panorama.
    const c = ngfwBootstrap(['mgmt-interface-swap=enable;panorama-server='], at, false);
    assert.match(c?.policyElsewhere?.reason ?? '', /set on the firewall/);
  });

  it('no PAN-OS setting: not a VM-Series', () => {
    assert.equal(ngfwFromTexts([located('#!/bin/bash\nyum install -y nginx\n')]), undefined);
    assert.equal(
      ngfwBootstrap(['#!/bin/bash'], () => ({ file: 'x', range: new LineMap('').range(0, 0) }), false),
      undefined,
    );
  });
});

describe('VM-Series bootstrap in a CloudFormation template', () => {
  const template = (userData: string) => `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  # No Default: which user data runs is decided at deploy time.
  BootstrapBucket:
    Type: String
Conditions:
  UseBucket: !Not [!Equals [!Ref BootstrapBucket, ""]]
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  Data:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.1.0/24
  Fw:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-0123456789abcdef0
      SubnetId: !Ref Data
${userData}
`;

  it('a user data chosen by Fn::If between a bucket and basic settings: a VM-Series whose policy is not in the inputs either way', () => {
    const yaml = template(`      UserData: !If
        - UseBucket
        - !Base64
          Fn::Join:
            - ''
            - - vmseries-bootstrap-aws-s3bucket=
              - !Ref BootstrapBucket
        - !Base64
          Fn::Join:
            - ';'
            - - type=dhcp-client
              - panorama-server=
              - plugin-op-commands=aws-gwlb-inspect:enable`);
    const fw = parseCloudFormation('fw.yaml', yaml).elements.find((e) => e.kind === 'instance');
    assert.ok(fw && fw.kind === 'instance');
    assert.equal(fw.ngfw?.vendor, 'Palo Alto VM-Series');
    assert.match(
      fw.ngfw?.policyElsewhere?.reason ?? '',
      /^as UseBucket decides at deploy time, either its policy is in the config\/bootstrap\.xml of a bootstrap bucket named at apply, not in the inputs, or its bootstrap names no Panorama and no bootstrap bucket/,
    );
    assert.equal(fw.ngfw?.policyElsewhere?.loc.file, 'fw.yaml');
  });

  // F238: whether its interface at device index 0 stays its management interface (mgmtFirst, where the bootstrap is).
  it('a joined bootstrap without mgmt-interface-swap marks device index 0 as management; with it in op-command-modes, not', () => {
    const joined = (modes: string) =>
      template(`      UserData: !Base64
        Fn::Join:
          - ';'
          - - type=dhcp-client
            - ${modes}
            - plugin-op-commands=aws-gwlb-inspect:enable`);
    const fwOf = (yaml: string) => parseCloudFormation('fw.yaml', yaml).elements.find((e) => e.kind === 'instance');
    const plain = fwOf(joined('op-command-modes=jumbo-frame'));
    assert.ok(plain?.kind === 'instance');
    assert.equal(plain.ngfw?.mgmtFirst?.file, 'fw.yaml');
    const swapped = fwOf(joined('op-command-modes=jumbo-frame, mgmt-interface-swap'));
    assert.ok(swapped?.kind === 'instance' && swapped.ngfw);
    assert.equal(swapped.ngfw.mgmtFirst, undefined);
    // A piece the template does not write as text (a parameter) may be the swap: undecided, not marked.
    const param = fwOf(
      template(`      UserData: !Base64
        Fn::Join:
          - ';'
          - - plugin-op-commands=aws-gwlb-inspect:enable
            - !Ref BootstrapBucket`),
    );
    assert.ok(param?.kind === 'instance' && param.ngfw);
    assert.equal(param.ngfw.mgmtFirst, undefined);
  });

  it('a Fn::If whose other branch is no VM-Series bootstrap stays unread (which one runs is not known)', () => {
    const yaml = template(`      UserData: !If
        - UseBucket
        - !Base64 "vmseries-bootstrap-aws-s3bucket=fw-boot"
        - !Base64 "#!/bin/bash\\nyum install -y httpd\\n"`);
    const fw = parseCloudFormation('fw.yaml', yaml).elements.find((e) => e.kind === 'instance');
    assert.ok(fw && fw.kind === 'instance');
    assert.equal(fw.ngfw, undefined);
  });
});

describe('VM-Series bootstrap in Terraform', () => {
  it('Terraform 0.12: a bucket joined with list() (user_data = base64encode(join("", list(...)))) is a VM-Series\' bootstrap', async () => {
    const ws = await createWorkspace();
    ws.setFile(
      'fw.tf',
      `variable "bootstrap_bucket" {
  default = "fw-bootstrap-b"
}
resource "aws_vpc" "transit" {
  cidr_block = "10.20.0.0/16"
}
resource "aws_subnet" "outside" {
  vpc_id     = aws_vpc.transit.id
  cidr_block = "10.20.1.0/24"
}
resource "aws_instance" "fw" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "m5.xlarge"
  subnet_id     = aws_subnet.outside.id
  user_data     = base64encode(join("", list("vmseries-bootstrap-aws-s3bucket=", var.bootstrap_bucket)))
}
`,
    );
    const fw = ws.build().model.elements.find((e) => e.kind === 'instance');
    assert.ok(fw && fw.kind === 'instance');
    assert.equal(fw.ngfw?.vendor, 'Palo Alto VM-Series');
    assert.match(fw.ngfw?.policyElsewhere?.reason ?? '', /fw-bootstrap-b/);
  });
});
