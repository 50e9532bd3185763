/**
 * The pieces of the columnar pairing index against plain models: the shared open-addressing core
 * (adds and backward-shift removals against a Map), the interning of values (ids, giving back and
 * reuse, compaction of the arena) and its endpoint order against the string order it replaces.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { HashSlots, ShardedSlots, type SlotKeys } from '../../server/src/service/hashSlots';
import { StringIntern } from '../../server/src/service/conversations/intern';
import { check } from '../property/arbitraries';

/** Keys are small integers; entries hold them in an array, and colliding hashes are forced by a small modulus. */
class Keys implements SlotKeys {
  readonly keyOf: number[] = [];
  probe = 0;
  matches(entry: number): boolean {
    return this.keyOf[entry] === this.probe;
  }
}

function exercise(slots: HashSlots | ShardedSlots, ops: { add: boolean; key: number }[], hash: (key: number) => number): void {
  const keys = new Keys();
  const model = new Map<number, number>();
  for (const { add, key } of ops) {
    keys.probe = key;
    const found = slots.find(hash(key), keys);
    assert.equal(found, model.get(key) ?? -1, `find ${key}`);
    if (add && found < 0) {
      const entry = keys.keyOf.push(key) - 1;
      slots.add(entry, hash(key));
      model.set(key, entry);
    } else if (!add && found >= 0) {
      slots.remove(found, hash(key));
      model.delete(key);
    }
    assert.equal(slots.size, model.size);
  }
  for (const [key, entry] of model) {
    keys.probe = key;
    assert.equal(slots.find(hash(key), keys), entry);
  }
}

const ops = fc.array(fc.record({ add: fc.boolean(), key: fc.integer({ min: 0, max: 300 }) }), { maxLength: 600 });

