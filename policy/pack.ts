import '../cli/supported-node';
import { PolicyPack, type ResourceValidationPolicy, type StackValidationPolicy } from '@pulumi/policy';
import { knownValues } from './preview-values';
import { RESOURCE_RULES, STACK_RULES, type ReviewedResource } from './rules';

/**
 * The policy pack entry: `pulumi preview --policy-pack policy`. Constructing a PolicyPack starts a
 * gRPC server, so nothing imports this file; the rules it wraps are tested in test/infra/.
 */
const resourcePolicies = RESOURCE_RULES.map(
  (rule): ResourceValidationPolicy => ({
    name: rule.name,
    description: rule.description,
    enforcementLevel: 'mandatory',
    // An unknown value read here makes the SDK report the rule as not checkable at preview (advisory);
    // it runs again with every value known on `pulumi up`.
    validateResource: (args, reportViolation) => {
      if (!rule.types.includes(args.type)) return;
      for (const message of rule.check({ type: args.type, name: args.name, urn: args.urn, props: args.props })) reportViolation(message);
    },
  }),
);

const stackPolicies = STACK_RULES.map(
  (rule): StackValidationPolicy => ({
    name: rule.name,
    description: rule.description,
    enforcementLevel: 'mandatory',
    validateStack: (args, reportViolation) => {
      const resources = args.resources.map(
        (resource): ReviewedResource => ({
          type: resource.type,
          name: resource.name,
          urn: resource.urn,
          props: knownValues(resource.props) as Record<string, unknown>,
          // At preview a new bucket has no name yet; its configuration resources still depend on it.
          dependencies: [...resource.dependencies, ...Object.values(resource.propertyDependencies).flat()].map((dependency) => dependency.urn),
        }),
      );
      for (const violation of rule.check(resources)) reportViolation(violation.message, violation.urn);
    },
  }),
);

new PolicyPack('clickstream-security', {
  description: 'Security rules for clickstream-bi stacks: private encrypted TLS-only buckets, least-privilege IAM, IMDSv2, no inbound internet.',
  enforcementLevel: 'mandatory',
  policies: [...resourcePolicies, ...stackPolicies],
});
