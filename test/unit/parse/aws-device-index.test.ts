// EC2 launches an instance into its network interfaces only with one at device index 0 (its primary) and each
// index once: a Terraform aws_instance whose `network_interface` blocks break that cannot deploy as written, which is
// a located input error (invalid-device-index, F138), not a silently unplaced instance.
import * as assert from 'node:assert/strict';
import { initTerraform } from '../../../src/parse/terraform';
import { createWorkspace } from '../../../src/parse/workspace';
import type { ParseDiagnostic } from '../../../src/model/inputs';

async function diagnostics(text: string): Promise<ParseDiagnostic[]> {
  const ws = await createWorkspace();
  ws.setFile('main.tf', text);
  return ws.build().diagnostics.filter((d) => d.code === 'invalid-device-index');
}

// A two-armed firewall VM: a management, an outside and an inside interface, attached at launch.
const fw = (indexes: string[], extra = '') => `
resource "aws_subnet" "mgmt" {
  vpc_id     = "vpc-0123456789abcdef0"
  cidr_block = "10.0.0.0/24"
}
${indexes
  .map(
    (_, k) => `resource "aws_network_interface" "nic${k}" {
  subnet_id         = aws_subnet.mgmt.id
  source_dest_check = false
}`,
  )
  .join('\n')}
resource "aws_instance" "fw" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "m5.xlarge"
${indexes
  .map(
    (i, k) => `  network_interface {
    device_index         = ${i}
    network_interface_id = aws_network_interface.nic${k}.id
  }`,
  )
  .join('\n')}
${extra}}
`;

const lineOf = (text: string, needle: string, nth = 0): number => {
  const lines = text.split('\n');
  let seen = -1;
  return lines.findIndex((l) => l.includes(needle) && ++seen === nth);
};

describe('AWS instance launch interfaces (invalid-device-index)', () => {
  before(async () => {
    await initTerraform();
  });

  it('no interface at device index 0 and one index twice (1, 2, 2): two located errors', async () => {
    const text = fw(['1', '2', '2']);
    const ds = await diagnostics(text);
    assert.equal(ds.length, 2, JSON.stringify(ds));
    assert.ok(ds.every((d) => d.severity === 'error'));
    const none = ds.find((d) => /none at 0/.test(d.message))!;
    assert.match(
      none.message,
      /^aws_instance\.fw is launched into network interfaces at device index 1, 2, 2, none at 0: EC2 launches an instance only with a primary interface at device index 0, so it refuses this one/,
    );
    assert.equal(none.loc.range.start.line, lineOf(text, 'device_index         = 1'));
    const twice = ds.find((d) => /given twice/.test(d.message))!;
    assert.match(twice.message, /: 2 is given twice, and EC2 refuses an instance whose interfaces share a device index/);
    // At the second block that gives 2.
    assert.equal(twice.loc.range.start.line, lineOf(text, 'device_index         = 2', 1));
  });

  it('0, 1, 2 (and a dynamic block giving them from a known list) is accepted; an index not known offline decides nothing', async () => {
    assert.deepEqual(await diagnostics(fw(['0', '1', '2'])), []);
    assert.deepEqual(await diagnostics(fw(['var.first', '1'], '') + 'variable "first" {}\n'), []);
    const dyn = `
resource "aws_network_interface" "nic" {
  count     = 2
  subnet_id = "subnet-0123456789abcdef0"
}
resource "aws_instance" "fw" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "m5.xlarge"
  dynamic "network_interface" {
    for_each = [0, 1]
    content {
      device_index         = network_interface.value
      network_interface_id = aws_network_interface.nic[network_interface.key].id
    }
  }
}
`;
    assert.deepEqual(await diagnostics(dyn), []);
    const bad = await diagnostics(
      dyn.replace('[0, 1]', '{ a = 1, b = 1 }').replace('nic[network_interface.key]', 'nic[network_interface.key == "a" ? 0 : 1]'),
    );
    assert.deepEqual(
      bad.map((d) => /none at 0|given twice/.exec(d.message)?.[0]),
      ['none at 0', 'given twice'],
    );
  });

  // F221: a dynamic block iterates a list in order, repeats included, each element at its index (only a resource's
  // for_each takes a set); it was made distinct and sorted, as a set.
  it('a dynamic block over a literal list with a repeat makes a block per element: [0, 0] gives 0 twice', async () => {
    const dyn = (list: string) => `
resource "aws_network_interface" "nic" {
  count     = 2
  subnet_id = "subnet-0123456789abcdef0"
}
resource "aws_instance" "fw" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "m5.xlarge"
  dynamic "network_interface" {
    for_each = ${list}
    content {
      device_index         = network_interface.value
      network_interface_id = aws_network_interface.nic[network_interface.key].id
    }
  }
}
`;
    const twice = await diagnostics(dyn('[0, 0]'));
    assert.deepEqual(
      twice.map((d) => /given twice/.exec(d.message)?.[0]),
      ['given twice'],
    );
    // A set is distinct: toset([0, 0]) is one block, at 0.
    assert.deepEqual(await diagnostics(dyn('toset([0, 0])')), []);
  });

  it("a dynamic block over a literal list keeps the list's order: its key is the element's index", async () => {
    const ws = await createWorkspace();
    ws.setFile(
      'main.tf',
      `
resource "aws_network_interface" "nic" {
  for_each  = toset(["inside", "outside"])
  subnet_id = "subnet-0123456789abcdef0"
}
resource "aws_instance" "fw" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "m5.xlarge"
  dynamic "network_interface" {
    for_each = ["outside", "inside"]
    content {
      device_index         = network_interface.key
      network_interface_id = aws_network_interface.nic[network_interface.value].id
    }
  }
}
`,
    );
    const b = ws.build();
    assert.deepEqual(
      b.diagnostics.filter((d) => d.code === 'invalid-device-index'),
      [],
    );
    const index = (id: string) => {
      const e = b.model.elements.find((x) => x.id === id);
      return e?.kind === 'eni' ? e.deviceIndex : undefined;
    };
    assert.equal(index('aws_network_interface.nic["outside"]'), 0);
    assert.equal(index('aws_network_interface.nic["inside"]'), 1);
  });

  it('a primary_network_interface block is the primary: no error', async () => {
    const text = fw(['1'], '  primary_network_interface {\n    network_interface_id = aws_network_interface.nic0.id\n  }\n');
    assert.deepEqual(await diagnostics(text), []);
  });
});

