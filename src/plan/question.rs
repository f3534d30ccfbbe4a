//! The question a run answers, from the run file's `[decision]`: which
//! ordered pairs of options to compare, the first being the headline, each
//! with the smallest difference worth having (its margin).

use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Result, did_you_mean};
use crate::model::Model;

/// `[decision]`: the question the run answers, as ordered pairs of options.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionEntry {
    /// Ordered pairs: how likely is A to beat B by its margin? Each is
    /// `["A", "B"]` (at the run-wide margin) or `{ a = "A", b = "B",
    /// margin = m }`. The first is the headline. Absent: no pairs, P(best)
    /// and ranks only.
    pub compare: Option<Vec<CompareEntry>>,
    /// The margin of every pair that states none, in £: A beats B when its
    /// value exceeds B's by more than this. Negative for a non-inferiority
    /// question (A falls short of B by less than |margin|).
    #[serde(default)]
    pub margin: f64,
}

/// One `compare` entry: two option ids, and the pair's own margin if it
/// has one.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareEntry {
    pub ids: Vec<String>,
    pub margin: Option<f64>,
}

/// `{ a = "A", b = "B", margin = m }`, the table form of a `compare` entry.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PairTable {
    a: String,
    b: String,
    margin: Option<f64>,
}

// By hand rather than `#[serde(untagged)]`, whose only error is "did not
// match any variant": a list keeps the list's error, a table the table's
// (an unknown field, a margin that is not a number).
impl<'de> Deserialize<'de> for CompareEntry {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct Entry;
        impl<'de> serde::de::Visitor<'de> for Entry {
            type Value = CompareEntry;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a pair of option ids [\"A\", \"B\"] or a table { a = \"A\", b = \"B\", margin = 500000 }")
            }
            fn visit_seq<S: serde::de::SeqAccess<'de>>(
                self,
                seq: S,
            ) -> std::result::Result<CompareEntry, S::Error> {
                let ids =
                    Vec::<String>::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))?;
                Ok(CompareEntry { ids, margin: None })
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(
                self,
                map: M,
            ) -> std::result::Result<CompareEntry, M::Error> {
                let t = PairTable::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(CompareEntry {
                    ids: vec![t.a, t.b],
                    margin: t.margin,
                })
            }
        }
        d.deserialize_any(Entry)
    }
}

/// Option `a` against option `b` (indices into the model's options), and
/// the margin in £ by which `a` must exceed `b` to count as beating it
/// (negative: `a` may fall short of `b` by less than that).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pair {
    pub a: usize,
    pub b: usize,
    pub margin: f64,
}

impl Pair {
    /// `A-B`: option ids hold no hyphen, so the key is unambiguous.
    pub fn key(&self, model: &Model) -> String {
        format!("{}-{}", model.options[self.a].id, model.options[self.b].id)
    }

    /// Parses `A-B`, at the question's margin for that pair, naming `what`
    /// (a flag or a run-file field) in errors.
    pub fn parse(
        text: &str,
        model: &Model,
        question: &Question,
        file: &Path,
        what: &str,
    ) -> Result<Pair> {
        let Some((a, b)) = text.split_once('-') else {
            return Err(Error::input(
                file,
                what,
                format!("`{text}` is not a pair; write two option ids as A-B"),
            ));
        };
        resolve_pair(&[a.to_string(), b.to_string()], model, file, what).map(|(a, b)| Pair {
            a,
            b,
            margin: question.margin_of(a, b),
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    /// The pairs compared, the headline first; empty when the run file
    /// asks none, and then the run reports P(best) and ranks only.
    pub pairs: Vec<Pair>,
    /// In £: the margin of every pair whose entry states none.
    pub default_margin: f64,
}

impl Question {
    /// Checks the run file's `[decision]` against the model's options.
    pub fn resolve(decision: &DecisionEntry, model: &Model, file: &Path) -> Result<Question> {
        let mut pairs: Vec<Pair> = Vec::new();
        if let Some(compare) = &decision.compare {
            if compare.is_empty() {
                return Err(Error::input(
                    file,
                    "decision.compare",
                    "is an empty list; list pairs such as [[\"a\", \"b\"]], or leave `compare` out to report P(best) and ranks only",
                ));
            }
            for (i, entry) in compare.iter().enumerate() {
                let what = format!("decision.compare[{i}]");
                let (a, b) = resolve_pair(&entry.ids, model, file, &what)?;
                let margin = entry.margin.unwrap_or(decision.margin);
                if !margin.is_finite() {
                    return Err(Error::input(
                        file,
                        format!("{what}.margin"),
                        format!(
                            "is {margin}; it must be a finite amount in £ (negative for a non-inferiority question)"
                        ),
                    ));
                }
                let pair = Pair { a, b, margin };
                if pairs.iter().any(|p| (p.a, p.b) == (a, b)) {
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
            default_margin: decision.margin,
        })
    }

    /// The margin of the pair `a`-`b` if the question asks it, else the
    /// default margin.
    pub fn margin_of(&self, a: usize, b: usize) -> f64 {
        self.pairs
            .iter()
            .find(|p| (p.a, p.b) == (a, b))
            .map_or(self.default_margin, |p| p.margin)
    }

    pub fn headline(&self) -> Option<Pair> {
        self.pairs.first().copied()
    }
}

fn resolve_pair(
    entry: &[String],
    model: &Model,
    file: &Path,
    what: &str,
) -> Result<(usize, usize)> {
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
    let pair = (find(a)?, find(b)?);
    if pair.0 == pair.1 {
        return Err(Error::input(
            file,
            what,
            format!("compares `{a}` with itself; a pair is two different options"),
        ));
    }
    Ok(pair)
}
