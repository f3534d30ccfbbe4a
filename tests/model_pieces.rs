//! Each piece of the deterministic model against a value worked by hand from
//! the shipped parameter files' base values.

use chh_psa::inputs::{Inputs, MAX_HUB_TYPES};
use chh_psa::model::{Model, YearHubs};
use chh_psa::outcomes::{self, Rollout, Workspace};
use chh_psa::sampling::rollout;
use std::path::Path;

fn shipped() -> (Inputs, Model) {
    let inputs =
        Inputs::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("distributions")).unwrap();
    let model = Model::compile(&inputs).unwrap();
    (inputs, model)
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

/// The index of a hub type of the shipped model.
fn hub(model: &Model, id: &str) -> usize {
    model.hub_types.iter().position(|h| h.id == id).unwrap()
}

/// Per-hub-type figures of the shipped model: standard, enhanced.
fn two(standard: f64, enhanced: f64) -> [f64; MAX_HUB_TYPES] {
    let mut out = [0.0; MAX_HUB_TYPES];
    out[0] = standard;
    out[1] = enhanced;
    out
}

#[test]
fn discount_factors_are_end_of_year_from_year_one() {
    assert!(close(Model::discount_factor(0.035, 1), 1.0 / 1.035, 1e-15));
    assert!(close(
        Model::discount_factor(0.035, 10),
        0.708_918_813_2,
        1e-9
    ));
    // £1m a year for 10 years at 3.5%: annuity factor (1 − 1.035⁻¹⁰)/0.035 = 8.316605.
    let (inputs, model) = shipped();
    let (nominal, pv) = model.totals(&[1e6; 10], &inputs.base_values());
    assert!(close(nominal, 1e7, 1e-6));
    assert!(close(pv, 8_316_605.0, 1.0));
}

#[test]
fn one_full_effect_hub_year_is_worth_135k() {
    let (inputs, model) = shipped();
    // 13.41×250 + 135×150 + 172.1×150 + 96.5×700 + 385.9×39 + 10×300
    let hand = 3352.5 + 20250.0 + 25815.0 + 67550.0 + 15050.1 + 3000.0;
    assert!(close(
        model.benefit_per_full_effect_hub_year(&inputs.base_values()),
        hand,
        1e-6
    ));
}

#[test]
fn running_and_backfill_costs_come_from_hours_and_rates() {
    let (inputs, model) = shipped();
    let v = inputs.base_values();
    // Standard: GP MDT 1 h × 12 × £150 + coordinator 8 h × 12 × £40.
    assert!(close(
        model.running_cost_per_hub_year(hub(&model, "standard"), &v),
        1800.0 + 3840.0,
        1e-9
    ));
    // Enhanced adds 2 LA h × 12 × £55 and PHM 4 h × 12 × £40.
    assert!(close(
        model.running_cost_per_hub_year(hub(&model, "enhanced"), &v),
        5640.0 + 1320.0 + 1920.0,
        1e-9
    ));
    // Backfill a month: consultant (6 + 1 + 4) h × £115 + GP (4 + 1) h × £150.
    assert!(close(
        model.backfill_cost_per_hub_month(hub(&model, "enhanced"), &v),
        1265.0 + 750.0,
        1e-9
    ));
}

#[test]
fn one_standard_hub_year_nets_half_the_benefit_less_running_cost() {
    let (inputs, model) = shipped();
    let v = inputs.base_values();
    let hubs = YearHubs {
        hub_years: two(1.0, 0.0),
        effective_hub_years: 0.5,
        ..Default::default()
    };
    let year = model.year_outcome(1, &hubs, &v);
    assert!(close(year.net_value, 0.5 * 135_017.6 - 5640.0, 1e-6));
    // A new enhanced hub with 6 months of backfill and the start-up cost.
    let new = YearHubs {
        hub_years: two(0.0, 1.0),
        effective_hub_years: 0.8,
        start_ups: two(0.0, 1.0),
        backfill_hub_months: two(0.0, 6.0),
    };
    let year = model.year_outcome(1, &new, &v);
    assert!(close(year.transition_cost, 30_000.0 + 6.0 * 2015.0, 1e-6));
    assert!(close(
        year.net_value,
        0.8 * 135_017.6 - 8880.0 - 42_090.0,
        1e-6
    ));
}

fn expected_schedule(model: &Model, inputs: &Inputs, id: &str) -> Vec<YearHubs> {
    let option = model.options.iter().find(|o| o.id == id).unwrap();
    let mut out = vec![YearHubs::default(); model.horizon_years];
    rollout::expected(model, option, &inputs.base_values(), &mut out);
    out
}

