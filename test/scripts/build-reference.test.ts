import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import countries, { type Country } from 'world-countries';
import { BUNDLED_LOCATIONS_PATH } from '../../model/locations';
import { buildLocations, buildReferenceCsv, changedIds, continentOf } from '../../scripts/build-reference';

function withCountry(code: string, change: Partial<Country>): Country[] {
  return countries.map((country) => (country.cca2 === code ? { ...country, ...change } : country));
}

describe('scripts/build-reference', () => {
  it('rebuilds exactly the committed model/reference/countries_continents.csv (run npm run build:reference if not)', () => {
    expect(buildReferenceCsv()).to.equal(readFileSync(BUNDLED_LOCATIONS_PATH, 'utf8'));
  });

  const continents: ReadonlyArray<[string, string, string]> = [
    ['Americas', 'North America', 'North America'],
    ['Americas', 'Northern America', 'North America'],
    ['Americas', 'Central America', 'North America'],
    ['Americas', 'Caribbean', 'North America'],
    ['Americas', 'South America', 'South America'],
    ['Antarctic', '', 'Antarctica'],
    ['Africa', 'Northern Africa', 'Africa'],
    ['Asia', 'Western Asia', 'Asia'],
    ['Europe', 'Southeast Europe', 'Europe'],
    ['Oceania', 'Polynesia', 'Oceania'],
  ];
  for (const [region, subregion, continent] of continents) {
    it(`puts region ${region} / subregion "${subregion}" in ${continent}`, () => {
      expect(continentOf({ cca2: 'ZZ', region, subregion })).to.equal(continent);
    });
  }

  it('fails on a region it has no continent for, naming the country and the fix', () => {
    expect(() => continentOf({ cca2: 'ZZ', region: 'Americas', subregion: 'Polar America' })).to.throw(
      'world-countries: ZZ has region "Americas" / subregion "Polar America", which scripts/build-reference.ts does not map to a continent; add it to the mapping',
    );
    expect(() => continentOf({ cca2: 'ZZ', region: 'Atlantis', subregion: '' })).to.throw(/ZZ has region "Atlantis"/);
  });

  it('leaves out countries whose code is not officially assigned', () => {
    const codes = buildLocations(withCountry('AD', { status: 'user-assigned' })).map((location) => location.isoAlpha2);
    expect(codes).to.not.include('AD');
    expect(codes).to.include('DE');
  });

  it('gives a newly listed country the id after the last one when its code sorts last', () => {
    const before = buildLocations(countries);
    const newcomer: Country = { ...countries.find((country) => country.cca2 === 'ZW')!, cca2: 'ZZ', cca3: 'ZZZ', ccn3: '999', name: { common: 'Newland', official: 'Newland', native: {} } };
    const after = buildLocations([...countries, newcomer]);
    expect(after.slice(0, before.length)).to.deep.equal(before);
    expect(after[after.length - 1]).to.deep.include({ id: before.length + 1, countryName: 'Newland', isoAlpha2: 'ZZ' });
  });

  it('fails when an original country is missing from the package', () => {
    const withoutSaoTome = countries.filter((country) => country.cca2 !== 'ST');
    expect(() => buildLocations(withoutSaoTome)).to.throw(
      'world-countries has no officially assigned country ST for original id 39 "Sao Tome"; fix ORIGINAL_LOCATIONS',
    );
  });

  it('fails when the package puts an original country on another continent than the original file', () => {
    expect(() => buildLocations(withCountry('TR', { region: 'Europe', subregion: 'Southeast Europe' }))).to.throw(
      'original id 44 "Turkey" is in Asia, but TR (Türkiye) maps to Europe; check its alpha-2 code',
    );
  });

  it('reports the ids a rebuild would give another country, so renumbering is caught before writing', () => {
    const before = buildLocations(countries);
    const newcomer: Country = { ...countries.find((country) => country.cca2 === 'AD')!, cca2: 'AB', cca3: 'ABB', ccn3: '998', name: { common: 'Abland', official: 'Abland', native: {} } };
    const after = buildLocations([...countries, newcomer]);
    const changed = changedIds(before, after);
    expect(changed.slice(0, 2)).to.deep.equal(['46 (AD → AB)', '47 (AE → AD)']);
    expect(changed).to.have.length(before.length - 45);
    expect(changedIds(before, buildLocations(countries))).to.deep.equal([]);
    expect(changedIds(before, before.slice(0, -1))).to.deep.equal([`${before.length} (ZW → gone)`]);
  });
});
