// The story clustering engine: pure, deterministic, no KV or network (see src/store/clusterState.ts for that).
export { StoryClusterer, type Assignment, type ClusterInput, type Consolidation } from './clusterer';
export { DEFAULT_OPTIONS, type ClusterOptions } from './options';
export type { ClusterSnapshot } from './snapshot';