describe('pairing index', () => {
  it('HashSlots: finds what was added and not removed, through growth and backward-shift removal in colliding runs', () => {
    check('hash-slots', fc.property(ops, fc.integer({ min: 1, max: 40 }), (list, modulus) => exercise(new HashSlots(16), list, (key) => ((key % modulus) * 2654435761) >>> 0)));
  });

  it('ShardedSlots: the same across shards (hashes spread over the top bits)', () => {
    check('sharded-slots', fc.property(ops, (list) => exercise(new ShardedSlots(16), list, (key) => Math.imul(key + 1, 0x9e3779b1) >>> 0)));
  });

  it('interning: one id per value, values read back, ids given back and reused, the arena compacted', () => {
    const intern = new StringIntern();
    const held = new Map<string, number>();
    for (let round = 0; round < 40_000; round++) {
      const value = `eni-${round % 7}${(Math.floor(round / 7) % 251).toString(16)}:${round % 13}`;
      const line = `x ${value} y`;
      const id = intern.idOf(line, 2, 2 + value.length);
      if (held.has(value)) assert.equal(id, held.get(value));
      else {
        intern.retain(id);
        held.set(value, id);
      }
      // Give back the oldest values now and then, so ids are reused and the arena must be compacted.
      if (held.size > 500) {
        for (const [old, oldId] of [...held].slice(0, 250)) {
          intern.release(oldId);
          held.delete(old);
        }
      }
    }
    for (const [value, id] of held) assert.equal(intern.value(id), value);
    assert.equal(intern.size, held.size);
    assert.ok(intern.idOfString('2001:db8::1') !== intern.idOfString('2001:db8::2'));
  });

  it('interning: an interface ID looked up after the last one gives the id of its value, through give-backs and reuse', () => {
    const intern = new StringIntern();
    const names = ['eni-0a1b2c3d4e5f60718', 'eni-0a1b2c3d4e5f60719', 'eni-1', '-', 'tgw-attach-0123456789abcdef0'];
    let seed = 7;
    const random = (n: number): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % n;
    const held: number[] = [];
    for (let round = 0; round < 5000; round++) {
      const name = names[random(names.length)];
      const line = `x ${name} y`;
      const id = intern.idOfInterface(line, 2, 2 + name.length);
      assert.equal(intern.value(id), name);
      assert.equal(intern.idOf(line, 2, 2 + name.length), id);
      // Hold some, give back others, so the last id may have been given back (and its index reused) in between.
      if (random(3) === 0) {
        intern.retain(id);
        held.push(id);
      } else intern.sweep(id);
      if (held.length > 3) intern.release(held.shift() as number);
    }
  });

  it('interning: interface IDs the cache cannot tell apart by fingerprint (same length, same last four characters) keep their own ids, as text, as bytes and as units', () => {
    const intern = new StringIntern();
    // Many values per fingerprint, and more fingerprints than the cache has slots.
    const names = Array.from({ length: 3000 }, (_, i) => `eni-0${(i % 7).toString(16).repeat(12)}${(i >> 3).toString(16).padStart(4, '0')}`);
    names.push('eni-1', '10.0.0.1', 'eni-0bbbbbbbbbbbb0001');
    const encoder = new TextEncoder();
    let seed = 11;
    const random = (n: number): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % n;
    const held: number[] = [];
    for (let round = 0; round < 20000; round++) {
      const name = names[random(names.length)];
      const line = `x ${name} y`;
      const way = random(3);
      const id =
        way === 0
          ? intern.idOfInterface(line, 2, 2 + name.length)
          : way === 1
            ? intern.idOfInterfaceBytes(encoder.encode(line), 2, 2 + name.length, line, 2)
            : intern.idOfUnits(Uint16Array.from(line, (c) => c.charCodeAt(0)), 2, 2 + name.length, true);
      assert.equal(intern.value(id), name);
      assert.equal(intern.idOf(line, 2, 2 + name.length), id);
      if (random(4) === 0) {
        intern.retain(id);
        held.push(id);
      } else intern.sweep(id);
      if (held.length > 50) intern.release(held.shift() as number);
    }
  });

  it('interning: a canonical IPv4 address is its own number, any other text an interned id', () => {
    const intern = new StringIntern();
    const id = intern.idOfString('10.0.1.5');
    assert.equal(id >>> 0, 0x0a000105);
    assert.equal(intern.idOf('x 10.0.1.5 y', 2, 10), id);
    assert.equal(intern.idOfIPv4(0x0a000105, 'x 10.0.1.5 y', 2, 10), id);
    assert.equal(intern.value(intern.idOfString('203.0.113.250')), '203.0.113.250');
    assert.equal(intern.size, 0, 'addresses take no room in the table');
    // Text that names the same number but is not its canonical form is another value.
    for (const text of ['010.0.1.5', '10.0.1.05', '10.0.1.5.', '10.0.1', '10.0.1.256', '1.2.3.4a']) {
      const other = intern.idOfString(text);
      assert.notEqual(other, id, text);
      assert.equal(intern.value(other), text);
    }
    // 255.0.0.0/8 shares its ids' top byte with interned values: interned as text, never -1.
    const broadcast = intern.idOfString('255.255.255.255');
    assert.notEqual(broadcast, -1);
    assert.equal(intern.idOfIPv4(0xffffffff, '255.255.255.255', 0, 15), broadcast);
    assert.equal(intern.value(broadcast), '255.255.255.255');
    assert.notEqual(intern.idOfString('255.0.0.1'), broadcast);
    // Counting holders of an address is a no-op: giving it back leaves the interned values alone.
    intern.retain(id);
    intern.release(id);
    intern.sweep(id);
    assert.equal(intern.value(id), '10.0.1.5');
  });

  it('endpoint order: as `addr port` strings compare', () => {
    const octet = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0, 1, 2, 9, 10, 19, 20, 25, 99, 100, 199, 200, 249, 250, 255));
    const quad = fc.tuple(octet, octet, octet, octet).map((octets) => octets.join('.'));
    const address = fc.oneof(
      fc.constantFrom('10.0.0.1', '10.0.0.12', '10.0.0.1a', '10.0.0.', '2001:db8::1', '2001:db8::', '-', '255.255.255.255', '010.0.0.1'),
      quad,
      quad,
      fc.string({ minLength: 1, maxLength: 6 }).filter((s) => !s.includes(' ')),
    );
    const port = fc.oneof(fc.constantFrom(-1, 0, 5, 53, 443, 80, 8080), fc.integer({ min: -1, max: 70000 }));
    check(
      'endpoint-order',
      fc.property(address, port, address, port, (a, aPort, b, bPort) => {
        const intern = new StringIntern();
        const x = intern.idOfString(a);
        const y = intern.idOfString(b);
        assert.equal(intern.endpointBefore(x, aPort, y, bPort), `${a} ${aPort}` < `${b} ${bPort}`);
      }),
    );
  });
});
