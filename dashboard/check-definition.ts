/**
 * Checks a dashboard definition against the catalogue and the datasets' real columns, before either
 * rendering: a wrong name here would otherwise show as an empty visual in QuickSight and a blank
 * chart locally. Returns every problem found, each naming the visual, dataset or filter at fault.
 */
import type { NamedQuery } from '../queries/catalogue';
import { parseParameterValue, type ParameterType } from '../queries/parameters';
import type { ColumnKind } from '../queries/result';
import type { QueryColumns } from './dataset-columns';
import { LAYOUT_COLUMNS, visualColumns, visualFields, type DashboardDefinition, type DashboardFilter } from './schema';

const NUMERIC: readonly ColumnKind[] = ['integer', 'decimal'];
const ID_PATTERN = /^[a-z][a-z0-9_]*$/;

/** The query parameters a filter sets, with the type each must have. */
export function filterParameters(filter: DashboardFilter): { readonly name: string; readonly type: ParameterType }[] {
  return filter.kind === 'date_range'
    ? [
        { name: filter.startParameter, type: 'date' },
        { name: filter.endParameter, type: 'date' },
      ]
    : [{ name: filter.parameter, type: 'string' }];
}

/** Each value that occurs more than once, listed once. */
export function duplicates(values: readonly string[]): string[] {
  return [...new Set(values.filter((value, index) => values.indexOf(value) !== index))];
}

export function checkDefinition(
  definition: DashboardDefinition,
  queries: readonly NamedQuery[],
  columnsByQuery: QueryColumns,
): string[] {
  const problems: string[] = [];
  const datasetIds = definition.datasets.map((dataset) => dataset.id);
  const visualIds = definition.visuals.map((visual) => visual.id);
  const filterIds = definition.filters.map((filter) => filter.id);
  for (const [what, ids] of [['dataset', datasetIds], ['visual', visualIds], ['filter', filterIds]] as const) {
    for (const id of duplicates(ids)) problems.push(`${what} id "${id}" is used twice; ids must be unique`);
    for (const id of ids.filter((candidate) => !ID_PATTERN.test(candidate))) {
      problems.push(`${what} id "${id}" must be snake_case (a-z, 0-9, _), starting with a letter`);
    }
  }

  for (const dataset of definition.datasets) {
    const query = queries.find((candidate) => candidate.name === dataset.query);
    if (!query) {
      problems.push(`dataset ${dataset.id}: no named query "${dataset.query}" in the catalogue (queries/*.sql)`);
      continue;
    }
    for (const filter of definition.filters) {
      for (const wanted of filterParameters(filter)) {
        const declared = query.parameters.find((parameter) => parameter.name === wanted.name);
        if (!declared) {
          problems.push(`dataset ${dataset.id}: query ${query.name} has no parameter ${wanted.name}, which filter ${filter.id} sets; add it to ${query.name}.sql`);
        } else if (declared.type !== wanted.type) {
          problems.push(`dataset ${dataset.id}: parameter ${wanted.name} of ${query.name} is ${declared.type}, but filter ${filter.id} gives a ${wanted.type}`);
        }
      }
    }
    for (const [name, text] of Object.entries(dataset.fixedParameters ?? {})) {
      const declared = query.parameters.find((parameter) => parameter.name === name);
      if (!declared) {
        problems.push(`dataset ${dataset.id}: fixed parameter ${name} is not a parameter of ${query.name}`);
        continue;
      }
      const parsed = parseParameterValue(declared.type, text);
      if ('problem' in parsed) problems.push(`dataset ${dataset.id}: fixed parameter ${name}: ${parsed.problem}`);
    }
    if (!definition.visuals.some((visual) => visual.dataset === dataset.id)) {
      problems.push(`dataset ${dataset.id} is declared but no visual uses it; remove it or add a visual`);
    }
  }

  for (const visual of definition.visuals) {
    const dataset = definition.datasets.find((candidate) => candidate.id === visual.dataset);
    if (!dataset) {
      problems.push(`visual ${visual.id}: dataset "${visual.dataset}" is not declared; declared: ${datasetIds.join(', ')}`);
      continue;
    }
    const columns = columnsByQuery[dataset.query];
    if (!columns) continue;
    const kindOf = (name: string) => columns.find((column) => column.name === name)?.kind;
    for (const name of visualColumns(visual)) {
      if (kindOf(name) === undefined) {
        problems.push(`visual ${visual.id}: column "${name}" is not in dataset ${dataset.id} (columns: ${columns.map((column) => column.name).join(', ')})`);
      }
    }
    for (const measure of visualFields(visual).measures) {
      const kind = kindOf(measure.column);
      if (kind !== undefined && !NUMERIC.includes(kind)) {
        problems.push(`visual ${visual.id}: value column ${measure.column} is ${kind}; a measure must be a number`);
      }
    }
    if (visual.kind === 'line') {
      const kind = kindOf(visual.date.column);
      if (kind !== undefined && kind !== 'date') problems.push(`visual ${visual.id}: date column ${visual.date.column} is ${kind}, not a date`);
    }
  }

  for (const filter of definition.filters) {
    if (filter.kind === 'choice' && filter.narrowedBy !== undefined) {
      const parent = definition.filters.find((candidate) => candidate.id === filter.narrowedBy);
      if (parent?.kind !== 'choice') problems.push(`filter ${filter.id}: narrowedBy "${filter.narrowedBy}" is not a choice filter`);
    }
    if (filter.kind === 'date_range' && (!Number.isInteger(filter.defaultLastDays) || filter.defaultLastDays < 1)) {
      problems.push(`filter ${filter.id}: defaultLastDays is ${filter.defaultLastDays}; give a whole number of days, at least 1`);
    }
  }

  const placed = definition.sheets.flatMap((sheet) => sheet.rows.flatMap((row) => row.cells.map((cell) => cell.visual)));
  for (const id of duplicates(placed)) problems.push(`visual ${id} is placed more than once in the layout`);
  for (const id of visualIds.filter((candidate) => !placed.includes(candidate))) problems.push(`visual ${id} is not placed in any sheet's layout`);
  for (const id of placed.filter((candidate) => !visualIds.includes(candidate))) problems.push(`the layout places "${id}", which is not a visual`);
  for (const sheet of definition.sheets) {
    sheet.rows.forEach((row, index) => {
      const width = row.cells.reduce((sum, cell) => sum + cell.width, 0);
      if (width > LAYOUT_COLUMNS || row.cells.some((cell) => !Number.isInteger(cell.width) || cell.width < 1)) {
        problems.push(`sheet ${sheet.id} row ${index + 1}: widths must be whole twelfths adding up to at most ${LAYOUT_COLUMNS} (they add up to ${width})`);
      }
      if (!Number.isInteger(row.height) || row.height < 1) problems.push(`sheet ${sheet.id} row ${index + 1}: height must be a whole number of grid rows`);
    });
  }
  return problems;
}
