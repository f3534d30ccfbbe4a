//! The engine: one draw's parameter values, roll-out and model, into one
//! row of the run's columns, and a chunk of draws in parallel.

use polars::prelude::*;
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::inputs::Inputs;
use crate::model::Model;
use crate::outcomes::{self, Rollout, Totals, Workspace};
use crate::plan::config::Uncertainty;
use crate::plan::scenario::Adjustments;
use crate::results::DrawColumn;
use crate::sampling;

/// The columns of one draw's row: the sampled parameters, each option's
/// hub-years, then each option's nominal and present value.
pub struct Layout {
    /// Parameters whose distribution is not fixed: the sampled ones.
    pub sampled: Vec<usize>,
    pub names: Vec<String>,
    pub(super) options: usize,
}

impl Layout {
    pub(super) fn new(inputs: &Inputs, model: &Model) -> Layout {
        let sampled = inputs.sampled();
        let mut names: Vec<String> = sampled
            .iter()
            .map(|&i| inputs.parameters[i].name.clone())
            .collect();
        for o in &model.options {
            names.push(DrawColumn::HubYears(&o.id).name());
        }
        for o in &model.options {
            names.push(DrawColumn::Nominal(&o.id).name());
            names.push(DrawColumn::PresentValue(&o.id).name());
        }
        Layout {
            sampled,
            names,
            options: model.options.len(),
        }
    }

    pub(super) fn width(&self) -> usize {
        self.names.len()
    }

    pub(super) fn hub_years_offset(&self) -> usize {
        self.sampled.len()
    }

    pub(super) fn outcome_offset(&self) -> usize {
        self.sampled.len() + self.options
    }

    /// Option k's nominal value; its present value is the column after.
    pub(super) fn nominal_column(&self, option: usize) -> usize {
        self.outcome_offset() + 2 * option
    }

    pub(super) fn present_value_column(&self, option: usize) -> usize {
        self.nominal_column(option) + 1
    }
}

/// Per-thread buffers for computing draws.
pub(super) struct Scratch {
    pub(super) values: Vec<f64>,
    pub(super) totals: Totals,
    pub(super) workspace: Workspace,
}

/// The engine of a plan's draws (or of a scenario on them).
pub fn for_plan<'p>(
    plan: &'p crate::plan::Plan,
    config: &crate::plan::RunConfig,
    model: &'p Model,
    uncertainty: Uncertainty,
) -> Engine<'p> {
    let sampler = sampling::Sampler::new(&plan.inputs, &plan.sampling, config.seed, config.samples);
    Engine::new(&plan.inputs, model, sampler, uncertainty)
}

pub struct Engine<'a> {
    pub inputs: &'a Inputs,
    pub model: &'a Model,
    pub layout: Layout,
    pub sampler: sampling::Sampler<'a>,
    pub uncertainty: Uncertainty,
    pub adjustments: Adjustments,
    /// The run's sampled parameter values, one column per sampled parameter
    /// (draws from 0), when they are already drawn: scenarios read them
    /// rather than drawing them again.
    pub drawn: Option<&'a [Vec<f64>]>,
    /// Years of yearly flows each draw computes: the model's horizon, or
    /// more when a scenario reads later years of the same draw.
    pub span: usize,
}

impl<'a> Engine<'a> {
    pub fn new(
        inputs: &'a Inputs,
        model: &'a Model,
        sampler: sampling::Sampler<'a>,
        uncertainty: Uncertainty,
    ) -> Self {
        Engine {
            inputs,
            model,
            layout: Layout::new(inputs, model),
            sampler,
            uncertainty,
            adjustments: Adjustments::default(),
            drawn: None,
            span: model.horizon_years,
        }
    }

    /// Parameter values at base, with the adjustments applied.
    pub fn base_values(&self) -> Vec<f64> {
        let mut values = self.inputs.base_values();
        self.adjustments.apply_at_base(&mut values);
        values
    }

    /// Evaluates draw `draw` into the scratch's values, nominal and PV.
    pub(super) fn evaluate(&self, draw: u64, s: &mut Scratch) {
        if self.uncertainty.parameters {
            match self.drawn {
                Some(columns) => self.sampler.fill(
                    columns.iter().map(|column| column[draw as usize]),
                    &mut s.values,
                ),
                None => self.sampler.draw(draw, &mut s.values),
            }
        }
        if self.uncertainty.parameters {
            self.adjustments.apply(&mut s.values);
        } else {
            self.adjustments.apply_at_base(&mut s.values);
        }
        self.run_model(draw, s);
    }

    /// The model on the scratch's values with draw `draw`'s roll-out, into
    /// the scratch's nominal and present values.
    pub(super) fn run_model(&self, draw: u64, s: &mut Scratch) {
        outcomes::evaluate(
            self.model,
            &s.values,
            self.rollout(draw),
            &mut s.workspace,
            &mut s.totals,
        );
    }

