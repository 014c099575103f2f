import { CONTINENTS, type Location } from '../model/locations';
import type { ChoiceSource } from './schema';

/** One value of a choice filter; `parent` is the value of the filter that narrows it (a country's continent). */
export interface Choice {
  readonly value: string;
  readonly label: string;
  readonly parent?: string;
}

export type ChoiceLists = Readonly<Record<ChoiceSource, readonly Choice[]>>;

/**
 * The values the continent and country filters offer, from the reference data the ETL joins events
 * with: every continent that has a country, in the model's order, and every country by name.
 */
export function choiceLists(locations: readonly Location[]): ChoiceLists {
  const continents = CONTINENTS.filter((continent) => locations.some((location) => location.continent === continent));
  const countries = [...new Map(locations.map((location) => [location.countryName, location])).values()]
    .sort((a, b) => a.countryName.localeCompare(b.countryName, 'en'))
    .map((location) => ({ value: location.countryName, label: location.countryName, parent: location.continent }));
  return { continents: continents.map((continent) => ({ value: continent, label: continent })), countries };
}
