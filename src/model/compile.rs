//! The model with every input resolved to a parameter slot, so that one
//! evaluation is arithmetic on a slice of values.

use super::outcome::{YearHubs, YearOutcome};
use super::{ACTIVITIES, N_ACTIVITIES};
use crate::error::{Error, Result};
use crate::inputs::{HubModel, Inputs, ResourceHubs, ValueOrParameter};

/// A model input: a constant from an option table, or a parameter's slot.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ValueRef {
    Constant(f64),
    Parameter(usize),
}

impl ValueRef {
    #[inline]
    pub fn get(self, values: &[f64]) -> f64 {
        match self {
            ValueRef::Constant(v) => v,
            ValueRef::Parameter(i) => values[i],
        }
    }
}

/// A cohort of hubs within an option, resolved.
#[derive(Debug, Clone)]
pub struct Cohort {
    pub label: String,
    pub hubs: usize,
    pub model: HubModel,
    pub existing: bool,
    /// First and last planned opening year (1-based); unused for existing hubs.
    pub opens: (usize, usize),
    pub join_probability: ValueRef,
    pub slip_probability: ValueRef,
    pub folds_within_months: Option<ValueRef>,
    pub backfill_months: ValueRef,
    pub start_up: bool,
    pub first_year_realisation: Option<ValueRef>,
}

#[derive(Debug, Clone)]
pub struct CompiledOption {
    pub id: String,
    pub name: String,
    pub cohorts: Vec<Cohort>,
}

#[derive(Debug, Clone)]
struct ResourceLine {
    hours: usize,
    rate: usize,
    hubs: ResourceHubs,
    incremental: bool,
    backfilled: bool,
}

impl ResourceLine {
    fn applies_to(&self, model: HubModel) -> bool {
        self.hubs == ResourceHubs::All || model == HubModel::Enhanced
    }
}

#[derive(Debug, Clone)]
pub struct Model {
    pub options: Vec<CompiledOption>,
    pub comparator: usize,
    pub horizon_years: usize,
    impact: [usize; N_ACTIVITIES],
    unit_cost: [usize; N_ACTIVITIES],
    realisation: [usize; 2],
    start_up_cost: usize,
    discount_rate: usize,
    resources: Vec<ResourceLine>,
    consultant_hours_per_new: usize,
    consultant_hours_per_followup: usize,
    consultant_hours_per_fte: usize,
    gp_minutes_per_appointment: usize,
    gp_hours_per_fte: usize,
}

/// Money per hub: what a full-effect hub-year is worth, and what hubs of
/// each model (`[standard, enhanced]`) cost to run and to open.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rates {
    pub benefit_per_full_effect_hub_year: f64,
    pub running_per_hub_year: [f64; 2],
    pub backfill_per_hub_month: [f64; 2],
    pub start_up: f64,
}

/// Consultant and GP time that an option frees (or, if negative, needs) in
/// its final year against the comparator, in full-time equivalents.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CapacityReleased {
    pub paediatricians: f64,
    pub gps: f64,
}

pub fn model_index(model: HubModel) -> usize {
    match model {
        HubModel::Standard => 0,
        HubModel::Enhanced => 1,
    }
}

