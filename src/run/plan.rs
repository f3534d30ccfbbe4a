//! The plan of a run: every input and every question of the run file,
//! validated before any draw.

use super::config::{RunConfig, Uncertainty};
use super::engine::Engine;
use super::{evppi, question, scenario, sensitivity, two_way};
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
    pub outcome: sensitivity::Outcome,
    pub ranges: Vec<crate::analysis::tornado::ParameterRange>,
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
            Some(text) => sensitivity::Outcome::parse(text, &model, &question, &config.file)?,
            None => sensitivity::Outcome::default_for(&question, &base),
        };
        let ranges = sensitivity::ranges(&inputs, &config.tornado, &config.file)?;
        let grid = sensitivity::grid(&config.tornado, &config.file)?;
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

    /// The engine of the run's draws (or of a scenario on them).
    pub fn engine<'p>(
        &'p self,
        config: &RunConfig,
        model: &'p Model,
        uncertainty: Uncertainty,
    ) -> Engine<'p> {
        let sampler =
            sampling::Sampler::new(&self.inputs, &self.sampling, config.seed, config.samples);
        Engine::new(&self.inputs, model, sampler, uncertainty)
    }

    /// What the tornado's files say of it beside its bars.
    pub fn tornado_about(&self) -> crate::export::tornado::TornadoAbout {
        crate::export::tornado::TornadoAbout {
            option_ids: self.model.options.iter().map(|o| o.id.clone()).collect(),
            outcome: self.outcome.label(&self.model),
            grid: self.grid,
        }
    }

    pub fn tornado(&self) -> crate::analysis::tornado::Tornado {
        let one_way = sensitivity::Deterministic::new(&self.model, self.outcome);
        crate::analysis::tornado::tornado(
            &one_way,
            &self.inputs.base_values(),
            &self.ranges,
            self.grid,
        )
    }
}
