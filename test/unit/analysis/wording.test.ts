// The words and names of a finding (src/analysis/rules/wording.ts): one finding for several instances names each
// instance's values, keeps the words, and falls back to the first instance's sentence when the words differ.
import * as assert from 'node:assert/strict';
import { agree, all, lit, merge, mergeable, named, text, w } from '../../../src/analysis/rules/wording';

const route = (table: string, target: string) => w`Route 0.0.0.0/0 in ${table} instead of ${target}`;

describe('analysis: wording of merged findings', () => {
  it('a single instance reads as the plain sentence', () => {
    assert.equal(text(route('rt-a', 'igw-a')), 'Route 0.0.0.0/0 in rt-a instead of igw-a');
  });

  it('merged instances name each distinct value once, in order of first appearance', () => {
    assert.equal(
      text(merge([route('rt-a', 'igw-a'), route('rt-b', 'igw-b'), route('rt-a', 'igw-a')])),
      'Route 0.0.0.0/0 in rt-a, rt-b instead of igw-a, igw-b',
    );
    // A value all instances share stays one name.
    assert.equal(text(merge([route('rt-a', 'igw'), route('rt-b', 'igw')])), 'Route 0.0.0.0/0 in rt-a, rt-b instead of igw');
  });

  it('more than four names: the first three and how many more; a full slot lists all', () => {
    assert.equal(named(['a', 'b', 'c', 'd']), 'a, b, c, d');
    assert.equal(named(['a', 'b', 'c', 'd', 'e', 'f']), 'a, b, c and 3 more');
    const src = (s: string) => w`${all(s)} ${agree('reaches', 'reach')} the internet through ${`${s}-igw`}`;
    assert.equal(
      text(merge(['a', 'b', 'c', 'd', 'e'].map(src))),
      'a, b, c, d, e reach the internet through a-igw, b-igw, c-igw and 2 more',
    );
  });

  it('words agree with the names they speak of', () => {
    const has = (v: string) => w`${v} ${agree('has', 'have')} no endpoint; ${agree('it has', 'they have', 'first')} no table`;
    assert.equal(text(has('vpc-a')), 'vpc-a has no endpoint; it has no table');
    assert.equal(text(merge([has('vpc-a'), has('vpc-b')])), 'vpc-a, vpc-b have no endpoint; they have no table');
    const reply = (s: string) => w`Only the ${agree('reply', 'replies', 'next')} to ${s} ${agree('is', 'are')} inspected`;
    assert.equal(text(merge([reply('a'), reply('b')])), 'Only the replies to a, b are inspected');
    assert.equal(text(merge([reply('a'), reply('a')])), 'Only the reply to a is inspected');
  });

  it('different words are never joined: the first instance speaks', () => {
    const a = w`Route 0.0.0.0/0 in ${'rt-a'} ${lit('to the hub firewall')}`;
    const b = w`Route 0.0.0.0/0 in ${'rt-b'} ${lit('through a NAT GW')}`;
    assert.equal(mergeable([a, b]), false);
    assert.equal(text(merge([a, b])), 'Route 0.0.0.0/0 in rt-a to the hub firewall');
  });
});
