/**
 * The part of the Amazon States Language (JSONPath mode) the pipeline uses, as types: the definition
 * is plain data of these types, rendered with JSON.stringify for Step Functions and handed as is to
 * the local runner.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface Retrier {
  readonly ErrorEquals: readonly string[];
  readonly IntervalSeconds: number;
  readonly MaxAttempts: number;
  readonly BackoffRate: number;
  readonly MaxDelaySeconds?: number;
}

export interface Catcher {
  readonly ErrorEquals: readonly string[];
  readonly ResultPath: string;
  readonly Next: string;
}

interface Flow {
  readonly Comment?: string;
  readonly Next?: string;
  readonly End?: true;
}

export interface TaskState extends Flow {
  readonly Type: 'Task';
  readonly Resource: string;
  readonly Parameters?: Json;
  readonly ResultSelector?: Json;
  readonly ResultPath?: string | null;
  readonly TimeoutSeconds?: number;
  readonly Retry?: readonly Retrier[];
  readonly Catch?: readonly Catcher[];
}

export interface PassState extends Flow {
  readonly Type: 'Pass';
  readonly Parameters?: Json;
  readonly Result?: Json;
  readonly ResultPath?: string | null;
}

export interface MapState extends Flow {
  readonly Type: 'Map';
  readonly ItemsPath: string;
  readonly ItemProcessor: { readonly StartAt: string; readonly States: Readonly<Record<string, State>> };
  readonly MaxConcurrency?: number;
  readonly ResultPath?: string | null;
  readonly Retry?: readonly Retrier[];
  readonly Catch?: readonly Catcher[];
}

export type ChoiceRule =
  | { readonly Variable: string; readonly StringEquals: string }
  | { readonly Variable: string; readonly StringEqualsPath: string }
  | { readonly Variable: string; readonly NumericEquals: number }
  | { readonly Variable: string; readonly NumericLessThanEquals: number }
  | { readonly Variable: string; readonly IsPresent: boolean }
  | { readonly Variable: string; readonly IsNumeric: boolean }
  | { readonly And: readonly ChoiceRule[] }
  | { readonly Or: readonly ChoiceRule[] };

export interface ChoiceState {
  readonly Type: 'Choice';
  readonly Comment?: string;
  readonly Choices: ReadonlyArray<ChoiceRule & { readonly Next: string }>;
  readonly Default: string;
}

export interface SucceedState {
  readonly Type: 'Succeed';
  readonly Comment?: string;
}

export interface FailState {
  readonly Type: 'Fail';
  readonly Comment?: string;
  readonly ErrorPath?: string;
  readonly CausePath?: string;
  readonly Error?: string;
  readonly Cause?: string;
}

export type State = TaskState | PassState | MapState | ChoiceState | SucceedState | FailState;

export interface StateMachineDefinition {
  readonly Comment: string;
  readonly StartAt: string;
  readonly TimeoutSeconds?: number;
  readonly States: Readonly<Record<string, State>>;
}

/** Every Task state of a definition, by name, Map iterations included. */
export function taskStates(definition: Pick<StateMachineDefinition, 'States'>): Array<[string, TaskState]> {
  return Object.entries(definition.States).flatMap(([name, state]): Array<[string, TaskState]> => {
    if (state.Type === 'Task') return [[name, state]];
    if (state.Type === 'Map') return taskStates(state.ItemProcessor);
    return [];
  });
}
