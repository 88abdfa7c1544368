// Which part of a traced source (a subnet's range) a firewall rule's sources take (F34).
import { strict as assert } from 'node:assert';
import { sourceCover } from '../../../src/analysis/firewallPolicy/ruleSources';
import { unresolved } from '../../../src/model/types';

const cover = (sources: string[] | undefined, source: string | undefined) => sourceCover(sources ? { sources } : {}, source);

describe('firewall rule sources against a traced source range', () => {
  it('no sources written: every source', () => {
    assert.equal(cover(undefined, '10.1.1.0/24'), 'all');
    assert.equal(cover(undefined, undefined), 'all');
  });

  it('a wider CIDR takes all of it, a disjoint one none, a narrower one some', () => {
    assert.equal(cover(['10.1.0.0/16'], '10.1.1.0/24'), 'all');
    assert.equal(cover(['10.0.2.0/24', '192.168.0.0/16'], '10.1.1.0/24'), 'none');
    assert.equal(cover(['10.1.1.0/26'], '10.1.1.0/24'), 'some');
    // A single address is a /32; the subnet's own range is all of it.
    assert.equal(cover(['10.1.1.4'], '10.1.1.0/24'), 'some');
    assert.equal(cover(['10.1.1.0/24'], '10.1.1.0/24'), 'all');
    // A NATed source seen as one address.
    assert.equal(cover(['10.1.1.0/26'], '10.1.1.9/32'), 'all');
  });

  it('ranges and pieces that together hold the whole range take all of it; a gap leaves some', () => {
    assert.equal(cover(['10.1.1.0-10.1.1.255'], '10.1.1.0/24'), 'all');
    assert.equal(cover(['10.1.1.128/25', '10.1.1.0-10.1.1.127'], '10.1.1.0/24'), 'all');
    assert.equal(cover(['10.1.1.0/26', '10.1.1.128/25'], '10.1.1.0/24'), 'some');
    assert.equal(cover(['10.1.0.250-10.1.1.3'], '10.1.1.0/24'), 'some');
  });

  it('other address families take none of it', () => {
    assert.equal(cover(['fd00::/8'], '10.1.1.0/24'), 'none');
  });

  it('undecided: sources not known offline, not addresses, or the traced range not known', () => {
    assert.equal(sourceCover({ sources: unresolved('var.jump', 'no value') }, '10.1.1.0/24'), 'undecided');
    assert.equal(cover(['VirtualNetwork'], '10.1.1.0/24'), 'undecided');
    assert.equal(cover(['10.1.1.9-10.1.1.1'], '10.1.1.0/24'), 'undecided');
    assert.equal(cover(['10.1.0.0/16'], undefined), 'undecided');
  });

  it('a source known only to lie in a range (an IPAM allocation): decided only when the rule takes all of the range or none of it', () => {
    const pool = { within: ['10.16.0.0/12'], text: "the subnet's addresses" };
    assert.equal(sourceCover({ sources: ['10.0.0.0/8'] }, pool), 'all');
    assert.equal(sourceCover({ sources: ['10.16.0.0/13', '10.24.0.0/13'] }, pool), 'all');
    assert.equal(sourceCover({ sources: ['172.16.0.0/12', '10.0.0.0/12'] }, pool), 'none');
    // Part of the range: the allocation may land inside, outside or across it.
    assert.equal(sourceCover({ sources: ['10.16.0.0/16'] }, pool), 'undecided');
    // Several pool CIDRs: each must get the same answer.
    const two = { within: ['10.16.0.0/12', '172.16.0.0/12'], text: 'x' };
    assert.equal(sourceCover({ sources: ['10.0.0.0/8', '172.16.0.0/12'] }, two), 'all');
    assert.equal(sourceCover({ sources: ['10.0.0.0/8'] }, two), 'undecided');
    assert.equal(sourceCover({}, two), 'all');
  });
});
