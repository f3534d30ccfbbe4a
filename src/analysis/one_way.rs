//! The deterministic model (expected roll-out) as the one-way analyses
//! see it: every option's PV at given parameter values, and the outcome
//! the plan's tornado shows.

use std::cell::RefCell;

use super::tornado::OneWayModel;
use crate::model::Model;
use crate::outcomes::{self, Rollout, Workspace};
use crate::plan::tornado::Outcome;

/// The deterministic CHH model (expected roll-out) seen by the one-way analysis.
pub struct Deterministic<'a> {
    pub model: &'a Model,
    pub outcome: Outcome,
    workspace: RefCell<Workspace>,
}

impl<'a> Deterministic<'a> {
    pub fn new(model: &'a Model, outcome: Outcome) -> Self {
        Deterministic {
            model,
            outcome,
            workspace: RefCell::new(Workspace::new(model)),
        }
    }
}

impl OneWayModel for Deterministic<'_> {
    fn option_values(&self, values: &[f64]) -> Vec<f64> {
        let n = self.model.options.len();
        let mut totals = outcomes::Totals::new(n);
        outcomes::evaluate(
            self.model,
            values,
            Rollout::Expected,
            &mut self.workspace.borrow_mut(),
            &mut totals,
        );
        totals.present_value
    }

    fn outcome(&self, option_values: &[f64]) -> f64 {
        self.outcome.value(option_values)
    }

    fn threshold(&self) -> f64 {
        self.outcome.threshold()
    }

    /// For a pair, the better of the two at its margin; else the best of all.
    fn better(&self, option_values: &[f64]) -> usize {
        match self.outcome {
            Outcome::Difference(a, b, m) => {
                if option_values[a] - option_values[b] > m {
                    a
                } else {
                    b
                }
            }
            Outcome::AgainstComparator(_) => super::tornado::best(option_values),
        }
    }
}

/// The plan's tornado: each of its ranges on its grid, on the deterministic
/// model, showing its outcome.
pub fn tornado(plan: &crate::plan::Plan) -> super::tornado::Tornado {
    let one_way = Deterministic::new(&plan.model, plan.outcome);
    super::tornado::tornado(
        &one_way,
        &plan.inputs.base_values(),
        &plan.ranges,
        plan.grid,
    )
}
