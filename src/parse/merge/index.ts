// Merging fragments into one model: what merging means (policy.ts) and the incremental engine that
// does it (merger.ts).
export { FragmentMerger, mergeFragments, type IncrementalMergeResult, type MergeResult } from './merger';
