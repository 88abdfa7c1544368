// The tier of a subnet (webview/tier.ts): what it holds and where its default route goes decide
// before its name; the name decides before the default "application".
import * as assert from 'node:assert/strict';
import { subnetTier, TIER_ORDER } from '../../webview/tier';

const facts = (name: string, holds: string[] = [], defaultVia: string[] = [], tgwAttachment = false) => ({
  name,
  holds,
  defaultVia,
  tgwAttachment,
});

describe('subnet tier (reference layout rows)', () => {
  it('orders the tiers from the internet inward', () => {
    assert.deepEqual([...TIER_ORDER], ['public', 'firewall', 'app', 'data', 'attach']);
  });

  it('puts a subnet holding a NAT gateway in the public tier whatever its name or route', () => {
    assert.equal(subnetTier(facts('private-x', ['natgw'], ['gwlbe'])), 'public');
  });

  it('puts a subnet holding an endpoint or a firewall (modelled or not) in the firewall tier', () => {
    assert.equal(subnetTier(facts('subnet-1', ['gwlbe'], ['igw'])), 'firewall');
    assert.equal(subnetTier(facts('AzureFirewallSubnet', ['firewall'])), 'firewall');
    assert.equal(subnetTier(facts('appliance-a', ['firewall'])), 'firewall');
    // The endpoint of a firewall Egress Lens does not model, in a subnet whose default route is the IGW.
    assert.equal(subnetTier(facts('ngfw-a', ['unmodelled'], ['igw'])), 'firewall');
  });

  it('puts a subnet a TGW attachment names in the attachment tier, before anything else', () => {
    assert.equal(subnetTier(facts('app-a', [], ['tgw'], true)), 'attach');
  });

  it('reads the tier from the name when the subnet holds nothing telling', () => {
    assert.equal(subnetTier(facts('tgw-attach-b')), 'attach');
    assert.equal(subnetTier(facts('fw-a')), 'firewall');
    assert.equal(subnetTier(facts('gwlbe_b')), 'firewall');
    assert.equal(subnetTier(facts('snet-nva')), 'firewall');
    assert.equal(subnetTier(facts('nat-b')), 'public');
    assert.equal(subnetTier(facts('snet-dmz')), 'public');
    assert.equal(subnetTier(facts('db-a')), 'data');
    assert.equal(subnetTier(facts('data_c')), 'data');
  });

  it('does not read a tier out of a longer word', () => {
    // "natural", "firewalled-app"... are not names of a tier: "database" is, "update" is not.
    assert.equal(subnetTier(facts('natural-history')), 'app');
    assert.equal(subnetTier(facts('update-servers')), 'app');
  });

  it('makes a subnet whose default route leaves through the IGW public, else application', () => {
    assert.equal(subnetTier(facts('mgmt-legacy', [], ['igw'])), 'public');
    assert.equal(subnetTier(facts('mgmt-legacy', [], ['natgw'])), 'app');
    assert.equal(subnetTier(facts('snet-workload', [], ['virtualAppliance'])), 'app');
  });
});
