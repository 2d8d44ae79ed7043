// The validator ships no types; this is the part of its API the tests use.
declare module 'gltf-validator' {
  interface ValidationMessage { code: string; message: string; severity: number; pointer?: string }
  interface ValidationReport { issues: { numErrors: number; numWarnings: number; messages: ValidationMessage[] }; info?: { extensionsUsed?: string[] } }
  const validator: { validateBytes(data: Uint8Array, options?: { maxIssues?: number; uri?: string }): Promise<ValidationReport> };
  export default validator;
}
