/** The statistics of in-store experiments with a holdout (pure; docs/experiments-method.md). */
export { assignArm, bucket, type ArmShare } from './assign.js';
export {
  compareArms, revenueSums,
  type ArmComparison, type ArmCounts, type ArmSummary, type CompareOptions, type Estimate, type NoEstimate,
  type NoEstimateCode, type SampleSizeNote, type Verdict, type VerdictCode,
} from './lift.js';
export { shoppersPerArmFor, type PowerOptions } from './power.js';
