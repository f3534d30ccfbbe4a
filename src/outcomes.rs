//! Part of stage 4 of the pipeline (the draws): outcomes of every option
//! on one set of values.
//!
//! Builds each option's schedule (expected or sampled), runs the model, and
//! values each option against the comparator, nominal and discounted. The
//! deterministic base case and every PSA draw go through this one path.

use crate::error::{Error, Result};
use crate::inputs::Inputs;
use crate::model::{Model, YearHubs, YearOutcome};
use crate::sampling::{rollout, rollout_stream};

/// How the roll-out of a draw is realised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rollout {
    /// Every roll-out event at its expectation: no roll-out uncertainty.
    Expected,
    /// Each hub's events sampled from the draw's roll-out streams.
    Sampled { seed: u64, draw: u64 },
}

impl Rollout {
    /// Draw `draw`'s roll-out under `seed`: sampled, or at its expectation.
    pub fn of(sampled: bool, seed: u64, draw: u64) -> Rollout {
        match sampled {
            true => Rollout::Sampled { seed, draw },
            false => Rollout::Expected,
        }
    }
}

/// Per-thread buffers, so that a draw allocates nothing. They may span
/// more years than the model's horizon (a scenario's longer horizon reads
/// the same draw's later years); totals count the model's years.
pub struct Workspace {
    horizon: usize,
    /// Option k's year t at `k * horizon + t`.
    schedules: Vec<YearHubs>,
    /// Option k's year t: `[gross benefit, running cost, transition cost]`.
    money: Vec<[f64; 3]>,
    net_values: Vec<f64>,
    discounting: Discounting,
}

impl Workspace {
    pub fn new(model: &Model) -> Self {
        Self::spanning(model, model.horizon_years)
    }

    /// Buffers for `years` years of every option (at least the model's).
    pub fn spanning(model: &Model, years: usize) -> Self {
        let horizon = years.max(model.horizon_years);
        let cells = model.options.len() * horizon;
        Workspace {
            horizon,
            schedules: vec![YearHubs::default(); cells],
            money: vec![[0.0; 3]; cells],
            net_values: vec![0.0; cells],
            discounting: Discounting::default(),
        }
    }

    /// Option `option`'s schedule, every year the workspace spans.
    pub fn schedule(&self, option: usize) -> &[YearHubs] {
        &self.schedules[option * self.horizon..(option + 1) * self.horizon]
    }

    /// Option `option`'s gross benefit, running cost and transition cost
    /// each year, after [`evaluate`].
    pub fn money(&self, option: usize) -> &[[f64; 3]] {
        &self.money[option * self.horizon..(option + 1) * self.horizon]
    }

    /// Option `option`'s net value each year, after [`evaluate`].
    pub fn net_values(&self, option: usize) -> &[f64] {
        &self.net_values[option * self.horizon..(option + 1) * self.horizon]
    }
}

/// Builds every option's schedule for one draw.
pub fn schedule_options(model: &Model, values: &[f64], rollout: Rollout, ws: &mut Workspace) {
    let horizon = ws.horizon;
    for (k, option) in model.options.iter().enumerate() {
        let out = &mut ws.schedules[k * horizon..(k + 1) * horizon];
        match rollout {
            Rollout::Expected => rollout::expected(model, option, values, out),
            Rollout::Sampled { seed, draw } => {
                let mut rng = rollout_stream(seed, draw, k);
                rollout::sampled(model, option, values, &mut rng, out)
            }
        }
    }
}

/// Each option's net efficiency against the comparator over the horizon,
/// one slot per option.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Totals {
    pub nominal: Vec<f64>,
    pub present_value: Vec<f64>,
}

impl Totals {
    pub fn new(options: usize) -> Totals {
        Totals {
            nominal: vec![0.0; options],
            present_value: vec![0.0; options],
        }
    }
}

