//! Correlated groups of parameters: `[[correlation]]` in a distribution file
//! names the members and gives their Spearman rank correlations, with the
//! source of the values. They are sampled through a Gaussian copula
//! (`sampling::copula`); whether the matrix is positive definite is checked
//! when a run is planned, since the run file decides whether to repair it.

use serde::Deserialize;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result, did_you_mean};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorrelationEntry {
    /// What moves these parameters together.
    pub about: Option<String>,
    pub parameters: Vec<String>,
    /// Spearman rank correlations, one row per member in the same order.
    pub spearman: Vec<Vec<f64>>,
    pub source: String,
}

/// A validated group: members by parameter index.
#[derive(Debug, Clone)]
pub struct Correlation {
    pub members: Vec<usize>,
    pub names: Vec<String>,
    pub spearman: Vec<Vec<f64>>,
    pub source: String,
    pub file: PathBuf,
}

impl Correlation {
    /// A short label for messages and reports, e.g. `cost_a, cost_b`.
    pub fn label(&self) -> String {
        self.names.join(", ")
    }
}

/// Checks a group against the parameters defined: every member exists, is
/// sampled, appears once and in no other group; the matrix is square,
/// symmetric, with a unit diagonal and entries in [−1, 1].
pub fn validate(
    entry: CorrelationEntry,
    file: &Path,
    parameters: &super::Inputs,
    taken: &mut Vec<(usize, PathBuf)>,
) -> Result<Correlation> {
    let item = format!("correlation [{}]", entry.parameters.join(", "));
    let fail = |message: String| Error::input(file, &item, message);
    let n = entry.parameters.len();
    if n < 2 {
        return Err(fail(
            "a correlation group needs at least two parameters".into(),
        ));
    }
    let mut members = Vec::with_capacity(n);
    for name in &entry.parameters {
        let Some(i) = parameters.parameter_index(name) else {
            let hint = did_you_mean(name, parameters.parameters.iter().map(|p| p.name.as_str()));
            return Err(fail(format!("`{name}` is not a defined parameter{hint}")));
        };
        if !parameters.parameters[i].is_sampled() {
            return Err(fail(format!(
                "`{name}` is fixed: only sampled parameters can be correlated"
            )));
        }
        if members.contains(&i) {
            return Err(fail(format!("`{name}` is listed twice")));
        }
        if let Some((_, other)) = taken.iter().find(|(j, _)| *j == i) {
            return Err(fail(format!(
                "`{name}` is already in a correlation group (in {}); a parameter can be in one group only",
                other.display()
            )));
        }
        members.push(i);
    }
    if entry.spearman.len() != n || entry.spearman.iter().any(|row| row.len() != n) {
        return Err(fail(format!(
            "spearman must be a {n}×{n} matrix, one row per parameter listed"
        )));
    }
    for i in 0..n {
        for j in 0..n {
            let v = entry.spearman[i][j];
            let at = format!("spearman[{}][{}]", i + 1, j + 1);
            if !v.is_finite() || !(-1.0..=1.0).contains(&v) {
                return Err(fail(format!(
                    "{at} is {v}; a correlation must lie in [-1, 1]"
                )));
            }
            if i == j && v != 1.0 {
                return Err(fail(format!("{at} is {v}; the diagonal must be 1")));
            }
            if (v - entry.spearman[j][i]).abs() > 1e-12 {
                return Err(fail(format!(
                    "the matrix is not symmetric: {at} is {v} but spearman[{}][{}] is {}",
                    j + 1,
                    i + 1,
                    entry.spearman[j][i]
                )));
            }
        }
    }
    for &i in &members {
        taken.push((i, file.to_path_buf()));
    }
    Ok(Correlation {
        members,
        names: entry.parameters,
        spearman: entry.spearman,
        source: entry.source,
        file: file.to_path_buf(),
    })
}