impl Model {
    pub fn compile(inputs: &Inputs) -> Result<Model> {
        let slot = |name: &str| {
            inputs
                .parameter_index(name)
                .ok_or_else(|| Error::input(&inputs.dir, name, "missing parameter"))
        };
        let reference = |r: &Option<ValueOrParameter>, default: f64| -> Result<ValueRef> {
            Ok(match r {
                None => ValueRef::Constant(default),
                Some(ValueOrParameter::Value(v)) => ValueRef::Constant(*v),
                Some(ValueOrParameter::Parameter(name)) => ValueRef::Parameter(slot(name)?),
            })
        };
        let mut impact = [0; N_ACTIVITIES];
        let mut unit_cost = [0; N_ACTIVITIES];
        for (k, (id, _)) in ACTIVITIES.iter().enumerate() {
            impact[k] = slot(&format!("impact_{id}"))?;
            unit_cost[k] = slot(&format!("cost_{id}"))?;
        }
        let mut options = Vec::new();
        for o in &inputs.options {
            let mut cohorts = Vec::new();
            for c in &o.cohorts {
                let opens = c
                    .opens
                    .map(|crate::inputs::exact::Two([a, b])| (a as usize, b as usize))
                    .unwrap_or((0, 0));
                cohorts.push(Cohort {
                    label: c.label.clone(),
                    hubs: c.hubs as usize,
                    model: c.model,
                    existing: c.existing,
                    opens,
                    join_probability: reference(&c.join_probability, 1.0)?,
                    slip_probability: reference(&c.slip_probability, 0.0)?,
                    folds_within_months: match &c.folds_within_months {
                        None => None,
                        some => Some(reference(some, 0.0)?),
                    },
                    backfill_months: reference(&c.backfill_months, 0.0)?,
                    start_up: c.start_up,
                    first_year_realisation: match &c.first_year_realisation {
                        None => None,
                        some => Some(reference(some, 0.0)?),
                    },
                });
            }
            options.push(CompiledOption {
                id: o.id.clone(),
                name: o.name.clone(),
                cohorts,
            });
        }
        let comparator = options
            .iter()
            .position(|o| o.id == inputs.settings.comparator)
            .ok_or_else(|| Error::input(&inputs.settings.file, "comparator", "no such option"))?;
        let mut resources = Vec::new();
        for r in &inputs.resources {
            resources.push(ResourceLine {
                hours: slot(&r.hours)?,
                rate: slot(&r.rate)?,
                hubs: r.hubs,
                incremental: r.incremental,
                backfilled: r.backfilled,
            });
        }
        Ok(Model {
            options,
            comparator,
            horizon_years: inputs.settings.horizon_years,
            impact,
            unit_cost,
            realisation: [slot("realisation_standard")?, slot("realisation_enhanced")?],
            start_up_cost: slot("start_up_cost")?,
            discount_rate: slot("discount_rate")?,
            resources,
            consultant_hours_per_new: slot("consultant_hours_per_new_outpatient")?,
            consultant_hours_per_followup: slot("consultant_hours_per_followup_outpatient")?,
            consultant_hours_per_fte: slot("consultant_outpatient_hours_per_fte")?,
            gp_minutes_per_appointment: slot("gp_minutes_per_appointment")?,
            gp_hours_per_fte: slot("gp_hours_per_fte")?,
        })
    }

    /// The same model over another horizon (a scenario).
    pub fn with_horizon(&self, years: usize) -> Model {
        Model {
            horizon_years: years,
            ..self.clone()
        }
    }

    /// Whether a year's schedule or money reads parameter `slot`. The
    /// discount rate is read only to discount them, so a scenario that
    /// changes it alone can reweight a draw's flows rather than re-run them.
    pub fn flows_read(&self, slot: usize) -> bool {
        let cohorts = self.options.iter().flat_map(|o| &o.cohorts);
        let references = cohorts.flat_map(|c| {
            [
                Some(c.join_probability),
                Some(c.slip_probability),
                c.folds_within_months,
                Some(c.backfill_months),
                c.first_year_realisation,
            ]
        });
        let mut slots = self
            .impact
            .iter()
            .chain(&self.unit_cost)
            .chain(&self.realisation)
            .chain(std::iter::once(&self.start_up_cost))
            .copied()
            .chain(self.resources.iter().flat_map(|r| [r.hours, r.rate]))
            .chain(references.flatten().filter_map(|r| match r {
                ValueRef::Parameter(i) => Some(i),
                ValueRef::Constant(_) => None,
            }));
        slots.any(|i| i == slot)
    }

    /// Realisation (share of the full effect achieved) of a hub model.
    #[inline]
    pub fn realisation(&self, model: HubModel, values: &[f64]) -> f64 {
        values[self.realisation[model_index(model)]]
    }

    pub fn discount_rate(&self, values: &[f64]) -> f64 {
        values[self.discount_rate]
    }

    /// The slot of the discount rate among the parameter values.
    pub fn discount_rate_slot(&self) -> usize {
        self.discount_rate
    }

    /// Gross benefit of one hub-year at full effect: Σ activity × unit cost.
    pub fn benefit_per_full_effect_hub_year(&self, values: &[f64]) -> f64 {
        (0..N_ACTIVITIES)
            .map(|k| values[self.impact[k]] * values[self.unit_cost[k]])
            .sum()
    }

    /// Incremental running cost of one hub-year of a model: Σ hours/month × 12 × rate.
    pub fn running_cost_per_hub_year(&self, model: HubModel, values: &[f64]) -> f64 {
        self.resources
            .iter()
            .filter(|r| r.incremental && r.applies_to(model))
            .map(|r| values[r.hours] * 12.0 * values[r.rate])
            .sum()
    }

