import type { MockRun, RecordedResource } from './mock-run';

/**
 * A stage's `@pulumi/aws-native` resources as a CloudFormation template. aws-native resources are
 * CloudFormation resource types (AWS Cloud Control), so AWS's own resource schemas, as `cfn-lint`
 * ships them, check what the program would send: property names, types, patterns, enums, required
 * properties. Values known only once deployed (ARNs of other resources) stay as the mocks give them.
 */
export interface CloudFormationTemplate {
  readonly AWSTemplateFormatVersion: '2010-09-09';
  readonly Description: string;
  readonly Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
}

/** CloudFormation's service names by aws-native module (the module is the name in lower case). */
const SERVICE_NAMES: Readonly<Record<string, string>> = { quicksight: 'QuickSight' };

/**
 * aws-native names a property by writing acronyms as words and lower-casing the first
 * (`ExportToCSVOption` → `exportToCsvOption`): upper-casing the first letter gives the
 * CloudFormation name back, except for these (every such property of the QuickSight schemas).
 */
const ACRONYM_PROPERTIES: Readonly<Record<string, string>> = {
  dataQaEnabledOption: 'DataQAEnabledOption',
  exportToCsvOption: 'ExportToCSVOption',
  kpiOptions: 'KPIOptions',
  kpiVisual: 'KPIVisual',
  urlOperation: 'URLOperation',
  urlStyling: 'URLStyling',
  urlTarget: 'URLTarget',
  urlTemplate: 'URLTemplate',
};

/** Properties whose keys are the program's own ids (QuickSight table maps), kept as they are. */
const MAP_PROPERTIES = new Set(['physicalTableMap', 'logicalTableMap', 'fieldFolders', 'tableMap', 'sourceTableMap', 'destinationTableMap', 'transformStepMap']);

export function cloudFormationType(pulumiType: string): string {
  const [provider, module, name] = pulumiType.split(':');
  const service = SERVICE_NAMES[module];
  if (provider !== 'aws-native' || service === undefined || name === undefined) {
    throw new Error(`${pulumiType}: no CloudFormation type known for it; add its service to SERVICE_NAMES in components/plan/cloudformation.ts`);
  }
  return `AWS::${service}::${name}`;
}

export function cloudFormationProperty(name: string): string {
  return ACRONYM_PROPERTIES[name] ?? name.charAt(0).toUpperCase() + name.slice(1);
}

function properties(value: unknown, keepKeys = false): unknown {
  if (Array.isArray(value)) return value.map((item) => properties(item));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .map(([key, item]) => (keepKeys ? [key, properties(item)] : [cloudFormationProperty(key), properties(item, MAP_PROPERTIES.has(key))])),
  );
}

/** `dashboard-dataset-device-mix` → `DashboardDatasetDeviceMix`: CloudFormation logical ids are alphanumeric. */
export function logicalId(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

function isNativeResource(resource: RecordedResource): boolean {
  return resource.type.startsWith('aws-native:') && !resource.component;
}

/** The run's aws-native resources as one template (empty Resources when it has none). */
export function cloudFormationTemplate(run: MockRun, description: string): CloudFormationTemplate {
  const resources: CloudFormationTemplate['Resources'] = {};
  for (const resource of run.resources.filter(isNativeResource)) {
    const id = logicalId(resource.name);
    if (id in resources) throw new Error(`two aws-native resources map to the CloudFormation logical id ${id}; rename one`);
    resources[id] = { Type: cloudFormationType(resource.type), Properties: properties(resource.inputs) as Record<string, unknown> };
  }
  return { AWSTemplateFormatVersion: '2010-09-09', Description: description, Resources: resources };
}
