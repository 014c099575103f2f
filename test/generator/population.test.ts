import { expect } from 'chai';
import { bundledAudience } from '../../generator/default-audience';
import { Population } from '../../generator/population';
import { Random } from '../../generator/random';

describe('Population', function () {
  const audience = bundledAudience();

  it('gives distinct users distinct 10-letter ids, the same on every ask', function () {
    const population = new Population('ids', 200_000, audience, 0);
    const ids = new Set<string>();
    for (const zone of population.zones) {
      for (let index = zone.first; index < zone.first + zone.count; index++) ids.add(population.user(index).id);
    }
    expect(ids.size).to.equal(200_000);
    const zone = population.zones[0];
    expect(population.user(zone.first)).to.deep.equal(population.user(zone.first));
    expect([...ids].every((id) => /^[a-z]{10}$/.test(id))).to.equal(true);
  });

  it('splits every user into exactly one clock, in proportion to the audience', function () {
    const population = new Population('zones', 10_000, audience, 0);
    expect(population.zones.reduce((sum, zone) => sum + zone.count, 0)).to.equal(10_000);
    population.zones.forEach((zone, index) => {
      if (index > 0) expect(zone.first).to.equal(population.zones[index - 1].first + population.zones[index - 1].count);
    });
    const us = population.zones.find((zone) => zone.utcOffsetHours === -6);
    const japan = population.zones.find((zone) => zone.utcOffsetHours === 9);
    expect(us?.count).to.be.above(5 * (japan?.count ?? 0));
  });

  it('draws regulars more often than occasional visitors', function () {
    const population = new Population('activity', 10_000, audience, 0);
    const zone = population.zones.reduce((a, b) => (a.count > b.count ? a : b));
    const random = new Random('draws');
    const counts = new Map<number, number>();
    for (let draw = 0; draw < 20_000; draw++) {
      const index = population.drawIndex(zone, random);
      counts.set(index, (counts.get(index) ?? 0) + 1);
    }
    const sorted = [...counts.values()].sort((a, b) => b - a);
    const top = sorted.slice(0, Math.ceil(zone.count / 100)).reduce((sum, count) => sum + count, 0);
    expect(top / 20_000).to.be.within(0.05, 0.2);
  });

  it('remembers until when a user is in a visit', function () {
    const population = new Population('busy', 10, audience, 1_800_000_000);
    expect(population.freeFrom(3)).to.equal(-Infinity);
    population.busyTill(3, 1_800_003_600);
    expect(population.freeFrom(3)).to.equal(1_800_003_600);
  });
});
