//! The model with every input resolved to a parameter slot, so that one
//! evaluation is arithmetic on a slice of values.

use super::outcome::{YearHubs, YearOutcome};
use crate::error::{Error, Result};
use crate::inputs::{Inputs, MAX_HUB_TYPES, ValueOrParameter};

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
    /// Index of its hub type in [`Model::hub_types`].
    pub hub_type: usize,
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
    /// Whether the line applies to each hub type.
    applies: [bool; MAX_HUB_TYPES],
    incremental: bool,
    backfilled: bool,
}

/// An activity the hubs change, with the slots of its parameters.
#[derive(Debug, Clone)]
pub struct Activity {
    pub id: String,
    pub name: String,
    pub unit: String,
    impact: usize,
    unit_cost: usize,
}

/// A kind of hub, with the slot of its realisation.
#[derive(Debug, Clone)]
pub struct HubType {
    pub id: String,
    pub name: String,
    realisation: usize,
}

/// A capacity measure: the hours each unit of some activities takes of
/// its staff's time, and the hours a year that make one full-time
/// equivalent.
#[derive(Debug, Clone)]
pub struct CapacityMeasure {
    pub id: String,
    pub name: String,
    hours_per_fte: usize,
    /// (activity index, parameter slot, what divides the parameter into hours)
    time: Vec<(usize, usize, f64)>,
}

#[derive(Debug, Clone)]
pub struct Model {
    pub options: Vec<CompiledOption>,
    pub comparator: usize,
    pub horizon_years: usize,
    pub activities: Vec<Activity>,
    pub hub_types: Vec<HubType>,
    pub capacities: Vec<CapacityMeasure>,
    start_up_cost: usize,
    discount_rate: usize,
    resources: Vec<ResourceLine>,
}

/// Money per hub: what a full-effect hub-year is worth, and what hubs of
/// each type (in the order of [`Model::hub_types`]) cost to run and to open.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rates {
    pub benefit_per_full_effect_hub_year: f64,
    pub running_per_hub_year: [f64; MAX_HUB_TYPES],
    pub backfill_per_hub_month: [f64; MAX_HUB_TYPES],
    pub start_up: f64,
    /// Hub types the model declares: the entries that count.
    pub hub_types: usize,
}

/// The inputs, with their names resolved to parameter slots.
struct Names<'a> {
    inputs: &'a Inputs,
}

