//! Stage 1 of the pipeline: the parameter files in `distributions/`.
//!
//! Every `*.toml` file in the folder is read; together they must define each
//! parameter the model uses exactly once, the options (`[[option]]`) and the
//! hub resource lines (`[[resource]]`). Everything is validated here, before
//! any sampling, and each error names the file, the parameter and the fault.

mod correlations;
pub mod exact;
mod load;
mod options;
mod parameters;
mod published;
pub mod required;
mod resources;
mod restated;
pub mod structure;
pub mod text;

pub use correlations::{Correlation, CorrelationEntry};
pub use options::{CohortEntry, OptionEntry, OptionsFile, Settings, ValueOrParameter};
pub use parameters::{Domain, Parameter, ParameterEntry};
pub use resources::ResourceEntry;
pub use structure::{ActivityEntry, CapacityEntry, HubTypeEntry, MAX_HUB_TYPES, TimePerUnit};

use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::error::{Error, Faults, Result, closest_name, did_you_mean};
use crate::published::Published;
pub use restated::{Restated, RestatedEntry, Restatement};

/// One distribution file. Each section is optional so that each concern
/// (unit costs, impacts, roll-out, ...) can live in its own file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DistributionFile {
    /// What the file holds, for the reader.
    #[allow(dead_code)]
    about: Option<String>,
    #[serde(default)]
    parameters: BTreeMap<String, ParameterEntry>,
    settings: Option<Settings>,
    #[serde(default, rename = "option")]
    options: Vec<OptionEntry>,
    #[serde(default, rename = "resource")]
    resources: Vec<ResourceEntry>,
    #[serde(default, rename = "correlation")]
    correlations: Vec<CorrelationEntry>,
    #[serde(default, rename = "activity")]
    activities: Vec<ActivityEntry>,
    #[serde(default, rename = "hub_type")]
    hub_types: Vec<HubTypeEntry>,
    #[serde(default, rename = "capacity")]
    capacities: Vec<CapacityEntry>,
    published: Option<Published>,
}

/// Validated model inputs.
#[derive(Debug, Clone)]
pub struct Inputs {
    pub dir: PathBuf,
    /// Ordered by file name, then parameter name: the order in which they are
    /// sampled and written.
    pub parameters: Vec<Parameter>,
    index: HashMap<String, usize>,
    pub settings: ValidSettings,
    pub options: Vec<OptionEntry>,
    pub resources: Vec<ResourceEntry>,
    /// The model's shape: its activities, hub types and capacity measures,
    /// in the order the files declare them.
    pub activities: Vec<ActivityEntry>,
    pub hub_types: Vec<HubTypeEntry>,
    pub capacities: Vec<CapacityEntry>,
    /// The published results the base case is checked against, if any.
    pub published: Option<Published>,
    /// Groups of parameters sampled with correlated ranks.
    pub correlations: Vec<Correlation>,
    /// SHA-256 over the file names and contents, for provenance.
    pub hash: String,
    /// Parameters a run file restated, from what, to what.
    pub restated: Vec<Restated>,
}

#[derive(Debug, Clone)]
pub struct ValidSettings {
    pub pcns: usize,
    pub horizon_years: usize,
    pub comparator: String,
    pub price_year: i64,
    pub currency: String,
    pub file: PathBuf,
}

/// A parameter the model or a file needs: its name, its domain, and the
/// file and item that name it.
pub(crate) type Needed = (String, Domain, PathBuf, String);

impl Inputs {
    pub fn parameter_index(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }

    /// The index of parameter `name`, or an error naming `file` and `item`
    /// (where the name is written) with the closest defined name.
    pub fn require(&self, name: &str, file: &Path, item: &str) -> Result<usize> {
        self.parameter_index(name).ok_or_else(|| {
            let hint = did_you_mean(name, self.parameters.iter().map(|p| p.name.as_str()));
            Error::input(file, item, format!("`{name}` is not a parameter{hint}"))
        })
    }

    pub fn parameter(&self, name: &str) -> Option<&Parameter> {
        self.parameter_index(name).map(|i| &self.parameters[i])
    }

    /// Indices of the sampled parameters, in the inputs' order: the columns
    /// of `samples.parquet` and the dimensions of a sampling design.
    pub fn sampled(&self) -> Vec<usize> {
        (0..self.parameters.len())
            .filter(|&i| self.parameters[i].is_sampled())
            .collect()
    }

    pub fn base_values(&self) -> Vec<f64> {
        self.parameters.iter().map(|p| p.base).collect()
    }

    /// Loads and validates every `*.toml` file in `dir`.
    pub fn load(dir: &Path) -> Result<Inputs> {
        Inputs::load_with(dir, &[])
    }

