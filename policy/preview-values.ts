import { UnknownValueError } from '@pulumi/policy';
import { UNKNOWN } from './rules';

/**
 * A resource's properties as plain data, each value the policy SDK cannot know yet (at preview: an
 * id, an ARN) replaced by UNKNOWN. The SDK's proxy throws on such a value, which would turn a whole
 * stack rule into "can't run during preview"; with UNKNOWN the rules still match a bucket's
 * configuration by dependency and check everything that is known.
 */
export function knownValues(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const read = (key: string | number): unknown => {
    try {
      return knownValues((value as Record<string | number, unknown>)[key]);
    } catch (error) {
      if (error instanceof UnknownValueError) return UNKNOWN;
      throw error;
    }
  };
  // Index by index: Array methods would read every element through the proxy in one go.
  if (Array.isArray(value)) return Array.from({ length: value.length }, (_, index) => read(index));
  return Object.fromEntries(Object.keys(value).map((key) => [key, read(key)]));
}
