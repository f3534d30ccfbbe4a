//! Stage 3 of the pipeline, the plan of a run: the run file and its flags (`config.rs`, with
//! `extends.rs` for run files that build on others, `outputs.rs` for the
//! files asked for besides the default ones), then every input and every
//! question of the run file checked before any draw: the question
//! (`question.rs`), the scenarios (`scenario.rs`, with `set_value.rs`),
//! the tornado (`tornado.rs`), the two-way grids (`two_way.rs`) and the
//! value of information (`evppi.rs`). It produces one [`Plan`].

pub mod config;
pub mod evppi;
mod extends;
pub mod outputs;
pub mod question;
pub mod scenario;
pub mod set_value;
pub mod tornado;
pub mod two_way;

pub use config::{Overrides, RunConfig, Shard, Uncertainty};

use crate::error::{Error, Result};
use crate::inputs::Inputs;
use crate::model::Model;
use crate::outcomes;
use crate::sampling;

/// Everything a run needs, validated before any draw is made.
pub struct Plan {
    pub inputs: Inputs,
    pub model: Model,
    /// The deterministic base case, checked plausible before any draw.
    pub base: Vec<crate::outcomes::OptionDetail>,
    pub question: question::Question,
    pub outcome: tornado::Outcome,
    pub ranges: Vec<tornado::ParameterRange>,
    pub grid: usize,
    pub scenarios: Vec<scenario::Scenario>,
    pub sampling: sampling::SamplingPlan,
    pub evppi: Vec<evppi::Item>,
    pub studies: Vec<evppi::Study>,
    pub two_way: Vec<two_way::TwoWay>,
}

impl Plan {
    pub fn new(config: &RunConfig) -> Result<Plan> {
        Self::with_outcome(config, config.tornado.outcome.as_deref())
    }

    /// As `new`, with the tornado's outcome given (e.g. from the command
    /// line); without one, the run file's, else the headline pair's.
    pub fn with_outcome(config: &RunConfig, outcome: Option<&str>) -> Result<Plan> {
        let inputs = Inputs::load_with(&config.distributions, &config.restatements)?;
        let model = Model::compile(&inputs)?;
        let base = outcomes::checked_base_case(&model, &inputs)?;
        if model.options.len() > sampling::MAX_OPTIONS {
            return Err(Error::input(
                &inputs.dir,
                "option",
                format!("at most {} options per run", sampling::MAX_OPTIONS),
            ));
        }
        let question = question::Question::resolve(&config.decision, &model, &config.file)?;
        if let Some(text) = &config.until_mcse_pair {
            question::Pair::parse(text, &model, &question, &config.file, "--until-mcse-pair")?;
        }
        let outcome = match outcome.or(config.tornado.outcome.as_deref()) {
            Some(text) => tornado::Outcome::parse(text, &model, &question, &config.file)?,
            None => tornado::Outcome::default_for(&question, &base),
        };
        let ranges = tornado::ranges(&inputs, &config.tornado, &config.file)?;
        let grid = tornado::grid(&config.tornado, &config.file)?;
        let scenarios = scenario::resolve(&config.scenarios, &inputs, &config.file)?;
        let sampling = sampling::SamplingPlan::new(
            &inputs,
            config.sampling.design,
            config.sampling.repair_correlations,
        )?;
        let evppi = evppi::items(&config.evppi, &inputs, &inputs.sampled(), &config.file)?;
        let studies = evppi::studies(&config.evsi, &inputs, &inputs.sampled(), &config.file)?;
        let two_way = two_way::resolve(&config.two_way, &inputs, &config.file)?;
        Ok(Plan {
            evppi,
            studies,
            two_way,
            sampling,
            inputs,
            model,
            base,
            question,
            outcome,
            ranges,
            grid,
            scenarios,
        })
    }
}