// The same rule on a CloudFormation AWS::EC2::Instance launched into NetworkInterfaces (DeviceIndex is a string there).
const cfnFw = (indexes: string[]): string => `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  FirstIndex:
    Type: String
Resources:
  Mgmt:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: vpc-0123456789abcdef0, CidrBlock: 10.0.0.0/24 }
${indexes.map((_, k) => `  Nic${k}:\n    Type: AWS::EC2::NetworkInterface\n    Properties: { SubnetId: !Ref Mgmt, SourceDestCheck: false }`).join('\n')}
  Fw:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-0123456789abcdef0
      InstanceType: m5.xlarge
      NetworkInterfaces:
${indexes.map((i, k) => `        - DeviceIndex: ${i}\n          NetworkInterfaceId: !Ref Nic${k}`).join('\n')}
`;

async function cfnDiagnostics(text: string): Promise<ParseDiagnostic[]> {
  const ws = await createWorkspace();
  ws.setFile('fw.yaml', text);
  return ws.build().diagnostics.filter((d) => d.code === 'invalid-device-index');
}

describe('CloudFormation instance launch interfaces (invalid-device-index)', () => {
  it('"1", "2", "2": no primary and an index twice, each located on its DeviceIndex', async () => {
    const text = cfnFw(['"1"', '"2"', '"2"']);
    const ds = await cfnDiagnostics(text);
    assert.equal(ds.length, 2, JSON.stringify(ds));
    assert.ok(ds.every((d) => d.severity === 'error' && d.loc.file === 'fw.yaml'));
    const none = ds.find((d) => /none at 0/.test(d.message))!;
    assert.match(none.message, /^Instance Fw is launched into network interfaces at device index 1, 2, 2, none at 0: EC2 launches/);
    assert.equal(none.loc.range.start.line, lineOf(text, 'DeviceIndex: "1"'));
    const twice = ds.find((d) => /given twice/.test(d.message))!;
    assert.match(twice.message, /: 2 is given twice/);
    assert.equal(twice.loc.range.start.line, lineOf(text, 'DeviceIndex: "2"', 1));
  });

  it('"0", "1" (strings or numbers) is accepted; an index given by a parameter decides nothing', async () => {
    assert.deepEqual(await cfnDiagnostics(cfnFw(['"0"', '"1"'])), []);
    assert.deepEqual(await cfnDiagnostics(cfnFw(['0', '1'])), []);
    assert.deepEqual(await cfnDiagnostics(cfnFw(['!Ref FirstIndex', '"1"'])), []);
    // The same with a number that is not 0 is refused.
    assert.equal((await cfnDiagnostics(cfnFw(['1']))).length, 1);
  });
});

// Device indexes are per network card: AWS's multi-card layouts (EFA on p5/trn1) give each card its device 0 (review s16 R17).
describe('invalid-device-index and network cards', () => {
  before(async () => {
    await initTerraform();
  });

  it('Terraform: device 0 on cards 0, 1 and 2 deploys; two interfaces at card 1 / device 0 do not; a card index not known offline decides nothing', async () => {
    const text = (cardsOf: string[]) => {
      let k = 0;
      return fw(cardsOf.map(() => '0')).replace(
        /device_index {9}= 0\n/g,
        () => `device_index         = 0\n    network_card_index   = ${cardsOf[k++]}\n`,
      );
    };
    assert.deepEqual(await diagnostics(text(['0', '1', '2'])), []);
    const twice = await diagnostics(text(['0', '1', '1']));
    assert.deepEqual(
      twice.map((d) => d.message.replace(/^.*device index /, '')),
      [
        '0, 0 (network card 1), 0 (network card 1): 0 is given twice, and EC2 refuses an instance whose interfaces share a device index, so the configuration cannot deploy as written',
      ],
    );
    assert.deepEqual(await diagnostics(text(['0', 'var.card', '1']) + 'variable "card" {}\n'), []);
    const noPrimary = await diagnostics(text(['1', '2']));
    assert.match(noPrimary[0]?.message ?? '', /at device index 0 \(network card 1\), 0 \(network card 2\), none at 0/);
  });

  it('CloudFormation: NetworkCardIndex is part of the key', async () => {
    const text = (cardsOf: string[]) => {
      let k = 0;
      return cfnFw(cardsOf.map(() => '0')).replace(
        /- DeviceIndex: 0\n/g,
        () => `- DeviceIndex: 0\n          NetworkCardIndex: ${cardsOf[k++]}\n`,
      );
    };
    assert.deepEqual(await cfnDiagnostics(text(['0', '1', '2'])), []);
    assert.match((await cfnDiagnostics(text(['0', '1', '1'])))[0]?.message ?? '', /: 0 is given twice/);
    assert.deepEqual(await cfnDiagnostics(text(['0', '!Ref FirstIndex'])), []);
  });
});
