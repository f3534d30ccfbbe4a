//! The roll-out of each option: which hubs run in which year, at what effect.
//!
//! Two ways to turn an option's cohorts into a schedule:
//! - `expected`: every roll-out event at its expectation (fractional hubs),
//!   which at base values is the published schedule (28/3 hubs a year);
//! - `sampled`: the events of one draw: how many hubs open in each year
//!   (each hub joins or not, opens in a year of its window, may slip a year),
//!   and when each folding hub folds.
//!
//! A hub operates the whole year it opens in, as in the published model. Its
//! first year may run at a lower realisation (rushed hubs).

use rand::Rng;

/// Longest horizon a schedule can have (the inputs reject longer ones).
pub use crate::inputs::MAX_YEARS;

/// A uniform on [0, 1) from 32 random bits: ample resolution for roll-out
/// events, at half the random bytes of a 53-bit uniform.
#[inline]
fn uniform<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    f64::from(rng.next_u32()) * (1.0 / 4_294_967_296.0)
}

use crate::model::{Cohort, CompiledOption, Model, YearHubs};

/// Share of year `year` (1-based) that a hub folding at a uniform time within
/// `window` months of the start of year 1 still operates, on average.
pub fn expected_fold_share(window: f64, year: usize) -> f64 {
    let start = 12.0 * (year as f64 - 1.0);
    let end = (12.0 * year as f64).min(window);
    if window <= 0.0 || end <= start {
        return 0.0;
    }
    // ∫ from start to end of P(fold time > s) = 1 − s/window.
    ((end - start) - (end * end - start * start) / (2.0 * window)) / 12.0
}

/// Share of year `year` that a hub folding at month `fold_month` operates.
fn fold_share(fold_month: f64, year: usize) -> f64 {
    ((fold_month - 12.0 * (year as f64 - 1.0)).clamp(0.0, 12.0)) / 12.0
}

fn realisations(model: &Model, cohort: &Cohort, values: &[f64]) -> (f64, f64) {
    let steady = model.realisation(cohort.hub_type, values);
    let first = cohort
        .first_year_realisation
        .map_or(steady, |r| r.get(values));
    (first, steady)
}

/// Adds a new cohort's hubs to the schedule: `opened[j]` hubs (whole or
/// expected) open in year `a + j`, and every hub open by a year operates
/// that whole year, its first at the first-year realisation. One pass over
/// the years with a running count of the hubs open.
/// A cohort's realisation: in a hub's first year, and after it.
#[derive(Debug, Clone, Copy)]
struct Realisation {
    first: f64,
    steady: f64,
}

fn add_openings(
    out: &mut [YearHubs],
    cohort: &Cohort,
    opened: &[f64],
    realisation: Realisation,
    backfill_months: f64,
) {
    let Realisation { first, steady } = realisation;
    let m = cohort.hub_type;
    let a = cohort.opens.0;
    let mut open = 0.0;
    for (t, year) in out.iter_mut().enumerate().skip(a - 1) {
        let new = opened.get(t + 1 - a).copied().unwrap_or(0.0);
        open += new;
        year.hub_years[m] += open;
        year.effective_hub_years += (open - new) * steady + new * first;
        if cohort.start_up {
            year.start_ups[m] += new;
        }
        year.backfill_hub_months[m] += new * backfill_months;
    }
}

/// The schedule with every roll-out event at its expectation.
pub fn expected(model: &Model, option: &CompiledOption, values: &[f64], out: &mut [YearHubs]) {
    out.fill(YearHubs::default());
    for cohort in &option.cohorts {
        let (first, steady) = realisations(model, cohort, values);
        let hubs = cohort.hubs as f64;
        let m = cohort.hub_type;
        if cohort.existing {
            for (t, year) in out.iter_mut().enumerate() {
                let share = cohort
                    .folds_within_months
                    .map_or(1.0, |w| expected_fold_share(w.get(values), t + 1));
                year.hub_years[m] += hubs * share;
                year.effective_hub_years += hubs * share * steady;
            }
            continue;
        }
        let join = cohort.join_probability.get(values);
        let slip = cohort.slip_probability.get(values);
        let backfill = cohort.backfill_months.get(values);
        let (a, b) = cohort.opens;
        let per_year = hubs * join / (b - a + 1) as f64;
        // Each planned year's hubs, on time or a year late.
        let mut opened = [0.0; MAX_YEARS + 1];
        for planned in 0..=b - a {
            opened[planned] += per_year * (1.0 - slip);
            opened[planned + 1] += per_year * slip;
        }
        add_openings(
            out,
            cohort,
            &opened[..=b + 1 - a],
            Realisation { first, steady },
            backfill,
        );
    }
}

