// A CloudFormation customer-managed prefix list (`AWS::EC2::PrefixList`) is read as Terraform's
// `aws_ec2_managed_prefix_list`: its Entries' CIDRs, for a route to it (`DestinationPrefixListId`) and for a Network
// Firewall IP set reference naming it (`ReferenceArn: !GetAtt List.Arn`). Before, neither was in the model: every
// route to it and every rule naming it was Unknown ("not in the inputs"). Our own edits of the
// aws-network-firewall-cfn example (one VPC, strict order, default drop).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initTerraform } from '../../../src/parse/terraform';
import { createWorkspace } from '../../../src/parse/workspace';
import { isUnresolved, type PrefixList } from '../../../src/model/types';
import { analyzeFiles, replaceOnce } from '../analyzeFiles';
import { ROOT } from '../report/helpers';

const BASE = fs.readFileSync(path.join(ROOT, 'examples', 'aws-network-firewall-cfn', 'template.yaml'), 'utf8');

const prefixList = (logicalId: string, entries: string, name = 'egress-destinations') => `
  ${logicalId}:
    Type: AWS::EC2::PrefixList
    Properties:
      PrefixListName: ${name}
      AddressFamily: IPv4
      MaxEntries: 5
      Entries:
${entries}
`;

const entries = (cidrs: string[]) => cidrs.map((c) => `        - Cidr: ${c}\n          Description: ${c}`).join('\n');

async function state(template: string): Promise<{ state: string; reason: string }> {
  const res = await analyzeFiles({ 'template.yaml': template });
  const s = res.states.find((x) => x.name === 'nfw-single-az')!;
  return { state: s.state, reason: s.reason };
}

async function prefixLists(files: Record<string, string>): Promise<PrefixList[]> {
  const ws = await createWorkspace();
  for (const [f, t] of Object.entries(files)) ws.setFile(f, t);
  return ws.build().model.elements.filter((e): e is PrefixList => e.kind === 'prefixList');
}

describe('CloudFormation AWS::EC2::PrefixList', () => {
  before(async () => {
    await initTerraform();
  });

  it('is a prefix list of its Entries, as Terraform reads aws_ec2_managed_prefix_list', async () => {
    const cfn = `Resources:${prefixList('Partners', entries(['203.0.113.0/24', '198.51.100.0/24']), 'partners')}`;
    const tf = `
resource "aws_ec2_managed_prefix_list" "partners" {
  name           = "partners"
  address_family = "IPv4"
  max_entries    = 5
  entry {
    cidr = "203.0.113.0/24"
  }
  entry {
    cidr = "198.51.100.0/24"
  }
}
`;
    const [c] = await prefixLists({ 'pl.yaml': cfn });
    const [t] = await prefixLists({ 'pl.tf': tf });
    assert.equal(c.id, 'cfn:pl.yaml#Partners');
    assert.deepEqual([c.name, c.cidrs], [t.name, t.cidrs]);
    assert.deepEqual(c.cidrs, ['203.0.113.0/24', '198.51.100.0/24']);
  });

  it('Entries the template does not decide are an undecided entry, not none', async () => {
    const cfn = `Parameters:
  PartnerCidr:
    Type: String
  Mode:
    Type: String
Conditions:
  Wide: !Equals [!Ref Mode, wide]
Resources:${prefixList('Partners', '        - Cidr: 192.0.2.0/24\n        - Cidr: !Ref PartnerCidr')}
  Whole:
    Type: AWS::EC2::PrefixList
    Properties:
      PrefixListName: whole
      AddressFamily: IPv4
      MaxEntries: 5
      Entries: !If [Wide, [{ Cidr: 0.0.0.0/0 }], [{ Cidr: 192.0.2.0/24 }]]
`;
    const [partners, whole] = await prefixLists({ 'pl.yaml': cfn });
    assert.equal(partners.cidrs[0], '192.0.2.0/24');
    assert.equal(partners.cidrs.length, 2);
    assert.ok(isUnresolved(partners.cidrs[1]));
    assert.equal(whole.cidrs.length, 1);
    assert.ok(
      isUnresolved(whole.cidrs[0]) && /Whole's Entries are not known offline/.test(whole.cidrs[0].reason),
      JSON.stringify(whole.cidrs),
    );
  });

  it('a route to it (DestinationPrefixListId) is looked up by its entries', async () => {
    // The protected subnet's default route written as a prefix list of the two halves of the address space.
    const withList = replaceOnce(
      BASE,
      [
        `      RouteTableId: !Ref ProtectedRouteTable
      DestinationCidrBlock: 0.0.0.0/0`,
        `      RouteTableId: !Ref ProtectedRouteTable
      DestinationPrefixListId: !GetAtt Everywhere.PrefixListId`,
      ],
      [
        '  ProtectedAssociation:',
        `${prefixList('Everywhere', entries(['0.0.0.0/1', '128.0.0.0/1']), 'everywhere')}\n  ProtectedAssociation:`,
      ],
    );
    const s = await state(withList);
    assert.equal(s.state, 'Protected', s.reason);
    // Sent straight to the internet gateway instead: Unprotected, decided by the same entries.
    const direct = withList.replace(
      /DestinationPrefixListId: !GetAtt Everywhere\.PrefixListId\n\s+VpcEndpointId: .*\n/,
      'DestinationPrefixListId: !GetAtt Everywhere.PrefixListId\n      GatewayId: !Ref Igw\n',
    );
    assert.notEqual(direct, withList);
    assert.equal((await state(direct)).state, 'Unprotected');
    // A list whose entries are not in the inputs (another stack's, by id): Unknown, naming it.
    const elsewhere = withList.replace(
      'DestinationPrefixListId: !GetAtt Everywhere.PrefixListId',
      'DestinationPrefixListId: pl-0123456789abcdef0',
    );
    const u = await state(elsewhere);
    assert.equal(u.state, 'Unknown', u.reason);
    assert.match(u.reason, /prefix list pl-0123456789abcdef0 is not in the inputs/);
  });

  it('a Network Firewall IP set reference to it (@EGRESS_PL) is judged by its entries', async () => {
    const group = (cidrs: string[]) =>
      replaceOnce(BASE, [
        `      RuleGroup:
        RulesSource:
          RulesSourceList:
            GeneratedRulesType: ALLOWLIST
            TargetTypes: [TLS_SNI, HTTP_HOST]
            Targets: [.amazonaws.com, .example.org]
`,
        `      RuleGroup:
        ReferenceSets:
          IPSetReferences:
            EGRESS_PL:
              ReferenceArn: !GetAtt EgressList.Arn
        RulesSource:
          RulesString: |
            pass tcp $HOME_NET any -> @EGRESS_PL 443 (flow:to_server; sid:1;)
        StatefulRuleOptions:
          RuleOrder: STRICT_ORDER
${prefixList('EgressList', entries(cidrs))}`,
      ]);
    const named = await state(group(['203.0.113.0/24']));
    assert.equal(named.state, 'Protected', named.reason);
    const every = await state(group(['0.0.0.0/1', '128.0.0.0/1']));
    assert.equal(every.state, 'Partially Protected', every.reason);
  });
});
