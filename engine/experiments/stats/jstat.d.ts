// jstat 1.9.6 ships no types; only what engine/experiments/stats uses is declared (its module.exports is the object).
declare module 'jstat' {
  interface JStat {
    normal: {
      /** Quantile of N(mean, sd). */
      inv(p: number, mean: number, sd: number): number;
      cdf(x: number, mean: number, sd: number): number;
    };
    chisquare: {
      /** Quantile of the chi-square distribution with `dof` degrees of freedom. */
      inv(p: number, dof: number): number;
      cdf(x: number, dof: number): number;
    };
  }
  const jStat: JStat;
  export = jStat;
}
