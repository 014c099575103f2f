/**
 * The default audience: every location of the bundled reference table, with the realistic mix of
 * audience.ts. Kept apart from the simulation so that the EC2 bundle, which carries its audience
 * precomputed, does not need the reference CSV at run time.
 */
import { readBundledLocations } from '../model/locations';
import { audienceFromLocations, type AudienceLocation } from './audience';

let cached: readonly AudienceLocation[] | undefined;

export function bundledAudience(): readonly AudienceLocation[] {
  cached ??= Object.freeze(audienceFromLocations(readBundledLocations()));
  return cached;
}
