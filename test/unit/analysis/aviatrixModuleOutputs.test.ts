import { strict as assert } from 'node:assert';
import { analyze } from '../../../src/analysis/analyze';
import { createWorkspace } from '../../../src/parse/workspace';

// A spoke attached to an mc-transit call by the call's output (`module.t.transit_gateway.gw_name`) reaches the
// built-in approximation of that transit; an mc-firenet call on the transit decides (or leaves undecided) the
// transit's egress, which is not modelled: the spoke's path is Unknown naming the FireNet, never dropped.
describe('analysis: Aviatrix module outputs and FireNet', function () {
  this.timeout(30000);

  async function run(text: string) {
    const ws = await createWorkspace();
    ws.setFile('main.tf', text);
    const b = ws.build();
    return { ...analyze(b.model, {}, b.diagnostics), diagnostics: b.diagnostics };
  }

  const transit = (firenet: string) => `
module "t" {
  source                 = "terraform-aviatrix-modules/mc-transit/aviatrix"
  cloud                  = "aws"
  region                 = "eu-west-1"
  account                = "aws"
  cidr                   = "10.1.0.0/23"
  name                   = "egress-transit"
  enable_transit_firenet = true
}
${firenet}
resource "aviatrix_vpc" "spoke" {
  cloud_type   = 1
  account_name = "aws"
  region       = "eu-west-1"
  name         = "app"
  cidr         = "10.20.0.0/16"
}
resource "aviatrix_spoke_gateway" "app" {
  cloud_type   = 1
  account_name = "aws"
  gw_name      = "app-gw"
  vpc_id       = aviatrix_vpc.spoke.vpc_id
  vpc_reg      = "eu-west-1"
  gw_size      = "t3.small"
  subnet       = "10.20.0.0/26"
}
resource "aviatrix_spoke_transit_attachment" "app" {
  spoke_gw_name   = aviatrix_spoke_gateway.app.gw_name
  transit_gw_name = module.t.transit_gateway.gw_name
}
`;
  const firenet = (args: string) => `
module "fw" {
  source         = "terraform-aviatrix-modules/mc-firenet/aviatrix"
  transit_module = module.t
  firewall_image = "aviatrix"
${args}
}
`;
  const app = (r: Awaited<ReturnType<typeof run>>) => r.states.find((s) => s.name === 'app');

  it('a FireNet with egress_enabled: the spoke reaches the transit and its path is Unknown naming the FireNet', async () => {
    const r = await run(transit(firenet('  egress_enabled = true')));
    assert.equal(app(r)?.state, 'Unknown');
    assert.match(
      app(r)!.reason,
      /egress-transit.*Aviatrix FireNet of module\.fw \(main\.tf:\d+\) \(firewall_image "aviatrix"\), which is not modelled/,
    );
    // The output resolved to the approximation: no "cannot be decided offline" info for it.
    assert.ok(!r.diagnostics.some((d) => /transit_gw_name/.test(d.message)), r.diagnostics.map((d) => d.message).join('\n'));
  });

  it('egress_enabled not written: Unknown saying the module default is read after terraform init', async () => {
    const r = await run(transit(firenet('')));
    assert.equal(app(r)?.state, 'Unknown');
    assert.match(app(r)!.reason, /egress_enabled is not written/);
  });

  it("egress_enabled = false and no transit egress: Unknown, the controller-made VPC's public subnets are not modelled (never No Egress on a guess)", async () => {
    const r = await run(transit(firenet('  egress_enabled = false')));
    assert.equal(app(r)?.state, 'Unknown');
    assert.match(
      app(r)!.reason,
      /neither spoke app-gw \(no local egress\) nor transit egress-transit \(no egress capability\).*internet gateway route of the public subnets/,
    );
  });

  it('no FireNet call: the spoke reaches the transit (was: transit not resolvable) and stops at its missing egress', async () => {
    const r = await run(transit(''));
    assert.equal(app(r)?.state, 'Unknown');
    assert.match(app(r)!.reason, /transit egress-transit \(no egress capability\)/);
  });

  it("an mc-spoke call given the transit call's output reaches that transit too", async () => {
    const r = await run(`${transit(firenet('  egress_enabled = true'))}
module "s" {
  source     = "terraform-aviatrix-modules/mc-spoke/aviatrix"
  cloud      = "Azure"
  region     = "West Europe"
  account    = "azure"
  cidr       = "10.30.0.0/16"
  name       = "az-spoke"
  transit_gw = module.t.transit_gateway.gw_name
}
`);
    const s = r.states.find((x) => x.name === 'az-spoke');
    assert.equal(s?.state, 'Unknown');
    assert.match(s?.reason ?? '', /Aviatrix FireNet of module\.fw/);
  });

  it("a GCP spoke whose transit has no egress is Unknown (the GCP network's own default route is not modelled)", async () => {
    const r = await run(`
module "t" {
  source  = "terraform-aviatrix-modules/mc-transit/aviatrix"
  cloud   = "gcp"
  region  = "us-east1"
  account = "gcp"
  cidr    = "10.1.0.0/23"
  name    = "transit-east"
}
module "s" {
  source     = "terraform-aviatrix-modules/mc-spoke/aviatrix"
  cloud      = "GCP"
  region     = "us-east1"
  account    = "gcp"
  cidr       = "10.30.0.0/24"
  name       = "gcp-spoke"
  transit_gw = module.t.transit_gateway.gw_name
}
`);
    const s = r.states.find((x) => x.name === 'gcp-spoke');
    assert.equal(s?.state, 'Unknown');
    assert.match(s?.reason ?? '', /GCP network's own default route\) is not modelled/);
  });

  it('an output of a module that is not an Aviatrix approximation stays Unknown with its own reason and info', async () => {
    const text = transit('').replace('terraform-aviatrix-modules/mc-transit/aviatrix', 'app.terraform.io/acme/transit/aviatrix');
    const r = await run(text);
    assert.equal(app(r)?.state, 'Unknown');
    assert.match(app(r)!.reason, /transit of app-gw is not resolvable offline \(module\.t\.transit_gateway/);
    assert.ok(r.diagnostics.some((d) => /transit_gw_name: module\.t\.transit_gateway/.test(d.message)));
  });
});
