export interface DocumentedConfiguration {
  readme: Map<string, string>;
  example: Map<string, string>;
}
export function readmeDefaults(readme: string): Map<string, string>;
export function exampleValues(example: string): Map<string, string>;
export function documentedConfiguration(files?: Record<string, string>): DocumentedConfiguration;
export function configurationDocProblems(
  variables: Record<string, string | undefined>,
  docs: DocumentedConfiguration,
  examples?: Record<string, string>,
): string[];
export function undeclaredVariables(docs: DocumentedConfiguration, declared: Iterable<string>): string[];
