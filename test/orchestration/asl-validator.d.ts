/** asl-validator ships no types: the one call the tests make. */
declare module 'asl-validator' {
  interface ValidationResult {
    readonly isValid: boolean;
    readonly errors: ReadonlyArray<{ readonly 'Error code': string; readonly Message: string }>;
    readonly errorsText: (separator?: string) => string;
  }
  function validator(definition: unknown, options?: { readonly checkPaths?: boolean; readonly checkArn?: boolean }): ValidationResult;
  export = validator;
}