#[test]
fn schedules_at_base_values_are_the_published_ones() {
    let (inputs, model) = shipped();
    let sq = expected_schedule(&model, &inputs, "status_quo");
    assert!(
        sq.iter()
            .all(|y| y.hub_years == two(17.0, 0.0) && close(y.effective_hub_years, 8.5, 1e-12))
    );

    let decline = expected_schedule(&model, &inputs, "decline");
    assert!(close(decline[0].hub_years[0], 8.5, 1e-12));
    assert!(decline[1..].iter().all(|y| y.hub_years[0] == 0.0));

    let organic = expected_schedule(&model, &inputs, "organic");
    let standard: Vec<f64> = organic.iter().map(|y| y.hub_years[0]).collect();
    assert_eq!(&standard[..4], &[20.0, 23.0, 26.0, 26.0]);
    assert!(
        organic
            .iter()
            .all(|y| y.start_ups == two(0.0, 0.0) && y.backfill_hub_months == two(0.0, 0.0))
    );

    let supported = expected_schedule(&model, &inputs, "supported");
    for (t, hubs) in [17.0 + 28.0 / 3.0, 17.0 + 56.0 / 3.0, 45.0, 45.0]
        .iter()
        .enumerate()
    {
        assert!(
            close(supported[t].hub_years[1], *hubs, 1e-9),
            "supported year {}",
            t + 1
        );
        assert!(close(supported[t].effective_hub_years, 0.8 * hubs, 1e-9));
    }
    assert!(close(supported[0].start_ups[1], 28.0 / 3.0, 1e-9));
    assert!(close(
        supported[0].backfill_hub_months[1],
        28.0 / 3.0 * 6.0,
        1e-9
    ));
    assert_eq!(supported[3].start_ups[1], 0.0);

    let accelerated = expected_schedule(&model, &inputs, "accelerated");
    assert_eq!(accelerated[0].hub_years, two(0.0, 45.0));
    // Rushed hubs reach 50% in year 1, the existing 17 reach 80%.
    assert!(close(
        accelerated[0].effective_hub_years,
        17.0 * 0.8 + 28.0 * 0.5,
        1e-9
    ));
    assert!(close(accelerated[1].effective_hub_years, 45.0 * 0.8, 1e-9));
    assert_eq!(accelerated[0].backfill_hub_months[1], 28.0 * 12.0);
}

#[test]
fn net_efficiency_is_the_difference_from_the_status_quo() {
    let (inputs, model) = shipped();
    let v = inputs.base_values();
    let mut ws = Workspace::new(&model);
    let n = model.options.len();
    let mut totals = outcomes::Totals::new(n);
    outcomes::evaluate(&model, &v, Rollout::Expected, &mut ws, &mut totals);
    let (nominal, pv) = (totals.nominal, totals.present_value);
    let id = |name: &str| model.options.iter().position(|o| o.id == name).unwrap();
    assert_eq!(nominal[id("status_quo")], 0.0);
    // Organic: 81 extra standard hub-years (3 + 6 + 9 × 8), each 0.5 B − C.
    let v50 = 0.5 * 135_017.6 - 5640.0;
    assert!(close(nominal[id("organic")], 81.0 * v50, 1e-3));
    // Decline: 8.5 hub-years lost in year 1, 17 a year after.
    assert!(close(nominal[id("decline")], -161.5 * v50, 1e-3));
    let d: Vec<f64> = (1..=10).map(|t| 1.035_f64.powi(-t)).collect();
    let pv_decline = -v50 * (8.5 * d[0] + 17.0 * d[1..].iter().sum::<f64>());
    assert!(close(pv[id("decline")], pv_decline, 1e-3));
    // The detailed path agrees with the fast one.
    let detail = outcomes::base_case(&model, &inputs);
    for (k, o) in detail.iter().enumerate() {
        assert!(close(o.nominal, nominal[k], 1e-6) && close(o.present_value, pv[k], 1e-6));
    }
}

