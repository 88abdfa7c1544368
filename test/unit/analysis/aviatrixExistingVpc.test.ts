// An Aviatrix spoke gateway in an existing VPC named only by its id (a controller export), SNAT off, attached to a
// transit without egress (F291): that VPC's own route tables are not in the inputs, so its workloads' way out is
// not decided: Unknown, never "No Egress".
import * as assert from 'node:assert/strict';
import { analyzeFiles } from '../analyzeFiles';

const transit = `resource "aviatrix_transit_gateway" "hub" {
  cloud_type   = 1
  account_name = "prod"
  gw_name      = "hub-transit"
  vpc_id       = "vpc-0aaa1111"
  vpc_reg      = "eu-central-1"
  gw_size      = "t3.small"
  subnet       = "10.90.0.0/27"
}
`;

const spoke = (vpcId: string, subnet: string) => `resource "aviatrix_spoke_gateway" "app" {
  cloud_type   = 1
  account_name = "prod"
  gw_name      = "app-spoke"
  vpc_id       = ${vpcId}
  vpc_reg      = "eu-central-1"
  gw_size      = "t3.small"
  subnet       = ${subnet}
  manage_transit_gateway_attachment = false
}

resource "aviatrix_spoke_transit_attachment" "app" {
  spoke_gw_name   = "app-spoke"
  transit_gw_name = "hub-transit"
}
`;

const appVpc = `resource "aviatrix_vpc" "app" {
  cloud_type           = 1
  account_name         = "prod"
  region               = "eu-central-1"
  name                 = "app-vpc"
  cidr                 = "10.20.0.0/16"
  aviatrix_transit_vpc = false
  aviatrix_firenet_vpc = false
}
`;

describe('Aviatrix spoke in a VPC the inputs name only by id (F291)', () => {
  it('SNAT off behind a transit without egress: Unknown, the VPC is not in the inputs', async () => {
    const r = await analyzeFiles({ 'main.tf': transit + spoke('"vpc-0bbb2222"', '"10.20.90.0/24"') });
    const st = r.states.find((s) => s.vpc === 'vpc-0bbb2222' || s.name === 'vpc-0bbb2222');
    assert.ok(st, JSON.stringify(r.states.map((s) => [s.vpc, s.name, s.state])));
    assert.equal(st.state, 'Unknown');
    assert.match(st.reason, /app-spoke belongs to no VPC in the inputs/);
    assert.deepEqual(r.findings, []);
  });

  it("the same spoke in a VPC the controller makes (aviatrix_vpc): Unknown for its public subnets' way out, as before", async () => {
    const r = await analyzeFiles({
      'main.tf': transit + appVpc + spoke('aviatrix_vpc.app.vpc_id', 'aviatrix_vpc.app.public_subnets[0].cidr'),
    });
    const st = r.states.find((s) => s.name === 'app-vpc');
    assert.ok(st, JSON.stringify(r.states.map((s) => [s.vpc, s.name, s.state])));
    assert.equal(st.state, 'Unknown');
    assert.match(st.reason, /the internet gateway route of the public subnets the controller makes in it/);
  });
});