    /// Refuses option values that are not plausible (NaN, infinite, or
    /// beyond any health-system budget, from parameter values extreme
    /// enough to overflow the model's or the statistics' arithmetic),
    /// naming the first such draw and the parameters that make it so.
    /// `values` holds draws `first..` with `stride` values a draw.
    pub fn check_plausible(&self, first: u64, values: &[f64], stride: usize) -> Result<()> {
        match values.iter().position(|&v| !outcomes::plausible(v)) {
            None => Ok(()),
            Some(at) => Err(self.not_finite(first + (at / stride) as u64)),
        }
    }

    /// The error for draw `draw`, whose option values are not plausible:
    /// the sampled parameters that, set back to base alone, make them so,
    /// or failing that the draw's most extreme values.
    pub(super) fn not_finite(&self, draw: u64) -> Error {
        let mut s = self.scratch();
        self.evaluate(draw, &mut s);
        let drawn = s.values.clone();
        let base = self.base_values();
        let mut finite_without = |slot: usize| {
            s.values.copy_from_slice(&drawn);
            s.values[slot] = base[slot];
            self.run_model(draw, &mut s);
            s.totals
                .nominal
                .iter()
                .chain(&s.totals.present_value)
                .all(|&v| outcomes::plausible(v))
        };
        let mut involved: Vec<usize> = self
            .layout
            .sampled
            .iter()
            .copied()
            .filter(|&slot| finite_without(slot))
            .collect();
        if involved.is_empty() {
            involved = extremes(&drawn, &self.layout.sampled);
        }
        outcomes::not_finite(self.inputs, &drawn, &involved, &format!("draw {draw}"))
    }

    pub(super) fn rollout(&self, draw: u64) -> Rollout {
        Rollout::of(self.uncertainty.rollout, self.sampler.seed, draw)
    }

    /// Every option's PV in draws `first..first + out.len() / options`, in
    /// parallel; option k of draw j at `out[j * options + k]`.
    pub fn present_values(&self, first: u64, out: &mut [f64]) {
        let options = self.model.options.len();
        out.par_chunks_mut(options).enumerate().for_each_init(
            || self.scratch(),
            |s, (j, pv)| {
                self.evaluate(first + j as u64, s);
                pv.copy_from_slice(&s.totals.present_value);
            },
        );
    }

    pub(super) fn scratch(&self) -> Scratch {
        let n = self.model.options.len();
        Scratch {
            values: self.base_values(),
            totals: Totals::new(n),
            workspace: Workspace::spanning(self.model, self.span),
        }
    }

    /// Computes draw `draw` into `row` (laid out as [`Layout`]).
    pub(super) fn compute(&self, draw: u64, s: &mut Scratch, row: &mut [f64]) {
        self.evaluate(draw, s);
        let l = &self.layout;
        let types = self.model.hub_types.len();
        for (cell, &slot) in row.iter_mut().zip(&l.sampled) {
            *cell = s.values[slot];
        }
        for k in 0..l.options {
            row[l.hub_years_offset() + k] = s
                .workspace
                .schedule(k)
                .iter()
                .take(self.model.horizon_years)
                .map(|y| y.hub_years[..types].iter().sum::<f64>())
                .sum();
            row[l.nominal_column(k)] = s.totals.nominal[k];
            row[l.present_value_column(k)] = s.totals.present_value[k];
        }
    }

    pub(super) fn frame(&self, first: u64, columns: Vec<Vec<f64>>) -> Result<DataFrame> {
        let height = columns.first().map_or(0, Vec::len);
        let mut frame = Vec::with_capacity(columns.len() + 1);
        frame.push(Column::new(
            "draw".into(),
            (first..first + height as u64).collect::<Vec<u64>>(),
        ));
        for (name, column) in self.layout.names.iter().zip(columns) {
            frame.push(Column::new(name.as_str().into(), column));
        }
        DataFrame::new(height, frame).map_err(|e| {
            Error::internal(
                std::path::Path::new("samples.parquet"),
                format!("building a chunk of draws failed: {e}"),
            )
        })
    }

    pub(super) fn schema(&self) -> Schema {
        let mut schema = Schema::default();
        schema.with_column("draw".into(), DataType::UInt64);
        for name in &self.layout.names {
            schema.with_column(name.as_str().into(), DataType::Float64);
        }
        schema
    }
}

/// The three of `slots` whose values are largest in magnitude.
pub(super) fn extremes(values: &[f64], slots: &[usize]) -> Vec<usize> {
    let mut by_size = slots.to_vec();
    by_size.sort_by(|&a, &b| values[b].abs().total_cmp(&values[a].abs()));
    by_size.truncate(3);
    by_size
}