    /// Loads and validates every `*.toml` file in `dir`, with the
    /// parameters a run file restates on top of them, each checked as the
    /// folder's entry would be and named after the run file.
    pub fn load_with(dir: &Path, restatements: &[Restatement]) -> Result<Inputs> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| Error::read(dir, e))?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        if files.is_empty() {
            return Err(Error::input(
                dir,
                "",
                "no parameter files (*.toml) in this folder",
            ));
        }
        let mut read = load::Gathered::default();
        for path in &files {
            read.file(path, restatements)?;
        }
        read.check_restatements(dir, restatements);
        let load::Gathered {
            hasher,
            parameters,
            index,
            settings,
            options,
            resources,
            correlations,
            shape,
            published,
            mut faults,
            mut entries,
            restated,
        } = read;
        if !faults.is_empty() {
            faults.absorb(std::mem::take(&mut entries));
            faults.finish()?;
        }
        let (settings, settings_file) =
            settings.ok_or_else(|| Error::input(dir, "settings", "no file defines [settings]"))?;
        let settings = validate_settings(settings, &settings_file)?;
        let mut inputs = Inputs {
            dir: dir.to_path_buf(),
            parameters,
            index,
            settings,
            options: options.iter().map(|(o, _)| o.clone()).collect(),
            resources: resources.iter().map(|(r, _)| r.clone()).collect(),
            activities: shape.activities.iter().map(|(a, _)| a.clone()).collect(),
            hub_types: shape.hub_types.iter().map(|(h, _)| h.clone()).collect(),
            capacities: shape.capacities.iter().map(|(c, _)| c.clone()).collect(),
            published: None,
            correlations: Vec::new(),
            hash: hex(&hasher.finalize()),
            restated,
        };
        let domains = entries.keep(inputs.validate(&options, &resources, &shape));
        entries.finish()?;
        for (name, domain) in domains.unwrap_or_default() {
            if let Some(i) = inputs.parameter_index(&name) {
                inputs.parameters[i].domain = domain;
            }
        }
        if let Some((p, file)) = published {
            inputs.published = Some(published::validate(p, &file, &options)?);
        }
        let mut taken = Vec::new();
        for (entry, file) in correlations {
            let group = correlations::validate(entry, &file, &inputs, &mut taken)?;
            inputs.correlations.push(group);
        }
        Ok(inputs)
    }

    /// Cross-file checks: every option and resource line is consistent, every
    /// parameter the model needs is defined with a value in its domain, and
    /// every parameter defined is used. Returns each parameter's domain.
    fn validate(
        &self,
        options: &[(OptionEntry, PathBuf)],
        resources: &[(ResourceEntry, PathBuf)],
        shape: &structure::Read,
    ) -> Result<Vec<(String, Domain)>> {
        // (parameter, its domain, the file and the item that name it)
        let mut needed: Vec<Needed> = required::required_parameters()
            .into_iter()
            .map(|(name, domain)| (name.clone(), domain, self.dir.clone(), name))
            .collect();
        structure::validate(self, shape, &mut needed)?;
        Self::validate_resources(&self.dir, resources, shape, &mut needed)?;
        self.validate_options(options, shape, &mut needed)?;
        self.check_names(&needed)?;
        Ok(needed
            .into_iter()
            .map(|(name, domain, _, _)| (name, domain))
            .collect())
    }

    /// Resource lines: at least one, each applying to declared hub types;
    /// their hours and rates are needed.
    fn validate_resources(
        dir: &Path,
        resources: &[(ResourceEntry, PathBuf)],
        shape: &structure::Read,
        needed: &mut Vec<Needed>,
    ) -> Result<()> {
        if resources.is_empty() {
            return Err(Error::input(
                dir,
                "resource",
                "no file defines any [[resource]] line",
            ));
        }
        for (r, file) in resources {
            let at = format!("resource `{}`.hub_types", r.name);
            if r.hub_types.is_empty() {
                return Err(Error::input(
                    file,
                    &at,
                    "lists no hub type: name the kinds of hub the line applies to",
                ));
            }
            for id in &r.hub_types {
                structure::hub_type(&shape.hub_types, id, file, &at)?;
            }
            for (name, key) in [(&r.hours, "hours"), (&r.rate, "rate")] {
                let item = format!("resource `{}`.{key}", r.name);
                needed.push((name.clone(), Domain::NonNegative, file.clone(), item));
            }
        }
        Ok(())
    }

    /// Options: at least one, each defined once and valid on its own, the
    /// comparator among them.
    fn validate_options(
        &self,
        options: &[(OptionEntry, PathBuf)],
        shape: &structure::Read,
        needed: &mut Vec<Needed>,
    ) -> Result<()> {
        if options.is_empty() {
            return Err(Error::input(
                &self.dir,
                "option",
                "no file defines any [[option]]",
            ));
        }
        // Each option on its own: all their faults together. The checks of
        // names below need every option's, so they wait for a clean set.
        let mut option_faults = Faults::default();
        let mut seen = HashMap::new();
        for (option, file) in options {
            if let Some(first) = seen.insert(option.id.as_str(), file) {
                option_faults.push(Error::input(
                    file,
                    &option.id,
                    format!("option defined twice (also in {})", first.display()),
                ));
                continue;
            }
            option_faults.keep(options::validate(
                self,
                option,
                file,
                &shape.hub_types,
                needed,
            ));
        }
        option_faults.finish()?;
        if !seen.contains_key(self.settings.comparator.as_str()) {
            let ids: Vec<&str> = seen.keys().copied().collect();
            let hint = did_you_mean(&self.settings.comparator, ids.iter().copied());
            return Err(Error::input(
                &self.settings.file,
                "comparator",
                format!(
                    "refers to option `{}`, which does not exist{hint}",
                    self.settings.comparator
                ),
            ));
        }
        Ok(())
    }

    /// Every name the model and the files need is defined, with a value in
    /// its domain, and every name defined is needed; each fault said once,
    /// where it is written.
    fn check_names(&self, needed: &[Needed]) -> Result<()> {
        // A name an option or resource line gives that no file defines, and
        // that no unused definition is close to, is reported where it is
        // written, with the closest defined name.
        let used = |name: &str| needed.iter().any(|(n, _, _, _)| n == name);
        let mut faults = Faults::default();
        let mut named = Vec::new();
        for (name, _, file, item) in needed {
            if self.parameter(name).is_none() && file != &self.dir {
                let unused = self
                    .parameters
                    .iter()
                    .map(|p| p.name.as_str())
                    .filter(|n| !used(n));
                if closest_name(name, unused).is_none() {
                    let hint = did_you_mean(name, self.parameters.iter().map(|p| p.name.as_str()));
                    faults.push(Error::input(
                        file,
                        item,
                        format!("names the parameter `{name}`, which no file defines{hint}"),
                    ));
                    named.push(name.as_str());
                }
            }
        }
        // A misspelt name is reported where it is written, before the
        // parameter it was meant to be is reported missing.
        let mut misspelt = Vec::new();
        for p in &self.parameters {
            if !used(&p.name) {
                let hint = did_you_mean(&p.name, needed.iter().map(|(n, _, _, _)| n.as_str()));
                faults.push(Error::input(
                    &p.file,
                    &p.name,
                    format!("unknown parameter: the model does not use it{hint}"),
                ));
                misspelt.push(p.name.as_str());
            }
        }
        let mut missing = Vec::new();
        for (name, domain, file, _) in needed {
            let Some(p) = self.parameter(name) else {
                let close = closest_name(name, self.parameters.iter().map(|p| p.name.as_str()));
                // A name reported misspelt where it is defined, and one
                // reported where it is used, is one fault, said once.
                let said = close.is_some_and(|c| misspelt.contains(&c))
                    || named.contains(&name.as_str())
                    || missing.contains(name);
                if !said {
                    let hint = close
                        .map(|s| format!(" (`{s}` is defined: a misspelling?)"))
                        .unwrap_or_default();
                    faults.push(Error::input(
                        file,
                        name,
                        format!(
                            "missing parameter: the model needs it, but no file in {} defines it{hint}",
                            self.dir.display()
                        ),
                    ));
                }
                missing.push(name.clone());
                continue;
            };
            faults.keep(
                domain
                    .check(p.base, &p.distribution)
                    .map_err(|message| Error::input(&p.file, name, message)),
            );
        }
        faults.finish()
    }
}