/// Net efficiency of every option against the comparator, nominal and present
/// value, written into `totals`.
pub fn evaluate(
    model: &Model,
    values: &[f64],
    rollout: Rollout,
    ws: &mut Workspace,
    totals: &mut Totals,
) {
    let Totals {
        nominal,
        present_value,
    } = totals;
    schedule_options(model, values, rollout, ws);
    let span = ws.horizon;
    let rates = model.rates(values);
    for k in 0..model.options.len() {
        let range = k * span..(k + 1) * span;
        Model::net_values(
            &ws.schedules[range.clone()],
            &rates,
            &mut ws.money[range.clone()],
            &mut ws.net_values[range],
        );
    }
    ws.discounting
        .update(model.discount_rate(values), model.horizon_years);
    for k in 0..model.options.len() {
        let (nom, pv) = against_comparator(model, ws, k, &ws.discounting);
        nominal[k] = nom;
        present_value[k] = pv;
    }
}

/// The discount factors of the years counted: the model's horizon, or a
/// scenario's.
#[derive(Debug, Clone)]
pub struct Discounting {
    rate: f64,
    years: usize,
    factors: [f64; rollout::MAX_YEARS],
}

impl Default for Discounting {
    fn default() -> Self {
        Discounting {
            rate: f64::NAN,
            years: 0,
            factors: [0.0; rollout::MAX_YEARS],
        }
    }
}

impl Discounting {
    /// The factors at `rate` over `years`, recomputed only when they differ
    /// from the last (a draw's rate is most often the run's fixed rate).
    pub fn update(&mut self, rate: f64, years: usize) {
        if rate.to_bits() == self.rate.to_bits() && years == self.years {
            return;
        }
        self.rate = rate;
        self.years = years;
        for (t, factor) in self.factors.iter_mut().enumerate().take(years) {
            *factor = Model::discount_factor(rate, t + 1);
        }
    }
}

/// Option `option`'s net efficiency against the comparator, nominal and
/// present value, over the years `discounting` counts, from a workspace
/// that [`evaluate`] has filled over at least those years.
pub fn against_comparator(
    model: &Model,
    ws: &Workspace,
    option: usize,
    discounting: &Discounting,
) -> (f64, f64) {
    let (own, comparator) = (ws.net_values(option), ws.net_values(model.comparator));
    let (mut nominal, mut pv) = (0.0, 0.0);
    for t in 0..discounting.years {
        let gain = own[t] - comparator[t];
        nominal += gain;
        pv += gain * discounting.factors[t];
    }
    (nominal, pv)
}

/// An option in full: year by year, and its totals against the comparator.
#[derive(Debug, Clone)]
pub struct OptionDetail {
    pub id: String,
    pub name: String,
    pub years: Vec<YearOutcome>,
    /// Net value less the comparator's, each year.
    pub efficiency_by_year: Vec<f64>,
    pub discount_factors: Vec<f64>,
    pub nominal: f64,
    pub present_value: f64,
    /// Final-year activity avoided beyond the comparator's, one entry per
    /// activity of the model.
    pub steady_state_activity: Vec<f64>,
    /// Final-year full-time equivalents released, one entry per capacity
    /// measure of the model.
    pub capacity: Vec<f64>,
}

/// Every option in full on one set of values.
pub fn detail(model: &Model, values: &[f64], rollout: Rollout) -> Vec<OptionDetail> {
    let mut ws = Workspace::new(model);
    schedule_options(model, values, rollout, &mut ws);
    let horizon = model.horizon_years;
    let years: Vec<Vec<YearOutcome>> = (0..model.options.len())
        .map(|k| {
            ws.schedule(k)
                .iter()
                .enumerate()
                .map(|(t, hubs)| model.year_outcome(t + 1, hubs, values))
                .collect()
        })
        .collect();
    let rate = model.discount_rate(values);
    let discount_factors: Vec<f64> = (1..=horizon)
        .map(|t| Model::discount_factor(rate, t))
        .collect();
    let comparator = &years[model.comparator];
    model
        .options
        .iter()
        .zip(&years)
        .map(|(option, own)| {
            let efficiency_by_year: Vec<f64> = own
                .iter()
                .zip(comparator)
                .map(|(o, c)| o.net_value - c.net_value)
                .collect();
            let (nominal, present_value) = model.totals(&efficiency_by_year, values);
            let steady_state_activity: Vec<f64> = own[horizon - 1]
                .activity_avoided
                .iter()
                .zip(&comparator[horizon - 1].activity_avoided)
                .map(|(o, c)| o - c)
                .collect();
            OptionDetail {
                id: option.id.clone(),
                name: option.name.clone(),
                years: own.clone(),
                efficiency_by_year,
                discount_factors: discount_factors.clone(),
                nominal,
                present_value,
                capacity: model.capacity_released(&steady_state_activity, values),
                steady_state_activity,
            }
        })
        .collect()
}

