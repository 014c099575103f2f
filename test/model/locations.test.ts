import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { expect } from 'chai';
import countries from 'world-countries';
import {
  BUNDLED_LOCATIONS_PATH,
  LOCATION_COLUMNS,
  locationIndex,
  locationsCsv,
  parseLocationsCsv,
  readBundledLocations,
  type Location,
} from '../../model/locations';
import { LOCATIONS } from '../../model/tables';

const SEED_PATH = join(__dirname, '..', 'fixtures', 'seed', 'countries_continents.csv');
const HEADER = 'location_id,country_name,continent,iso_alpha2,iso_alpha3,iso_numeric';
const CONTINENT_LIST = 'Africa, Antarctica, Asia, Europe, North America, Oceania, South America';

function byAlpha2(locations: readonly Location[], code: string): Location {
  const found = locations.filter((location) => location.isoAlpha2 === code);
  expect(found, `locations with alpha-2 ${code}`).to.have.length(1);
  return found[0];
}

describe('model/locations', () => {
  describe('the CSV columns', () => {
    it('are the columns of the locations table in model/tables.ts, in order', () => {
      expect([...LOCATION_COLUMNS]).to.deep.equal(LOCATIONS.columns.map((column) => column.name));
    });

    it('are the header locationsCsv writes', () => {
      expect(locationsCsv([]).split('\n')[0]).to.equal(LOCATION_COLUMNS.join(','));
    });
  });

  describe('the bundled reference file', () => {
    const bundled = readBundledLocations();
    const officialCountries = countries.filter((country) => country.status === 'officially-assigned');

    it('lives at an absolute path under model/reference/', () => {
      expect(isAbsolute(BUNDLED_LOCATIONS_PATH)).to.equal(true);
      expect(BUNDLED_LOCATIONS_PATH).to.match(/model[\\/]reference[\\/]countries_continents\.csv$/);
    });

    it('keeps ids 1–45 for the same country names and continents as the original file', () => {
      const seed = parseLocationsCsv(readFileSync(SEED_PATH, 'utf8'), SEED_PATH);
      expect(seed).to.have.length(45);
      const kept = bundled.filter((location) => location.id <= 45).map(({ id, countryName, continent }) => ({ id, countryName, continent }));
      expect(kept).to.deep.equal(seed.map(({ id, countryName, continent }) => ({ id, countryName, continent })));
    });

    it('has every officially assigned ISO 3166-1 country of world-countries exactly once, and nothing else', () => {
      const codes = bundled.map((location) => location.isoAlpha2);
      expect([...codes].sort()).to.deep.equal(officialCountries.map((country) => country.cca2).sort());
      expect(codes).to.not.include('XK');
    });

    it('has the alpha-3 and numeric codes world-countries gives for each alpha-2', () => {
      const expected = officialCountries.map((country) => [country.cca2, country.cca3, country.ccn3]).sort();
      const actual = bundled.map((location) => [location.isoAlpha2, location.isoAlpha3, location.isoNumeric]).sort();
      expect(actual).to.deep.equal(expected);
    });

    it('numbers the added countries from 46 on, without gaps, in alpha-2 order', () => {
      expect(bundled.map((location) => location.id)).to.deep.equal(bundled.map((_, index) => index + 1));
      const added = bundled.filter((location) => location.id >= 46).map((location) => location.isoAlpha2 ?? '');
      expect(added).to.deep.equal([...added].sort());
    });

    const continentCases: ReadonlyArray<[string, string, string]> = [
      ['ST', 'Sao Tome', 'Africa'],
      ['CV', 'Cape Verde', 'Africa'],
      ['CZ', 'Czech Republic', 'Europe'],
      ['HK', 'Hong Kong', 'Asia'],
      ['IR', 'Iran', 'Asia'],
      ['TR', 'Turkey', 'Asia'],
      ['US', 'United States', 'North America'],
      ['GB', 'United Kingdom', 'Europe'],
      ['CA', 'Canada', 'North America'],
      ['PA', 'Panama', 'North America'],
      ['JM', 'Jamaica', 'North America'],
      ['CL', 'Chile', 'South America'],
      ['AQ', 'Antarctica', 'Antarctica'],
      ['FJ', 'Fiji', 'Oceania'],
      ['SH', 'Saint Helena, Ascension and Tristan da Cunha', 'Africa'],
    ];
    for (const [code, name, continent] of continentCases) {
      it(`maps ${code} to "${name}" in ${continent}`, () => {
        const location = byAlpha2(bundled, code);
        expect([location.countryName, location.continent]).to.deep.equal([name, continent]);
      });
    }

    it('is parsed once: later calls return equal data that a caller cannot change', () => {
      const first = readBundledLocations();
      first.reverse();
      expect(() => {
        (first[0] as { countryName: string }).countryName = 'changed';
      }).to.throw(TypeError);
      expect(readBundledLocations()).to.deep.equal(bundled);
      expect(readBundledLocations()[0]).to.equal(bundled[0]);
    });
  });

  describe('parseLocationsCsv', () => {
    const ours = `${HEADER}\n17,France,Europe,FR,FRA,250\n"3",Argentina,South America,AR,ARG,032\n`;
    const france: Location = { id: 17, countryName: 'France', continent: 'Europe', isoAlpha2: 'FR', isoAlpha3: 'FRA', isoNumeric: '250' };
    const argentina: Location = { id: 3, countryName: 'Argentina', continent: 'South America', isoAlpha2: 'AR', isoAlpha3: 'ARG', isoNumeric: '032' };

    const tolerated: ReadonlyArray<[string, string]> = [
      ['no trailing newline', ours.trimEnd()],
      ['CRLF line ends', ours.replace(/\n/g, '\r\n')],
      ['a UTF-8 byte order mark', `\uFEFF${ours}`],
      ['several trailing newlines', `${ours}\n\n`],
    ];
    for (const [label, text] of tolerated) {
      it(`reads our format with ${label}`, () => {
        expect(parseLocationsCsv(text, 'countries.csv')).to.deep.equal([france, argentina]);
      });
    }

    it('reads the original semicolon format, with null ISO codes', () => {
      const seed = parseLocationsCsv(readFileSync(SEED_PATH, 'utf8'), SEED_PATH);
      expect(seed[38]).to.deep.equal({ id: 39, countryName: 'Sao Tome', continent: 'Africa', isoAlpha2: null, isoAlpha3: null, isoNumeric: null });
      expect(seed.map((location) => location.id)).to.deep.equal(seed.map((_, index) => index + 1));
    });

    it('reads the original format with CRLF and a BOM', () => {
      expect(parseLocationsCsv('\uFEFFID;country-name;continent\r\n1;United States;North America\r\n', 'old.csv')).to.deep.equal([
        { id: 1, countryName: 'United States', continent: 'North America', isoAlpha2: null, isoAlpha3: null, isoNumeric: null },
      ]);
    });

    it('reads empty ISO codes as null', () => {
      expect(parseLocationsCsv(`${HEADER}\n1,Atlantis Reef,Oceania,,,\n`, 'countries.csv')[0]).to.deep.equal({
        id: 1,
        countryName: 'Atlantis Reef',
        continent: 'Oceania',
        isoAlpha2: null,
        isoAlpha3: null,
        isoNumeric: null,
      });
    });

    it('reads back what locationsCsv writes, names with commas and quotes included', () => {
      const tricky: Location[] = [
        france,
        { id: 2, countryName: 'Saint Helena, Ascension and Tristan da Cunha', continent: 'Africa', isoAlpha2: 'SH', isoAlpha3: 'SHN', isoNumeric: '654' },
        { id: 3, countryName: 'The "Quoted" Isles', continent: 'Oceania', isoAlpha2: null, isoAlpha3: null, isoNumeric: null },
      ];
      const csv = locationsCsv(tricky);
      expect(csv).to.include('\n2,"Saint Helena, Ascension and Tristan da Cunha",Africa,SH,SHN,654\n');
      expect(csv).to.include('\n3,"The ""Quoted"" Isles",Oceania,,,\n');
      expect(parseLocationsCsv(csv, 'roundtrip.csv')).to.deep.equal(tricky);
    });

    const row = (fields: string): string => `${HEADER}\n1,France,Europe,FR,FRA,250\n${fields}\n`;
    const errors: ReadonlyArray<[string, string, string]> = [
      ['an empty file', '', `countries.csv: the file is empty; expected the header "${HEADER}" and one row per location`],
      ['a header only', `${HEADER}\n`, 'countries.csv: no locations after the header; add one row per location'],
      [
        'an unknown header',
        'id,name,continent\n1,France,Europe\n',
        `countries.csv line 1: header "id,name,continent" is not a known locations header; use "${HEADER}" (clickstream-bi format) or "ID;country-name;continent" (original format)`,
      ],
      ['an empty line inside the table', `${HEADER}\n\n1,France,Europe,FR,FRA,250\n`, 'countries.csv line 2: empty line inside the table; remove it'],
      [
        'too few fields',
        row('2,Spain,Europe'),
        `countries.csv line 3: 3 fields, expected 6 (${HEADER}); quote a name that contains a comma`,
      ],
      [
        'an unquoted name with a comma',
        row('2,Korea, Republic of,Asia,KR,KOR,410'),
        `countries.csv line 3: 7 fields, expected 6 (${HEADER}); quote a name that contains a comma`,
      ],
      [
        'too many fields in the original format',
        'ID;country-name;continent\n1;France;Europe;FR\n',
        'countries.csv line 2: 4 fields, expected 3 (ID;country-name;continent)',
      ],
      ['a non-numeric id', row('x2,Spain,Europe,ES,ESP,724'), 'countries.csv line 3: location_id "x2" is not a positive integer; use 1, 2, 3, ...'],
      ['a zero id', row('0,Spain,Europe,ES,ESP,724'), 'countries.csv line 3: location_id "0" is not a positive integer; use 1, 2, 3, ...'],
      ['a negative id', row('-2,Spain,Europe,ES,ESP,724'), 'countries.csv line 3: location_id "-2" is not a positive integer; use 1, 2, 3, ...'],
      ['a fractional id', row('2.5,Spain,Europe,ES,ESP,724'), 'countries.csv line 3: location_id "2.5" is not a positive integer; use 1, 2, 3, ...'],
      ['an id in the original format', 'ID;country-name;continent\n01;France;Europe\n', 'countries.csv line 2: ID "01" is not a positive integer; use 1, 2, 3, ...'],
      ['a repeated id', row('1,Spain,Europe,ES,ESP,724'), 'countries.csv line 3: location_id "1" is already used on line 2; ids must be unique'],
      ['an empty country name', row('2,,Europe,ES,ESP,724'), 'countries.csv line 3: country_name is empty; give the country\'s name'],
      ['an unknown continent', row('2,Atlantis,Atlantis,,,'), `countries.csv line 3: continent "Atlantis" is not one of ${CONTINENT_LIST}`],
      ['a lower-case continent', row('2,Spain,europe,ES,ESP,724'), `countries.csv line 3: continent "europe" is not one of ${CONTINENT_LIST}`],
      [
        'an unknown continent in the original format',
        'ID;country-name;continent\n1;France;Eurasia\n',
        `countries.csv line 2: continent "Eurasia" is not one of ${CONTINENT_LIST}`,
      ],
      ['a lower-case alpha-2', row('2,Spain,Europe,es,ESP,724'), 'countries.csv line 3: iso_alpha2 "es" is not two upper-case letters, e.g. "FR"; leave it empty if unknown'],
      ['a three-letter alpha-2', row('2,Spain,Europe,ESP,ESP,724'), 'countries.csv line 3: iso_alpha2 "ESP" is not two upper-case letters, e.g. "FR"; leave it empty if unknown'],
      ['a two-letter alpha-3', row('2,Spain,Europe,ES,ES,724'), 'countries.csv line 3: iso_alpha3 "ES" is not three upper-case letters, e.g. "FRA"; leave it empty if unknown'],
      ['an unpadded numeric code', row('2,Spain,Europe,ES,ESP,24'), 'countries.csv line 3: iso_numeric "24" is not three digits, e.g. "250"; leave it empty if unknown'],
      ['a repeated alpha-2', row('2,Spain,Europe,FR,ESP,724'), 'countries.csv line 3: iso_alpha2 "FR" is already used on line 2; each code must be unique'],
      ['a repeated alpha-3', row('2,Spain,Europe,ES,FRA,724'), 'countries.csv line 3: iso_alpha3 "FRA" is already used on line 2; each code must be unique'],
      ['a repeated numeric code', row('2,Spain,Europe,ES,ESP,250'), 'countries.csv line 3: iso_numeric "250" is already used on line 2; each code must be unique'],
      [
        'an unclosed quote',
        row('2,"Spain,Europe,ES,ESP,724'),
        'countries.csv line 3: a quoted field opened at column 3 is never closed; end it with \'"\' (write a literal quote as "")',
      ],
      [
        'text after a closing quote',
        row('2,"Spain"x,Europe,ES,ESP,724'),
        'countries.csv line 3: text after the closing quote at column 10; put the whole field inside the quotes',
      ],
      [
        'a bare quote inside a field',
        row('2,Sp"ain,Europe,ES,ESP,724'),
        'countries.csv line 3: field "Sp"ain" holds a quote but is not quoted; write it as "Sp""ain" inside quotes',
      ],
    ];
    for (const [label, text, message] of errors) {
      it(`rejects ${label} with a message naming the file, line, value and what is allowed`, () => {
        expect(() => parseLocationsCsv(text, 'countries.csv')).to.throw(Error).with.property('message', message);
      });
    }
  });

  describe('locationsCsv', () => {
    it('writes one row per location after the header, with empty fields for missing codes and a final newline', () => {
      const csv = locationsCsv([
        { id: 17, countryName: 'France', continent: 'Europe', isoAlpha2: 'FR', isoAlpha3: 'FRA', isoNumeric: '250' },
        { id: 46, countryName: 'Nowhere', continent: 'Antarctica', isoAlpha2: null, isoAlpha3: null, isoNumeric: null },
      ]);
      expect(csv).to.equal(`${HEADER}\n17,France,Europe,FR,FRA,250\n46,Nowhere,Antarctica,,,\n`);
    });
  });

  describe('locationIndex', () => {
    it('finds a location by the id string events carry', () => {
      const index = locationIndex(readBundledLocations());
      expect(index.get('17')?.countryName).to.equal('France');
      expect(index.get('39')?.countryName).to.equal('Sao Tome');
      expect(index.has('017')).to.equal(false);
      expect(index.has('0')).to.equal(false);
      expect(index.size).to.equal(readBundledLocations().length);
    });

    it('refuses two locations with one id', () => {
      const one: Location = { id: 5, countryName: 'Brazil', continent: 'South America', isoAlpha2: null, isoAlpha3: null, isoNumeric: null };
      expect(() => locationIndex([one, { ...one, countryName: 'Chile' }])).to.throw(
        'locationIndex: id 5 is used by both "Brazil" and "Chile"; ids must be unique',
      );
    });
  });
});
