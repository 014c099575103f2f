/**
 * Checks a rendered QuickSight definition for the mistakes QuickSight accepts silently or reports
 * only as an empty visual after deployment: duplicate visual ids, visuals missing from the layout,
 * dataset identifiers declared but unused (or used but undeclared), fields naming a column their
 * dataset lacks, parameters and scopes that point nowhere. It reads the definition as plain data,
 * exactly as it is sent, so it checks the rendering rather than the intent.
 */
import { duplicates } from '../check-definition';

/** What the datasets offer: column names and parameter names, by dataset identifier. */
export interface DatasetShape {
  readonly columns: readonly string[];
  readonly parameters: readonly string[];
}

type Json = unknown;

function record(value: Json): Record<string, Json> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, Json>) : {};
}

function list(value: Json): Json[] {
  return Array.isArray(value) ? value : [];
}

/** Every object in the tree, with the path that leads to it. */
function* objects(value: Json, path = ''): Generator<{ readonly node: Record<string, Json>; readonly path: string }> {
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) yield* objects(item, `${path}[${index}]`);
  } else if (value !== null && typeof value === 'object') {
    const node = value as Record<string, Json>;
    yield { node, path };
    for (const [key, child] of Object.entries(node)) yield* objects(child, path === '' ? key : `${path}.${key}`);
  }
}

/** The one visual object inside a `{ kpiVisual: {...} }`-style union member. */
function visualBody(visual: Json): Record<string, Json> {
  const members = Object.values(record(visual));
  return record(members[0]);
}

export function checkRenderedDefinition(definition: Json, datasets: ReadonlyMap<string, DatasetShape>): string[] {
  const problems: string[] = [];
  const root = record(definition);
  const sheets = list(root.sheets).map(record);

  // Visual ids: unique across the analysis, and each placed exactly once in its sheet's layout.
  const allVisualIds: string[] = [];
  for (const sheet of sheets) {
    const sheetId = String(sheet.sheetId);
    const visualIds = list(sheet.visuals).map((visual) => String(visualBody(visual).visualId));
    allVisualIds.push(...visualIds);
    const placed = list(sheet.layouts).flatMap((layout) =>
      list(record(record(record(layout).configuration).gridLayout).elements)
        .map(record)
        .filter((element) => element.elementType === 'VISUAL')
        .map((element) => String(element.elementId)),
    );
    for (const id of visualIds.filter((visualId) => !placed.includes(visualId))) problems.push(`sheet ${sheetId}: visual ${id} is not placed in the layout`);
    for (const id of duplicates(placed)) problems.push(`sheet ${sheetId}: visual ${id} is placed more than once`);
    for (const id of placed.filter((elementId) => !visualIds.includes(elementId))) problems.push(`sheet ${sheetId}: the layout places ${id}, which is not a visual of the sheet`);
  }
  for (const id of duplicates(allVisualIds)) problems.push(`visual id ${id} is used more than once`);

  // Dataset identifiers: declared once, each used, none used undeclared; columns exist.
  const declared = list(root.dataSetIdentifierDeclarations).map((declaration) => String(record(declaration).identifier));
  for (const id of duplicates(declared)) problems.push(`dataset identifier ${id} is declared more than once`);
  const used = new Set<string>();
  // A calculated field is a column of its dataset for every field that names it.
  const calculated = new Map<string, string[]>();
  for (const field of list(root.calculatedFields).map(record)) {
    const identifier = String(field.dataSetIdentifier);
    calculated.set(identifier, [...(calculated.get(identifier) ?? []), String(field.name)]);
  }
  for (const { node, path } of objects(root)) {
    if (typeof node.dataSetIdentifier !== 'string' || path.startsWith('dataSetIdentifierDeclarations')) continue;
    const identifier = node.dataSetIdentifier;
    used.add(identifier);
    if (!declared.includes(identifier)) {
      problems.push(`${path}: dataset identifier ${identifier} is not declared (declared: ${declared.join(', ')})`);
      continue;
    }
    const shape = datasets.get(identifier);
    const columns = [...(shape?.columns ?? []), ...(calculated.get(identifier) ?? [])];
    if (typeof node.columnName === 'string' && shape && !columns.includes(node.columnName)) {
      problems.push(`${path}: column ${node.columnName} is not in dataset ${identifier} (columns: ${columns.join(', ')})`);
    }
    if (typeof node.dataSetParameterName === 'string' && shape && !shape.parameters.includes(node.dataSetParameterName)) {
      problems.push(`${path}: dataset ${identifier} has no parameter ${node.dataSetParameterName} (parameters: ${shape.parameters.join(', ')})`);
    }
  }
  for (const id of declared.filter((identifier) => !used.has(identifier))) problems.push(`dataset identifier ${id} is declared but no visual, filter or parameter uses it`);
  for (const id of declared.filter((identifier) => !datasets.has(identifier))) problems.push(`dataset identifier ${id} names no deployed dataset`);

  // Field ids: unique, and every sort names a field of its own visual.
  const fieldIds: string[] = [];
  for (const sheet of sheets) {
    for (const visual of list(sheet.visuals)) {
      const body = visualBody(visual);
      const own = [...objects(body.chartConfiguration)]
        .filter(({ node, path }) => typeof node.fieldId === 'string' && path.includes('fieldWells'))
        .map(({ node }) => String(node.fieldId));
      fieldIds.push(...own);
      for (const { node, path } of objects(body.chartConfiguration)) {
        if (path.endsWith('fieldSort') && typeof node.fieldId === 'string' && !own.includes(node.fieldId)) {
          problems.push(`visual ${String(body.visualId)}: ${path} sorts by field ${node.fieldId}, which is not in its field wells`);
        }
      }
    }
  }
  for (const id of duplicates(fieldIds)) problems.push(`field id ${id} is used more than once`);

  // Parameters: controls and mappings name declared parameters.
  const parameterNames = list(root.parameterDeclarations).map((declaration) => String(visualBody(declaration).name));
  for (const name of duplicates(parameterNames)) problems.push(`parameter ${name} is declared more than once`);
  for (const sheet of sheets) {
    for (const control of list(sheet.parameterControls)) {
      const body = visualBody(control);
      if (!parameterNames.includes(String(body.sourceParameterName))) {
        problems.push(`sheet ${String(sheet.sheetId)}: control ${String(body.parameterControlId)} reads parameter ${String(body.sourceParameterName)}, which is not declared`);
      }
    }
  }

  // Filter scopes: name existing sheets and visuals.
  for (const group of list(root.filterGroups).map(record)) {
    for (const scope of list(record(record(group.scopeConfiguration).selectedSheets).sheetVisualScopingConfigurations).map(record)) {
      const sheet = sheets.find((candidate) => candidate.sheetId === scope.sheetId);
      if (!sheet) {
        problems.push(`filter group ${String(group.filterGroupId)}: scoped to sheet ${String(scope.sheetId)}, which does not exist`);
        continue;
      }
      const visualIds = list(sheet.visuals).map((visual) => String(visualBody(visual).visualId));
      for (const id of list(scope.visualIds).map(String).filter((visualId) => !visualIds.includes(visualId))) {
        problems.push(`filter group ${String(group.filterGroupId)}: scoped to visual ${id}, which is not on sheet ${String(scope.sheetId)}`);
      }
    }
  }
  return problems;
}