impl Names<'_> {
    fn slot(&self, name: &str) -> Result<usize> {
        self.inputs
            .parameter_index(name)
            .ok_or_else(|| Error::input(&self.inputs.dir, name, "missing parameter"))
    }

    fn reference(&self, r: &Option<ValueOrParameter>, default: f64) -> Result<ValueRef> {
        Ok(match r {
            None => ValueRef::Constant(default),
            Some(ValueOrParameter::Value(v)) => ValueRef::Constant(*v),
            Some(ValueOrParameter::Parameter(name)) => ValueRef::Parameter(self.slot(name)?),
        })
    }

    fn optional(&self, r: &Option<ValueOrParameter>) -> Result<Option<ValueRef>> {
        r.as_ref().map(|_| self.reference(r, 0.0)).transpose()
    }

    fn hub_type(&self, hub_types: &[HubType], id: &str) -> Result<usize> {
        hub_types
            .iter()
            .position(|h| h.id == id)
            .ok_or_else(|| Error::input(&self.inputs.dir, id, "no such hub type"))
    }

    fn capacities(&self, activities: &[Activity]) -> Result<Vec<CapacityMeasure>> {
        let activity_index = |id: &str| {
            activities
                .iter()
                .position(|a| a.id == id)
                .ok_or_else(|| Error::input(&self.inputs.dir, id, "no such activity"))
        };
        self.inputs
            .capacities
            .iter()
            .map(|c| {
                let time = c
                    .activities
                    .iter()
                    .map(|t| {
                        let (parameter, divisor) = t.parameter();
                        Ok((activity_index(&t.activity)?, self.slot(parameter)?, divisor))
                    })
                    .collect::<Result<Vec<_>>>()?;
                Ok(CapacityMeasure {
                    id: c.id.clone(),
                    name: c.name.clone(),
                    hours_per_fte: self.slot(&c.hours_per_fte)?,
                    time,
                })
            })
            .collect()
    }

    fn option(
        &self,
        o: &crate::inputs::OptionEntry,
        hub_types: &[HubType],
    ) -> Result<CompiledOption> {
        let mut cohorts = Vec::new();
        for c in &o.cohorts {
            let opens = c
                .opens
                .map(|crate::inputs::exact::Two([a, b])| (a as usize, b as usize))
                .unwrap_or((0, 0));
            cohorts.push(Cohort {
                label: c.label.clone(),
                hubs: c.hubs as usize,
                hub_type: self.hub_type(hub_types, &c.hub_type)?,
                existing: c.existing,
                opens,
                join_probability: self.reference(&c.join_probability, 1.0)?,
                slip_probability: self.reference(&c.slip_probability, 0.0)?,
                folds_within_months: self.optional(&c.folds_within_months)?,
                backfill_months: self.reference(&c.backfill_months, 0.0)?,
                start_up: c.start_up,
                first_year_realisation: self.optional(&c.first_year_realisation)?,
            });
        }
        Ok(CompiledOption {
            id: o.id.clone(),
            name: o.name.clone(),
            cohorts,
        })
    }

    fn resources(&self, hub_types: &[HubType]) -> Result<Vec<ResourceLine>> {
        let mut resources = Vec::new();
        for r in &self.inputs.resources {
            let mut applies = [false; MAX_HUB_TYPES];
            for id in &r.hub_types {
                applies[self.hub_type(hub_types, id)?] = true;
            }
            resources.push(ResourceLine {
                hours: self.slot(&r.hours)?,
                rate: self.slot(&r.rate)?,
                applies,
                incremental: r.incremental,
                backfilled: r.backfilled,
            });
        }
        Ok(resources)
    }
}