/// Hubs opening in each year of a sampled roll-out, over many draws, against
/// the law of independent hubs: each opens in its planned year (uniform over
/// the window), the next if it slips, or never if it does not join. Each
/// year's count is then Binomial(hubs, q) and two years' counts have
/// covariance −hubs·q₁·q₂.
fn assert_openings_follow_independent_hubs(
    id: &str,
    set: &[(&str, f64)],
    shares: &[f64],
    opened: impl Fn(&[YearHubs], usize) -> f64,
) {
    use rand::SeedableRng;
    use statrs::distribution::{Binomial, ChiSquared, ContinuousCDF, Discrete};
    let (inputs, model) = shipped();
    let mut values = inputs.base_values();
    for (name, v) in set {
        values[inputs.parameter_index(name).unwrap()] = *v;
    }
    let option = model.options.iter().find(|o| o.id == id).unwrap();
    let hubs = option.cohorts.iter().find(|c| !c.existing).unwrap().hubs as u64;
    let draws = 100_000;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
    let mut out = vec![YearHubs::default(); model.horizon_years];
    let mut counts = vec![vec![0.0; draws]; shares.len()];
    for i in 0..draws {
        rollout::sampled(&model, option, &values, &mut rng, &mut out);
        for (year, c) in counts.iter_mut().enumerate() {
            c[i] = opened(&out, year + 1);
        }
    }
    let n = draws as f64;
    for (year, (c, &q)) in counts.iter().zip(shares).enumerate() {
        let law = Binomial::new(q, hubs).unwrap();
        let mut observed = vec![0.0; hubs as usize + 1];
        for &k in c {
            observed[k as usize] += 1.0;
        }
        // Pearson's χ² over counts expected at least 5 times, the rest pooled.
        let (mut chi2, mut cells, mut pooled_obs, mut pooled_exp) = (0.0, 0, 0.0, 0.0);
        for (k, &obs) in observed.iter().enumerate() {
            let expected = n * law.pmf(k as u64);
            if expected >= 5.0 {
                chi2 += (obs - expected).powi(2) / expected;
                cells += 1;
            } else {
                pooled_obs += obs;
                pooled_exp += expected;
            }
        }
        if pooled_exp >= 5.0 {
            chi2 += (pooled_obs - pooled_exp).powi(2) / pooled_exp;
            cells += 1;
        }
        let critical = ChiSquared::new((cells - 1) as f64)
            .unwrap()
            .inverse_cdf(0.9999);
        assert!(
            chi2 < critical,
            "{id} year {}: χ² {chi2:.1} ≥ {critical:.1} over {cells} cells",
            year + 1
        );
    }
    let mean = |c: &[f64]| c.iter().sum::<f64>() / n;
    let (m1, m2) = (mean(&counts[0]), mean(&counts[1]));
    let cov = counts[0]
        .iter()
        .zip(&counts[1])
        .map(|(a, b)| (a - m1) * (b - m2))
        .sum::<f64>()
        / (n - 1.0);
    let h = hubs as f64;
    let expected = -h * shares[0] * shares[1];
    // The sample covariance's standard error, to first order.
    let se = (h * shares[0] * (1.0 - shares[0]) * h * shares[1] * (1.0 - shares[1]) / n).sqrt();
    assert!(
        (cov - expected).abs() < 5.0 * se,
        "{id}: cov(year 1, year 2) {cov:.4} vs {expected:.4} (se {se:.4})"
    );
}

#[test]
fn supported_openings_are_those_of_independent_hubs_that_may_slip() {
    // Window 1..3, slip 0.25: year 1 gets 0.75/3, years 2 and 3 get 1/3
    // (0.75/3 on time plus 0.25/3 slipped), year 4 gets 0.25/3.
    assert_openings_follow_independent_hubs(
        "supported",
        &[("supported_slip_probability", 0.25)],
        &[0.25, 1.0 / 3.0, 1.0 / 3.0, 0.25 / 3.0],
        |s, year| s[year - 1].start_ups[1],
    );
}

#[test]
fn organic_openings_are_those_of_independent_hubs_that_may_not_join() {
    // Each of 9 PCNs joins with 0.8, in a year uniform over 1..3.
    let q = 0.8 / 3.0;
    assert_openings_follow_independent_hubs(
        "organic",
        &[("organic_join_probability", 0.8)],
        &[q, q, q],
        |s, year| {
            s[year - 1].hub_years[0]
                - if year == 1 {
                    17.0
                } else {
                    s[year - 2].hub_years[0]
                }
        },
    );
}

#[test]
fn accelerated_openings_split_between_years_one_and_two() {
    assert_openings_follow_independent_hubs(
        "accelerated",
        &[("accelerated_slip_probability", 0.2)],
        &[0.8, 0.2],
        |s, year| s[year - 1].start_ups[1],
    );
}

/// A folding cohort, hub by hub from the definition: each hub folds at a
/// uniform time within the window and operates each year up to its fold.
/// More hubs than the sampler takes at a time, and a window spanning three
/// years, against the sampler's schedule, exactly.
#[test]
fn folding_hubs_operate_each_year_up_to_their_fold() {
    use rand::{Rng, SeedableRng};
    let (inputs, model) = shipped();
    let mut values = inputs.base_values();
    values[inputs.parameter_index("decline_fold_months").unwrap()] = 30.0;
    let mut option = model
        .options
        .iter()
        .find(|o| o.id == "decline")
        .unwrap()
        .clone();
    option.cohorts[0].hubs = 70;
    let steady = values[inputs.parameter_index("realisation_standard").unwrap()];
    let mut out = vec![YearHubs::default(); model.horizon_years];
    for seed in 0..20 {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let mut reference_rng = rng.clone();
        rollout::sampled(&model, &option, &values, &mut rng, &mut out);
        let mut expected = vec![YearHubs::default(); model.horizon_years];
        for _ in 0..70 {
            let fold = f64::from(reference_rng.next_u32()) / 4_294_967_296.0 * 30.0;
            for (t, year) in expected.iter_mut().enumerate() {
                let start = 12.0 * t as f64;
                if fold > start {
                    let share = (fold - start).min(12.0) / 12.0;
                    year.hub_years[0] += share;
                    year.effective_hub_years += share * steady;
                }
            }
        }
        for (t, (got, want)) in out.iter().zip(&expected).enumerate() {
            assert_eq!(got.hub_years, want.hub_years, "seed {seed} year {}", t + 1);
            assert_eq!(
                got.effective_hub_years,
                want.effective_hub_years,
                "seed {seed} year {}",
                t + 1
            );
        }
        assert!(out[2].hub_years[0] > 0.0 && out[3].hub_years[0] == 0.0);
    }
}
