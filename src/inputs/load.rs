//! Reading a folder's parameter files into one set of entries. Each file
//! and each entry is checked on its own and every fault found is reported
//! together: a file that does not parse, or a name defined twice, stops
//! the checks across files (`faults`); an infeasible distribution does
//! not (`entries`), its parameter held at its base value meanwhile so that
//! it is not also reported missing.

use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::{
    CorrelationEntry, DistributionFile, Domain, OptionEntry, Parameter, ParameterEntry,
    ResourceEntry, Restated, Restatement, Settings, structure, text,
};
use crate::distribution::{Distribution, Fixed};
use crate::error::{Error, Faults, Result, did_you_mean};
use crate::published::Published;

/// What the files have given so far, and the faults found in them.
#[derive(Default)]
pub(super) struct Gathered {
    /// Over the file names and contents, for provenance.
    pub hasher: Sha256,
    pub parameters: Vec<Parameter>,
    pub index: HashMap<String, usize>,
    pub settings: Option<(Settings, PathBuf)>,
    pub options: Vec<(OptionEntry, PathBuf)>,
    pub resources: Vec<(ResourceEntry, PathBuf)>,
    pub correlations: Vec<(CorrelationEntry, PathBuf)>,
    pub shape: structure::Read,
    pub published: Option<(Published, PathBuf)>,
    pub faults: Faults,
    pub entries: Faults,
    pub restated: Vec<Restated>,
}

impl Gathered {
    /// Reads, hashes and parses one file and gathers what it defines,
    /// with the run file's restatements applied to its parameters.
    pub fn file(&mut self, path: &Path, restatements: &[Restatement]) -> Result<()> {
        let text = text::read_text(path)?;
        self.hasher.update(
            path.file_name()
                .map(|n| n.as_encoded_bytes())
                .unwrap_or_default(),
        );
        self.hasher.update([0]);
        self.hasher.update(text.as_bytes());
        self.hasher.update([0]);
        let parsed: Result<DistributionFile> = toml::from_str(&text)
            .map_err(|e| Error::input(path, "", super::one_line(&e.to_string())));
        let Some(file) = self.faults.keep(parsed) else {
            return Ok(());
        };
        for (name, entry) in file.parameters {
            self.parameter(path, name, entry, restatements);
        }
        self.sections(path, file.settings, file.published);
        let here = || path.to_path_buf();
        self.options
            .extend(file.options.into_iter().map(|o| (o, here())));
        self.resources
            .extend(file.resources.into_iter().map(|r| (r, here())));
        self.correlations
            .extend(file.correlations.into_iter().map(|c| (c, here())));
        self.shape
            .activities
            .extend(file.activities.into_iter().map(|a| (a, here())));
        self.shape
            .hub_types
            .extend(file.hub_types.into_iter().map(|h| (h, here())));
        self.shape
            .capacities
            .extend(file.capacities.into_iter().map(|c| (c, here())));
        Ok(())
    }

    /// One parameter entry, as the run file restates it if it does.
    fn parameter(
        &mut self,
        path: &Path,
        name: String,
        entry: ParameterEntry,
        restatements: &[Restatement],
    ) {
        let (entry, path) = match restatements.iter().find(|r| r.name == name) {
            Some(r) => {
                let (entry, record) = r.apply(entry);
                self.restated.push(record);
                (entry, r.file.as_path())
            }
            None => (entry, path),
        };
        if let Some(&i) = self.index.get(&name) {
            let first: &Parameter = &self.parameters[i];
            self.faults.push(Error::input(
                path,
                &name,
                format!(
                    "defined twice: it is already defined in {}",
                    first.file.display()
                ),
            ));
            return;
        }
        let entered = entry.distribution.as_entered(entry.base);
        let resolved = entry
            .distribution
            .resolve(entry.base)
            .map_err(|e| Error::input(path, &name, format!("infeasible distribution: {e}")));
        let Some(distribution) = self
            .entries
            .keep(resolved)
            .or_else(|| Fixed::new(entry.base).ok().map(Distribution::Fixed))
        else {
            return;
        };
        self.index.insert(name.clone(), self.parameters.len());
        self.parameters.push(Parameter {
            name,
            file: path.to_path_buf(),
            description: entry.description,
            unit: entry.unit,
            base: entry.base,
            source: entry.source,
            fitted: entry.fitted,
            entered,
            distribution,
            domain: Domain::NonNegative,
        });
    }

    /// `[settings]` and `[published]`, each defined by one file only.
    fn sections(&mut self, path: &Path, settings: Option<Settings>, published: Option<Published>) {
        once(
            &mut self.faults,
            &mut self.settings,
            settings,
            path,
            "settings",
        );
        once(
            &mut self.faults,
            &mut self.published,
            published,
            path,
            "published",
        );
    }

    /// Each restatement names a parameter of the folder and restates
    /// something of it.
    pub fn check_restatements(&mut self, dir: &Path, restatements: &[Restatement]) {
        for r in restatements {
            if !self.index.contains_key(&r.name) {
                let hint = did_you_mean(&r.name, self.index.keys().map(String::as_str));
                self.faults.push(Error::input(
                    &r.file,
                    format!("parameters.{}", r.name),
                    format!(
                        "restates a parameter that no file in {} defines{hint}",
                        dir.display()
                    ),
                ));
            } else if r.entry.base.is_none() && r.entry.distribution.is_none() {
                self.faults.push(Error::input(
                    &r.file,
                    format!("parameters.{}", r.name),
                    "restates neither `base` nor `distribution`: give one or both",
                ));
            }
        }
    }
}

/// Keeps a section `path` defines, as `kept` with its file; a second
/// file defining it is a fault naming the first.
fn once<T>(
    faults: &mut Faults,
    kept: &mut Option<(T, PathBuf)>,
    section: Option<T>,
    path: &Path,
    name: &str,
) {
    let Some(section) = section else { return };
    if let Some((_, first)) = kept {
        faults.push(Error::input(
            path,
            name,
            format!("defined twice: already defined in {}", first.display()),
        ));
    }
    *kept = Some((section, path.to_path_buf()));
}
