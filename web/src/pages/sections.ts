// The sections of a project page, in the order of the sub-navigation.

export const SECTIONS = [
  { id: 'overview', label: 'Overview' },
  { id: 'datasets', label: 'Datasets' },
  { id: 'labelling', label: 'Labelling' },
  { id: 'experiments', label: 'Experiments' },
  { id: 'models', label: 'Models' },
  { id: 'deployments', label: 'Deployments' },
  { id: 'monitoring', label: 'Monitoring' },
  { id: 'pipelines', label: 'Pipelines' },
  { id: 'jobs', label: 'Jobs' },
  { id: 'members', label: 'Members' },
  { id: 'audit', label: 'Audit' },
] as const;

export type SectionId = (typeof SECTIONS)[number]['id'];

export function isSection(value: string): value is SectionId {
  return SECTIONS.some((s) => s.id === value);
}