/// The schedule of one draw: its roll-out events sampled. Every cohort
/// consumes the same number of random numbers whatever the parameter values
/// (one per opening year, or one per folding hub), so that scenarios on the
/// same draw stay paired.
pub fn sampled<R: Rng + ?Sized>(
    model: &Model,
    option: &CompiledOption,
    values: &[f64],
    rng: &mut R,
    out: &mut [YearHubs],
) {
    out.fill(YearHubs::default());
    for cohort in &option.cohorts {
        let (first, steady) = realisations(model, cohort, values);
        let m = cohort.hub_type;
        if cohort.existing {
            match cohort.folds_within_months {
                None => {
                    for year in out.iter_mut() {
                        year.hub_years[m] += cohort.hubs as f64;
                        year.effective_hub_years += cohort.hubs as f64 * steady;
                    }
                }
                Some(window) => {
                    let window = window.get(values);
                    // Hubs fold before the window ends, so only its years are
                    // touched. Year by year over a block of hubs, with a hub
                    // already folded adding nothing, rather than hub by hub
                    // over a number of years that varies: the loops then
                    // have no unpredictable branch, and each year still adds
                    // its hubs' shares in hub order.
                    let years = ((window / 12.0).ceil() as usize).min(out.len());
                    const BLOCK: usize = 32;
                    let mut folds = [0.0; BLOCK];
                    let mut left = cohort.hubs;
                    while left > 0 {
                        let block = &mut folds[..left.min(BLOCK)];
                        for fold_month in block.iter_mut() {
                            *fold_month = uniform(rng) * window;
                        }
                        for (t, year) in out.iter_mut().enumerate().take(years) {
                            for &fold_month in block.iter() {
                                let share = fold_share(fold_month, t + 1);
                                year.hub_years[m] += share;
                                year.effective_hub_years += share * steady;
                            }
                        }
                        left -= block.len();
                    }
                }
            }
            continue;
        }
        let join = cohort.join_probability.get(values);
        let slip = cohort.slip_probability.get(values);
        let backfill = cohort.backfill_months.get(values);
        let (a, b) = cohort.opens;
        // Each hub independently opens in one of the years a..=b+1 (its
        // planned year, or the next if it slips) or never (it does not join),
        // so the hubs opening each year are multinomial. Conditional binomials
        // draw those counts exactly, with one uniform per year in place of
        // three per hub.
        let per_year = join / (b - a + 1) as f64;
        let mut hubs = cohort.hubs as u32;
        let mut mass = 1.0;
        let mut opened = [0.0; MAX_YEARS + 1];
        for (year, count) in (a..=b + 1).zip(opened.iter_mut()) {
            let on_time = if year <= b {
                per_year * (1.0 - slip)
            } else {
                0.0
            };
            let slipped = if year > a { per_year * slip } else { 0.0 };
            let share = on_time + slipped;
            let p = if mass > 0.0 { share / mass } else { 1.0 };
            let k = binomial(hubs, p, uniform(rng));
            hubs -= k;
            mass -= share;
            *count = f64::from(k);
        }
        // Counts are whole numbers, so the running count of open hubs is exact.
        add_openings(
            out,
            cohort,
            &opened[..=b + 1 - a],
            Realisation { first, steady },
            backfill,
        );
    }
}