    /// Cost of one month of backfill for a new hub of a model.
    pub fn backfill_cost_per_hub_month(&self, model: HubModel, values: &[f64]) -> f64 {
        self.resources
            .iter()
            .filter(|r| r.backfilled && r.applies_to(model))
            .map(|r| values[r.hours] * values[r.rate])
            .sum()
    }

    /// The per-hub money rates of one set of values, computed once per draw.
    pub fn rates(&self, values: &[f64]) -> Rates {
        let models = [HubModel::Standard, HubModel::Enhanced];
        Rates {
            benefit_per_full_effect_hub_year: self.benefit_per_full_effect_hub_year(values),
            running_per_hub_year: models.map(|m| self.running_cost_per_hub_year(m, values)),
            backfill_per_hub_month: models.map(|m| self.backfill_cost_per_hub_month(m, values)),
            start_up: values[self.start_up_cost],
        }
    }

    /// Gross benefit, running cost and transition cost of one option-year.
    #[inline]
    pub fn year_money(hubs: &YearHubs, rates: &Rates) -> (f64, f64, f64) {
        let gross = hubs.effective_hub_years * rates.benefit_per_full_effect_hub_year;
        let mut running = 0.0;
        let mut transition = 0.0;
        for m in 0..2 {
            running += hubs.hub_years[m] * rates.running_per_hub_year[m];
            transition += hubs.start_ups[m] * rates.start_up
                + hubs.backfill_hub_months[m] * rates.backfill_per_hub_month[m];
        }
        (gross, running, transition)
    }

    /// Everything one option achieves and costs in one year.
    pub fn year_outcome(&self, year: usize, hubs: &YearHubs, values: &[f64]) -> YearOutcome {
        let mut activity_avoided = [0.0; N_ACTIVITIES];
        for (k, a) in activity_avoided.iter_mut().enumerate() {
            *a = hubs.effective_hub_years * values[self.impact[k]];
        }
        let (gross_benefit, running_cost, transition_cost) =
            Self::year_money(hubs, &self.rates(values));
        YearOutcome {
            year,
            hubs: *hubs,
            activity_avoided,
            gross_benefit,
            running_cost,
            transition_cost,
            net_value: gross_benefit - running_cost - transition_cost,
        }
    }

    /// Net value of an option each year (written into `out`, one per year).
    pub fn net_values(&self, schedule: &[YearHubs], rates: &Rates, out: &mut [f64]) {
        for (hubs, v) in schedule.iter().zip(out.iter_mut()) {
            let (gross, running, transition) = Self::year_money(hubs, rates);
            *v = gross - running - transition;
        }
    }

    /// Discount factor of year t (1-based), each year's flow counted at its end.
    #[inline]
    pub fn discount_factor(rate: f64, year: usize) -> f64 {
        (1.0 + rate).powi(-(year as i32))
    }

    /// Nominal and present-value totals of a yearly stream.
    pub fn totals(&self, stream: &[f64], values: &[f64]) -> (f64, f64) {
        let rate = self.discount_rate(values);
        let mut nominal = 0.0;
        let mut present = 0.0;
        for (t, v) in stream.iter().enumerate() {
            nominal += v;
            present += v * Self::discount_factor(rate, t + 1);
        }
        (nominal, present)
    }

    /// Consultant and GP capacity released in a year by `activity` avoided
    /// beyond the comparator's.
    pub fn capacity_released(
        &self,
        extra_activity: &[f64; N_ACTIVITIES],
        values: &[f64],
    ) -> CapacityReleased {
        let index = |id: &str| ACTIVITIES.iter().position(|(a, _)| *a == id).unwrap_or(0);
        let consultant_hours = extra_activity[index("new_outpatient")]
            * values[self.consultant_hours_per_new]
            + extra_activity[index("followup_outpatient")]
                * values[self.consultant_hours_per_followup];
        let gp_hours = extra_activity[index("gp_appointment")]
            * values[self.gp_minutes_per_appointment]
            / 60.0;
        CapacityReleased {
            paediatricians: consultant_hours / values[self.consultant_hours_per_fte],
            gps: gp_hours / values[self.gp_hours_per_fte],
        }
    }
}
