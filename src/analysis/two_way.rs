//! Two-way sensitivity: the outcome and the preferred option in each cell
//! of the grid the plan checked.

use super::one_way::Deterministic;
use super::tornado::{OneWayModel, best};
use crate::inputs::Inputs;
use crate::model::Model;
use crate::plan::tornado::Outcome;
use crate::plan::two_way::TwoWay;
use crate::results::TwoWayResult;

/// Evaluates one analysis: the outcome and the preferred option in each
/// cell, x varying fastest.
pub fn evaluate(
    two_way: &TwoWay,
    model: &Model,
    inputs: &Inputs,
    outcome: Outcome,
) -> TwoWayResult {
    let deterministic = Deterministic::new(model, outcome);
    let base = inputs.base_values();
    let [(xs, x_values), (ys, y_values)] = &two_way.axes;
    let mut values = base.clone();
    let mut outcome_gbp = Vec::with_capacity(y_values.len());
    let mut preferred = Vec::with_capacity(y_values.len());
    for &y in y_values {
        let (mut row, mut best_row) = (Vec::new(), Vec::new());
        for &x in x_values {
            values[*xs] = x;
            values[*ys] = y;
            let options = deterministic.option_values(&values);
            row.push(deterministic.outcome(&options));
            best_row.push(model.options[best(&options)].id.clone());
        }
        outcome_gbp.push(row);
        preferred.push(best_row);
    }
    TwoWayResult {
        parameters: [
            inputs.parameters[*xs].name.clone(),
            inputs.parameters[*ys].name.clone(),
        ],
        outcome: outcome.label(model),
        x_values: x_values.clone(),
        y_values: y_values.clone(),
        base: [base[*xs], base[*ys]],
        threshold_gbp: outcome.threshold(),
        outcome_gbp,
        preferred,
    }
}
