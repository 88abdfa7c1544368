// An Aviatrix transit VPC with a FireNet and its firewall VM (F301): its Egress hub reason names the FireNet and the
// firewall, and says what the FireNet's inspection_enabled / egress_enabled mean for the spokes' traffic.
import * as assert from 'node:assert/strict';
import { analyzeFiles, replaceOnce } from '../analyzeFiles';

const TEXT = `
resource "aviatrix_vpc" "transit" {
  cloud_type           = 1
  account_name         = "prod"
  region               = "eu-west-1"
  name                 = "hub-transit-vpc"
  cidr                 = "10.100.0.0/23"
  aviatrix_transit_vpc = false
  aviatrix_firenet_vpc = true
}

resource "aviatrix_transit_gateway" "hub" {
  cloud_type               = 1
  account_name             = "prod"
  gw_name                  = "hub-transit"
  vpc_id                   = aviatrix_vpc.transit.vpc_id
  vpc_reg                  = "eu-west-1"
  gw_size                  = "c5.xlarge"
  subnet                   = aviatrix_vpc.transit.public_subnets[0].cidr
  enable_transit_firenet   = true
}

resource "aviatrix_firenet" "hub" {
  vpc_id             = aviatrix_vpc.transit.vpc_id
  inspection_enabled = true
  egress_enabled     = false
}

resource "aviatrix_firewall_instance" "pan" {
  vpc_id            = aviatrix_vpc.transit.vpc_id
  firenet_gw_name   = aviatrix_transit_gateway.hub.gw_name
  firewall_name     = "hub-pan-1"
  firewall_image    = "Palo Alto Networks VM-Series Next-Generation Firewall Bundle 2"
  firewall_size     = "m5.xlarge"
  management_subnet = aviatrix_vpc.transit.subnets[0].cidr
  egress_subnet     = aviatrix_vpc.transit.subnets[1].cidr
}
`;

async function hub(text: string) {
  const r = await analyzeFiles({ 'main.tf': text });
  const s = r.states.find((x) => x.vpc === 'aviatrix_vpc.transit');
  assert.ok(s);
  return s;
}

describe('Aviatrix transit VPC with a FireNet firewall (F301)', function () {
  this.timeout(60000);

  it('the Egress hub reason names the FireNet and its firewall VM, and that egress does not leave through it', async () => {
    const s = await hub(TEXT);
    assert.equal(s.state, 'Egress hub');
    assert.match(
      s.reason,
      /only Aviatrix transit gateway aviatrix_transit_gateway\.hub, its FireNet aviatrix_firenet\.hub with firewall hub-pan-1 \(aviatrix_firewall_instance\.pan, firewall_image "Palo Alto Networks VM-Series Next-Generation Firewall Bundle 2"\), and its own subnets/,
    );
    assert.match(s.reason, /which its FireNet steers through the firewall where its inspection policies select it/);
    assert.match(s.reason, /their internet egress does not leave through the firewall \(egress_enabled = false\)/);
  });

  it('egress_enabled not written is false (the provider default); inspection off is said so', async () => {
    const s = await hub(
      replaceOnce(TEXT, ['  inspection_enabled = true\n  egress_enabled     = false\n', '  inspection_enabled = false\n']),
    );
    assert.match(s.reason, /not inspected: inspection_enabled = false; their internet egress does not leave through the firewall/);
  });

  it('egress through the firewall on: said, and that it is not modelled', async () => {
    const s = await hub(replaceOnce(TEXT, ['egress_enabled     = false', 'egress_enabled     = true']));
    assert.match(
      s.reason,
      /its FireNet sends their internet egress out through the firewall \(egress_enabled = true\), which is not modelled/,
    );
  });

  it('a transit without FireNet keeps its reason', async () => {
    const bare = TEXT.slice(0, TEXT.indexOf('resource "aviatrix_firenet"'));
    const s = await hub(bare);
    assert.match(
      s.reason,
      /only Aviatrix transit gateway aviatrix_transit_gateway\.hub and its own subnets: it carries its spokes' traffic \(their internet egress too/,
    );
  });
});