impl Model {
    pub fn compile(inputs: &Inputs) -> Result<Model> {
        let names = Names { inputs };
        let activities = inputs
            .activities
            .iter()
            .map(|a| {
                Ok(Activity {
                    id: a.id.clone(),
                    name: a.name.clone(),
                    unit: a.unit.clone(),
                    impact: names.slot(&a.impact)?,
                    unit_cost: names.slot(&a.unit_cost)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let hub_types = inputs
            .hub_types
            .iter()
            .map(|h| {
                Ok(HubType {
                    id: h.id.clone(),
                    name: h.name.clone(),
                    realisation: names.slot(&h.realisation)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let capacities = names.capacities(&activities)?;
        let options = inputs
            .options
            .iter()
            .map(|o| names.option(o, &hub_types))
            .collect::<Result<Vec<_>>>()?;
        let comparator = options
            .iter()
            .position(|o| o.id == inputs.settings.comparator)
            .ok_or_else(|| Error::input(&inputs.settings.file, "comparator", "no such option"))?;
        let resources = names.resources(&hub_types)?;
        Ok(Model {
            options,
            comparator,
            horizon_years: inputs.settings.horizon_years,
            activities,
            hub_types,
            capacities,
            start_up_cost: names.slot("start_up_cost")?,
            discount_rate: names.slot("discount_rate")?,
            resources,
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
            .activities
            .iter()
            .flat_map(|a| [a.impact, a.unit_cost])
            .chain(self.hub_types.iter().map(|h| h.realisation))
            .chain(std::iter::once(self.start_up_cost))
            .chain(self.resources.iter().flat_map(|r| [r.hours, r.rate]))
            .chain(references.flatten().filter_map(|r| match r {
                ValueRef::Parameter(i) => Some(i),
                ValueRef::Constant(_) => None,
            }));
        slots.any(|i| i == slot)
    }

    /// Realisation (share of the full effect achieved) of hub type `hub_type`.
    #[inline]
    pub fn realisation(&self, hub_type: usize, values: &[f64]) -> f64 {
        values[self.hub_types[hub_type].realisation]
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
        self.activities
            .iter()
            .map(|a| values[a.impact] * values[a.unit_cost])
            .sum()
    }

    /// Incremental running cost of one hub-year of a hub type: Σ hours/month × 12 × rate.
    pub fn running_cost_per_hub_year(&self, hub_type: usize, values: &[f64]) -> f64 {
        self.resources
            .iter()
            .filter(|r| r.incremental && r.applies[hub_type])
            .map(|r| values[r.hours] * 12.0 * values[r.rate])
            .sum()
    }

    /// Cost of one month of backfill for a new hub of a hub type.
    pub fn backfill_cost_per_hub_month(&self, hub_type: usize, values: &[f64]) -> f64 {
        self.resources
            .iter()
            .filter(|r| r.backfilled && r.applies[hub_type])
            .map(|r| values[r.hours] * values[r.rate])
            .sum()
    }

    /// The per-hub money rates of one set of values, computed once per draw.
    pub fn rates(&self, values: &[f64]) -> Rates {
        let types = self.hub_types.len();
        let mut running_per_hub_year = [0.0; MAX_HUB_TYPES];
        let mut backfill_per_hub_month = [0.0; MAX_HUB_TYPES];
        for m in 0..types {
            running_per_hub_year[m] = self.running_cost_per_hub_year(m, values);
            backfill_per_hub_month[m] = self.backfill_cost_per_hub_month(m, values);
        }
        Rates {
            benefit_per_full_effect_hub_year: self.benefit_per_full_effect_hub_year(values),
            running_per_hub_year,
            backfill_per_hub_month,
            start_up: values[self.start_up_cost],
            hub_types: types,
        }
    }

    /// Gross benefit, running cost and transition cost of one option-year.
    #[inline]
    pub fn year_money(hubs: &YearHubs, rates: &Rates) -> (f64, f64, f64) {
        let gross = hubs.effective_hub_years * rates.benefit_per_full_effect_hub_year;
        let n = rates.hub_types.min(MAX_HUB_TYPES);
        let mut running = 0.0;
        let mut transition = 0.0;
        let hub_types = hubs.hub_years[..n]
            .iter()
            .zip(&hubs.start_ups[..n])
            .zip(&hubs.backfill_hub_months[..n]);
        let per_hub = rates.running_per_hub_year[..n]
            .iter()
            .zip(&rates.backfill_per_hub_month[..n]);
        for (((hub_years, start_ups), backfill), (run, per_month)) in hub_types.zip(per_hub) {
            running += hub_years * run;
            transition += start_ups * rates.start_up + backfill * per_month;
        }
        (gross, running, transition)
    }

    /// Everything one option achieves and costs in one year.
    pub fn year_outcome(&self, year: usize, hubs: &YearHubs, values: &[f64]) -> YearOutcome {
        let activity_avoided = self
            .activities
            .iter()
            .map(|a| hubs.effective_hub_years * values[a.impact])
            .collect();
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

    /// An option's money each year, `[gross benefit, running cost,
    /// transition cost]`, and its net value, written into `money` and `net`
    /// (one entry per year of the schedule).
    pub fn net_values(
        schedule: &[YearHubs],
        rates: &Rates,
        money: &mut [[f64; 3]],
        net: &mut [f64],
    ) {
        for ((hubs, m), v) in schedule.iter().zip(money.iter_mut()).zip(net.iter_mut()) {
            let (gross, running, transition) = Self::year_money(hubs, rates);
            *m = [gross, running, transition];
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

    /// Each capacity measure's full-time equivalents released in a year by
    /// `extra_activity` avoided (one entry per activity) beyond the
    /// comparator's; negative where more is needed.
    pub fn capacity_released(&self, extra_activity: &[f64], values: &[f64]) -> Vec<f64> {
        self.capacities
            .iter()
            .map(|c| {
                let hours = c
                    .time
                    .iter()
                    .fold(0.0, |hours, &(activity, slot, divisor)| {
                        hours + extra_activity[activity] * values[slot] / divisor
                    });
                hours / values[c.hours_per_fte]
            })
            .collect()
    }
}
