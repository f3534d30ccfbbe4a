//! The question a run answers, from the run file's `[decision]`: which
//! ordered pairs of options to compare, the first being the headline, and
//! the smallest difference worth having.

use std::path::Path;

use super::config::DecisionEntry;
use crate::error::{Error, Result, did_you_mean};
use crate::model::Model;

/// Option `a` against option `b` (indices into the model's options).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pair {
    pub a: usize,
    pub b: usize,
}

impl Pair {
    /// `A-B`: option ids hold no hyphen, so the key is unambiguous.
    pub fn key(&self, model: &Model) -> String {
        format!("{}-{}", model.options[self.a].id, model.options[self.b].id)
    }

    /// Parses `A-B`, naming `what` (a flag or a run-file field) in errors.
    pub fn parse(text: &str, model: &Model, file: &Path, what: &str) -> Result<Pair> {
        let Some((a, b)) = text.split_once('-') else {
            return Err(Error::input(
                file,
                what,
                format!("`{text}` is not a pair; write two option ids as A-B"),
            ));
        };
        resolve_pair(&[a.to_string(), b.to_string()], model, file, what)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    /// The pairs compared, the headline first; empty when the run file
    /// asks none, and then the run reports P(best) and ranks only.
    pub pairs: Vec<Pair>,
    /// In £: A beats B when A's value exceeds B's by more than this.
    pub margin: f64,
}

impl Question {
    /// Checks the run file's `[decision]` against the model's options.
    pub fn resolve(entry: &DecisionEntry, model: &Model, file: &Path) -> Result<Question> {
        let mut pairs = Vec::new();
        if let Some(compare) = &entry.compare {
            if compare.is_empty() {
                return Err(Error::input(
                    file,
                    "decision.compare",
                    "is an empty list; list pairs such as [[\"a\", \"b\"]], or leave `compare` out to report P(best) and ranks only",
                ));
            }
            for (i, entry) in compare.iter().enumerate() {
                let what = format!("decision.compare[{i}]");
                let pair = resolve_pair(entry, model, file, &what)?;
                if pairs.contains(&pair) {
                    return Err(Error::input(
                        file,
                        what,
                        format!("compares {} a second time", pair.key(model)),
                    ));
                }
                pairs.push(pair);
            }
        }
        Ok(Question {
            pairs,
            margin: entry.margin,
        })
    }

    pub fn headline(&self) -> Option<Pair> {
        self.pairs.first().copied()
    }
}

fn resolve_pair(entry: &[String], model: &Model, file: &Path, what: &str) -> Result<Pair> {
    let ids: Vec<&str> = model.options.iter().map(|o| o.id.as_str()).collect();
    let [a, b] = entry else {
        return Err(Error::input(
            file,
            what,
            format!(
                "has {} option ids; a pair is exactly two, [\"A\", \"B\"]",
                entry.len()
            ),
        ));
    };
    let find = |id: &str| {
        ids.iter().position(|o| *o == id).ok_or_else(|| {
            let hint = did_you_mean(id, ids.iter().copied());
            Error::input(
                file,
                what,
                format!("no option `{id}`{hint} (options: {})", ids.join(", ")),
            )
        })
    };
    let pair = Pair {
        a: find(a)?,
        b: find(b)?,
    };
    if pair.a == pair.b {
        return Err(Error::input(
            file,
            what,
            format!("compares `{a}` with itself; a pair is two different options"),
        ));
    }
    Ok(pair)
}
