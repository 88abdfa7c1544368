import { strict as assert } from 'node:assert';
import { analyze } from '../../../src/analysis/analyze';
import { createWorkspace } from '../../../src/parse/workspace';

// A Cloud WAN VPC attachment is not modelled, but the subnets it names hold only its interfaces, as a TGW
// attachment's do: they are plumbing, not traffic sources. An inspection VPC attached to Cloud WAN is Inspection.
describe('analysis: subnets of a Cloud WAN VPC attachment', function () {
  this.timeout(30000);

  const template = (subnetArns: string) => `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  CoreNetworkId:
    Type: String
Resources:
  InspVpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.90.0.0/16
  FwSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref InspVpc
      CidrBlock: 10.90.0.0/28
  CwanSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref InspVpc
      CidrBlock: 10.90.0.16/28
  CwanTable:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref InspVpc
  CwanAssoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref CwanSubnet
      RouteTableId: !Ref CwanTable
  Policy:
    Type: AWS::NetworkFirewall::FirewallPolicy
    Properties:
      FirewallPolicyName: p
      FirewallPolicy:
        StatelessDefaultActions: ['aws:forward_to_sfe']
        StatelessFragmentDefaultActions: ['aws:forward_to_sfe']
  Firewall:
    Type: AWS::NetworkFirewall::Firewall
    Properties:
      FirewallName: fw
      FirewallPolicyArn: !Ref Policy
      VpcId: !Ref InspVpc
      SubnetMappings:
        - SubnetId: !Ref FwSubnet
  Attachment:
    Type: AWS::NetworkManager::VpcAttachment
    Properties:
      CoreNetworkId: !Ref CoreNetworkId
      VpcArn: !Sub 'arn:aws:ec2:\${AWS::Region}:\${AWS::AccountId}:vpc/\${InspVpc}'
      SubnetArns:
${subnetArns}
`;

  async function state(text: string) {
    const ws = await createWorkspace();
    ws.setFile('insp.yaml', text);
    const b = ws.build();
    const r = analyze(b.model, {}, b.diagnostics);
    const found = r.states.find((s) => s.vpc === 'cfn:insp.yaml#InspVpc');
    return found && { ...found, sources: r.egress.map((e) => e.subnet) };
  }

  it('the subnet an attachment names is plumbing: the VPC holding the firewall is Inspection', async () => {
    const s = await state(template("        - !Sub 'arn:aws:ec2:${AWS::Region}:${AWS::AccountId}:subnet/${CwanSubnet}'"));
    assert.equal(s?.state, 'Inspection', s?.reason);
  });

  it('a subnet no attachment names is a traffic source of its own: not Inspection', async () => {
    const s = await state(template("        - !Sub 'arn:aws:ec2:${AWS::Region}:${AWS::AccountId}:subnet/${FwSubnet}'"));
    assert.notEqual(s?.state, 'Inspection');
    // The attachment writes no route: the subnet is judged by its own table (none for the internet).
    assert.ok(s?.sources.includes('cfn:insp.yaml#CwanSubnet'));
    assert.equal(s?.state, 'No Egress', s?.reason);
  });
});