/// Most PCNs (and so hubs) in one system.
pub const MAX_PCNS: usize = 10_000;

/// Longest horizon a model may have, in years.
pub const MAX_YEARS: usize = 100;

fn validate_settings(s: Settings, file: &Path) -> Result<ValidSettings> {
    if s.pcns <= 0 {
        return Err(Error::input(
            file,
            "settings.pcns",
            format!("is {}; it must be at least 1", s.pcns),
        ));
    }
    if s.pcns > MAX_PCNS as i64 {
        return Err(Error::input(
            file,
            "settings.pcns",
            format!(
                "is {}; at most {MAX_PCNS} (England has about 1,250 PCNs): each draw follows every hub, so a larger system would take hours a run",
                s.pcns
            ),
        ));
    }
    if !(1..=MAX_YEARS as i64).contains(&s.horizon_years) {
        return Err(Error::input(
            file,
            "settings.horizon_years",
            format!("is {}; it must be between 1 and 100 years", s.horizon_years),
        ));
    }
    Ok(ValidSettings {
        pcns: s.pcns as usize,
        horizon_years: s.horizon_years as usize,
        comparator: s.comparator,
        price_year: s.price_year,
        currency: s.currency,
        file: file.to_path_buf(),
    })
}

/// toml's messages span several lines with a source excerpt; keep them, but
/// as one readable block after the file name.
fn one_line(message: &str) -> String {
    message.trim_end().replace("\n\n", "\n")
}

/// The SHA-256 of `bytes`, in lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