/// The deterministic base case: base values, expected roll-out.
pub fn base_case(model: &Model, inputs: &Inputs) -> Vec<OptionDetail> {
    detail(model, &inputs.base_values(), Rollout::Expected)
}

/// The largest option value, in £ either way, a run accepts: a thousand
/// times the UK's GDP, beyond any health-system decision, and far enough
/// below f64's range that sums of squares over a hundred million draws
/// stay finite.
pub const MAX_GBP: f64 = 1e15;

/// An option value the analyses can use: finite and within ±[`MAX_GBP`].
pub fn plausible(gbp: f64) -> bool {
    gbp.is_finite() && gbp.abs() <= MAX_GBP
}

/// The base case, refused when a value is not plausible: base values
/// extreme enough to overflow the model's arithmetic are bad input, named.
pub fn checked_base_case(model: &Model, inputs: &Inputs) -> Result<Vec<OptionDetail>> {
    let base = base_case(model, inputs);
    let finite = |o: &OptionDetail| {
        plausible(o.nominal)
            && plausible(o.present_value)
            && o.efficiency_by_year.iter().all(|&v| plausible(v))
    };
    if base.iter().all(finite) {
        return Ok(base);
    }
    // The parameters that, brought to an ordinary magnitude (1) alone,
    // make the base case finite; failing those, the largest values.
    let values = inputs.base_values();
    let mut ws = Workspace::new(model);
    let n = model.options.len();
    let mut totals = Totals::new(n);
    let mut trial = values.clone();
    let mut involved: Vec<usize> = (0..values.len())
        .filter(|&i| {
            trial.copy_from_slice(&values);
            trial[i] = 1.0;
            evaluate(model, &trial, Rollout::Expected, &mut ws, &mut totals);
            totals
                .nominal
                .iter()
                .chain(&totals.present_value)
                .all(|&v| plausible(v))
        })
        .collect();
    let what = if involved.is_empty() {
        involved = (0..values.len()).collect();
        involved.sort_by(|&a, &b| values[b].abs().total_cmp(&values[a].abs()));
        involved.truncate(3);
        "the base case (no parameter alone: look also at numbers written in place in the option and resource files, beside the largest parameters)"
    } else {
        "the base case"
    };
    Err(not_finite(inputs, &values, &involved, what))
}

/// The error for option values that are not finite in `what` (the base
/// case, a draw), naming the parameters `involved` with their values.
pub fn not_finite(inputs: &Inputs, values: &[f64], involved: &[usize], what: &str) -> Error {
    let named: Vec<String> = involved
        .iter()
        .map(|&i| {
            format!(
                "{} = {}",
                inputs.parameters[i].name,
                crate::error::number(values[i])
            )
        })
        .collect();
    let first = involved.first().map(|&i| &inputs.parameters[i]);
    Error::input(
        first.map_or(&inputs.dir, |p| &p.file),
        first.map_or("", |p| p.name.as_str()),
        format!(
            "{what} gives option values that are not finite or beyond ±£1e15 with {}: values this extreme overflow the model's arithmetic; give the parameter a realistic value or a narrower distribution",
            named.join(", ")
        ),
    )
}