/// Binomial(n, p) by inversion of one uniform `u` in [0, 1): the smallest k
/// with u < P(X ≤ k). One uniform per count keeps every draw's consumption of
/// random numbers fixed.
pub fn binomial(n: u32, p: f64, u: f64) -> u32 {
    let p = p.clamp(0.0, 1.0);
    if n == 0 || p == 0.0 {
        return 0;
    }
    if p == 1.0 {
        return n;
    }
    // n − X is Binomial(n, 1 − p); inverting 1 − u under it keeps the search
    // from 0 short and (1 − p)^n clear of underflow. The result differs from
    // inverting u directly only when u sits exactly on a step of the CDF.
    if p > 0.5 {
        return n - binomial(n, 1.0 - p, 1.0 - u);
    }
    if n > SEARCH_FROM_ZERO {
        return large_binomial(n, p, u);
    }
    let ratio = p / (1.0 - p);
    let mut pmf = (1.0 - p).powi(n as i32);
    let mut cdf = pmf;
    let mut k = 0;
    while u >= cdf && k < n {
        pmf *= f64::from(n - k) / f64::from(k + 1) * ratio;
        k += 1;
        cdf += pmf;
    }
    k
}

/// Trials above which the search starts from the quantile statrs computes.
const SEARCH_FROM_ZERO: u32 = 200;

fn large_binomial(n: u32, p: f64, u: f64) -> u32 {
    match statrs::distribution::Binomial::new(p, u64::from(n)) {
        Ok(law) => (crate::distribution::bernoulli::quantile(&law, u64::from(n), u) as u32).min(n),
        Err(_) => 0,
    }
}

/// Summary of a sampled roll-out, written beside the parameters of a draw.
pub fn hubs_opened(schedule: &[YearHubs]) -> f64 {
    schedule
        .iter()
        .map(|y| y.start_ups[0] + y.start_ups[1])
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hubs_folding_within_twelve_months_run_half_of_year_one() {
        assert!((expected_fold_share(12.0, 1) - 0.5).abs() < 1e-12);
        assert_eq!(expected_fold_share(12.0, 2), 0.0);
    }

    #[test]
    fn hubs_folding_within_eighteen_months_spill_into_year_two() {
        // ∫0..12 (1 − s/18) ds / 12 = (12 − 144/36)/12 = 2/3; ∫12..18 (1 − s/18) ds / 12 = (6 − (324−144)/36)/12 = 1/12.
        assert!((expected_fold_share(18.0, 1) - 2.0 / 3.0).abs() < 1e-12);
        assert!((expected_fold_share(18.0, 2) - 1.0 / 12.0).abs() < 1e-12);
        assert_eq!(expected_fold_share(18.0, 3), 0.0);
    }

    #[test]
    fn a_hub_folding_at_month_six_runs_half_a_year() {
        assert_eq!(fold_share(6.0, 1), 0.5);
        assert_eq!(fold_share(6.0, 2), 0.0);
        assert_eq!(fold_share(15.0, 2), 0.25);
    }

    /// The inversion against statrs' Binomial CDF: k is the smallest count
    /// whose CDF exceeds u.
    #[test]
    fn binomial_inverts_the_cdf_of_statrs() {
        use statrs::distribution::{Binomial, DiscreteCDF};
        for (n, p) in [
            (1, 0.3),
            (9, 0.85),
            (28, 1.0 / 3.0),
            (28, 0.97),
            (28, 0.5),
            (45, 0.02),
            (200, 0.45),
            (201, 0.45),
            (5000, 0.3),
        ] {
            let law = Binomial::new(p, u64::from(n)).unwrap();
            for i in 0..1000 {
                let u = (f64::from(i) + 0.5) / 1000.0;
                let k = binomial(n, p, u);
                assert!(u < law.cdf(u64::from(k)) + 1e-12, "n={n} p={p} u={u} k={k}");
                if k > 0 {
                    assert!(
                        u >= law.cdf(u64::from(k - 1)) - 1e-12,
                        "n={n} p={p} u={u} k={k}"
                    );
                }
            }
        }
    }

    #[test]
    fn binomial_edges_take_no_chances() {
        assert_eq!(binomial(0, 0.5, 0.9), 0);
        assert_eq!(binomial(7, 0.0, 0.999), 0);
        assert_eq!(binomial(7, 1.0, 0.0), 7);
        assert_eq!(binomial(7, 1.0 + 1e-15, 0.3), 7);
        assert_eq!(binomial(7, -1e-15, 0.3), 0);
        // (1 − 0.5)^7 = 1/128: u just below gives 0, just above 1.
        assert_eq!(binomial(7, 0.5, 1.0 / 128.0 - 1e-9), 0);
        assert_eq!(binomial(7, 0.5, 1.0 / 128.0 + 1e-9), 1);
    }
}
