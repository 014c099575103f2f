/**
 * The page's static assets, built when the server starts and kept in memory: the client script
 * bundled by esbuild with the ECharts modules it uses, its stylesheet and HTML, and the world map as
 * GeoJSON from the world-atlas TopoJSON (regions named by ISO 3166-1 numeric code, the key events
 * and reference data carry). Everything comes from node_modules: the page needs no network.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { feature } from 'topojson-client';

const CLIENT_DIR = join(__dirname, 'client');
const ANTARCTICA = '010';

export interface PageAssets {
  readonly html: string;
  readonly script: string;
  readonly stylesheet: string;
  /** GeoJSON FeatureCollection; each feature's `name` is its ISO numeric code, `label` its name. */
  readonly world: string;
}

async function bundleClient(): Promise<string> {
  const result = await build({
    entryPoints: [join(CLIENT_DIR, 'main.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    // DASHBOARD_DEBUG=1 serves readable code, so a browser's stack trace names real functions.
    minify: process.env.DASHBOARD_DEBUG === undefined,
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
  });
  return result.outputFiles[0].text;
}

interface CountryProperties {
  readonly name: string;
}

type Position = number[];

/**
 * A ring that crosses the antimeridian (Fiji, Chukotka) has points near +180 and near -180; drawn
 * as is, it becomes a band across the whole map. Its western points are moved to the +180 edge.
 */
function keepEastOfAntimeridian(ring: Position[]): Position[] {
  const longitudes = ring.map((position) => position[0]);
  if (Math.max(...longitudes) - Math.min(...longitudes) <= 180) return ring;
  return ring.map(([longitude, latitude]) => [longitude < 0 ? 180 : longitude, latitude]);
}

function withoutAntimeridianBands(geometry: Geometry): Geometry {
  if (geometry.type === 'Polygon') return { ...geometry, coordinates: geometry.coordinates.map(keepEastOfAntimeridian) };
  if (geometry.type === 'MultiPolygon') return { ...geometry, coordinates: geometry.coordinates.map((polygon) => polygon.map(keepEastOfAntimeridian)) };
  return geometry;
}

/** world-atlas countries at 1:110m, as GeoJSON keyed for the map series. */
export function worldGeoJson(): FeatureCollection {
  const topology = JSON.parse(readFileSync(require.resolve('world-atlas/countries-110m.json'), 'utf8')) as Topology<{
    countries: GeometryCollection<CountryProperties>;
  }>;
  const countries = feature(topology, topology.objects.countries);
  // Antarctica spans every longitude: drawn flat it is a band across the whole map, and no one there
  // browses the shop.
  const features = countries.features.filter((country) => country.id !== ANTARCTICA).map(
    (country): Feature<Geometry, { name: string; label: string }> => ({
      type: 'Feature',
      geometry: withoutAntimeridianBands(country.geometry),
      // A few disputed areas have no ISO code: they keep their name and are never shaded.
      properties: { name: country.id === undefined ? country.properties.name : String(country.id), label: country.properties.name },
    }),
  );
  return { type: 'FeatureCollection', features };
}

export async function buildPageAssets(): Promise<PageAssets> {
  return {
    html: readFileSync(join(CLIENT_DIR, 'index.html'), 'utf8'),
    script: await bundleClient(),
    stylesheet: readFileSync(join(CLIENT_DIR, 'style.css'), 'utf8'),
    world: JSON.stringify(worldGeoJson()),
  };
}
