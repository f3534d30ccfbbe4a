//! The `distribution = { family = "...", ... }` table of a parameter file, and
//! its resolution into a validated [`Distribution`].

use serde::Deserialize;

use super::*;

pub const FAMILIES: [&str; 12] = [
    "fixed",
    "normal",
    "truncated_normal",
    "lognormal",
    "gamma",
    "beta",
    "uniform",
    "triangular",
    "pert",
    "bernoulli",
    "binomial",
    "elicited",
];

/// A distribution as written in a parameter file. Which fields apply depends
/// on the family; `resolve` rejects any that do not.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DistributionSpec {
    pub family: String,
    pub value: Option<f64>,
    pub mean: Option<f64>,
    pub se: Option<f64>,
    pub sd: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub mode: Option<f64>,
    pub meanlog: Option<f64>,
    pub sdlog: Option<f64>,
    pub shape: Option<f64>,
    pub scale: Option<f64>,
    pub alpha: Option<f64>,
    pub beta: Option<f64>,
    pub events: Option<f64>,
    pub trials: Option<f64>,
    pub n: Option<f64>,
    pub p: Option<f64>,
    /// `elicited`: degrees of freedom of a Student-t fit (3 when absent).
    pub df: Option<f64>,
    /// `elicited`: plausible limits of the quantity.
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    /// `elicited`: the values an expert judged, ascending ...
    pub values: Option<Vec<f64>>,
    /// ... and P(X ≤ value) for each.
    pub probabilities: Option<Vec<f64>>,
    /// `elicited`: each judgement's weight in the fit (1 when absent).
    pub weights: Option<Vec<f64>>,
    /// `elicited`: the family to fit (`normal`, `lognormal`, `gamma`,
    /// `beta`, `mirrored_gamma`, `mirrored_lognormal`) or `best` (the
    /// default).
    pub fit: Option<String>,
    /// `elicited`: several experts' judgements, each fitted on its own and
    /// combined by a linear pool, in place of `values` and `probabilities`.
    pub experts: Option<Vec<ExpertSpec>>,
    /// `elicited` with `experts`: each expert's weight in the pool (equal
    /// when absent).
    pub pool_weights: Option<Vec<f64>>,
}

/// One expert's judgements in an `elicited` distribution with `experts`.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ExpertSpec {
    pub values: Vec<f64>,
    pub probabilities: Vec<f64>,
    pub weights: Option<Vec<f64>>,
}

impl DistributionSpec {
    /// The family and the values the file gives, in the file's terms:
    /// `beta: mean 0.5, se 0.1`; a fixed parameter shows its value.
    pub fn as_entered(&self, base: f64) -> String {
        let given: Vec<String> = self
            .present()
            .into_iter()
            .map(|(name, v)| format!("{name} {v}"))
            .collect();
        if self.family == "elicited" {
            return self.elicited_as_entered();
        }
        match (given.is_empty(), self.family.as_str()) {
            (true, "fixed") => format!("fixed: {base}"),
            (true, family) => family.to_string(),
            (false, family) => format!("{family}: {}", given.join(", ")),
        }
    }

    pub fn fixed(value: f64) -> Self {
        DistributionSpec {
            family: "fixed".into(),
            value: Some(value),
            ..Default::default()
        }
    }

    fn present(&self) -> Vec<(&'static str, f64)> {
        [
            ("value", self.value),
            ("mean", self.mean),
            ("se", self.se),
            ("sd", self.sd),
            ("min", self.min),
            ("mode", self.mode),
            ("max", self.max),
            ("meanlog", self.meanlog),
            ("sdlog", self.sdlog),
            ("shape", self.shape),
            ("scale", self.scale),
            ("alpha", self.alpha),
            ("beta", self.beta),
            ("events", self.events),
            ("trials", self.trials),
            ("n", self.n),
            ("p", self.p),
            ("lower", self.lower),
            ("upper", self.upper),
            ("df", self.df),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect()
    }

    /// Validates the spec and builds the distribution. `base` fills in the
    /// value of a `fixed` family that gives none.
    pub fn resolve(&self, base: f64) -> Result<Distribution, Infeasible> {
        if self.family == "elicited" {
            return self.elicited().map(Distribution::Elicited);
        }
        let listed = [
            ("values", self.values.is_some()),
            ("probabilities", self.probabilities.is_some()),
            ("weights", self.weights.is_some()),
            ("fit", self.fit.is_some()),
            ("experts", self.experts.is_some()),
            ("pool_weights", self.pool_weights.is_some()),
        ];
        if let (Some(family), Some((field, _))) = (
            FAMILIES.iter().find(|f| **f == self.family),
            listed.iter().find(|(_, given)| *given),
        ) {
            return Err(Infeasible::UnusedField { family, field });
        }
        let given = Given(self.present());
        match self.family.as_str() {
            "fixed" | "uniform" | "triangular" | "pert" | "bernoulli" | "binomial" => {
                given.by_range(&self.family, base)
            }
            "normal" | "truncated_normal" | "lognormal" | "gamma" | "beta" => {
                given.by_moments(&self.family)
            }
            other => Err(Infeasible::UnknownFamily {
                family: other.to_string(),
                suggestion: crate::error::closest_name(other, FAMILIES),
            }),
        }
    }
}

/// The numeric fields a spec gives.
struct Given(Vec<(&'static str, f64)>);

impl Given {
    fn has(&self, names: &[&str]) -> bool {
        names.iter().all(|n| self.0.iter().any(|(k, _)| k == n))
    }

    fn get(&self, name: &str) -> f64 {
        self.0
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| *v)
            .unwrap_or(f64::NAN)
    }

    /// The first parameterisation whose fields are all given; any field
    /// it does not use is refused.
    fn choose(
        &self,
        family: &'static str,
        forms: &[&'static [&'static str]],
        needs: &'static str,
    ) -> Result<&'static [&'static str], Infeasible> {
        let form = forms
            .iter()
            .find(|form| self.has(form))
            .ok_or(Infeasible::MissingField { family, needs })?;
        if let Some((extra, _)) = self.0.iter().find(|(k, _)| !form.contains(k)) {
            return Err(Infeasible::UnusedField {
                family,
                field: extra,
            });
        }
        Ok(form)
    }

    /// The families given by a mean and a spread, or by their own
    /// parameters.
    fn by_moments(&self, family: &str) -> Result<Distribution, Infeasible> {
        let get = |name: &str| self.get(name);
        Ok(match family {
            "normal" => {
                let form = self.choose(
                    "normal",
                    &[&["mean", "sd"], &["mean", "se"]],
                    "`mean` and `sd` (or `se`)",
                )?;
                Distribution::Normal(NormalDist::new(get("mean"), get(form[1]))?)
            }
            "truncated_normal" => {
                let form = self.choose(
                    "truncated_normal",
                    &[&["mean", "sd", "min", "max"], &["mean", "se", "min", "max"]],
                    "`mean`, `sd` (or `se`), `min` and `max`",
                )?;
                Distribution::TruncatedNormal(TruncatedNormalDist::new(
                    get("mean"),
                    get(form[1]),
                    get("min"),
                    get("max"),
                )?)
            }
            "lognormal" => {
                let form = self.choose(
                    "lognormal",
                    &[&["mean", "se"], &["meanlog", "sdlog"]],
                    "`mean` and `se`, or `meanlog` and `sdlog`",
                )?;
                Distribution::LogNormal(if form[0] == "mean" {
                    LogNormalDist::from_mean_se(get("mean"), get("se"))?
                } else {
                    LogNormalDist::new(get("meanlog"), get("sdlog"))?
                })
            }
            "gamma" => {
                let form = self.choose(
                    "gamma",
                    &[&["mean", "se"], &["shape", "scale"]],
                    "`mean` and `se`, or `shape` and `scale`",
                )?;
                Distribution::Gamma(if form[0] == "mean" {
                    GammaDist::from_mean_se(get("mean"), get("se"))?
                } else {
                    GammaDist::new(get("shape"), get("scale"))?
                })
            }
            _ => {
                let form = self.choose(
                    "beta",
                    &[&["mean", "se"], &["alpha", "beta"], &["events", "trials"]],
                    "`mean` and `se`, `alpha` and `beta`, or `events` and `trials`",
                )?;
                Distribution::Beta(match form[0] {
                    "mean" => BetaDist::from_mean_se(get("mean"), get("se"))?,
                    "alpha" => BetaDist::new(get("alpha"), get("beta"))?,
                    _ => BetaDist::from_events(get("events"), get("trials"))?,
                })
            }
        })
    }

    /// A fixed value, the families given by their range, and the counts.
    fn by_range(&self, family: &str, base: f64) -> Result<Distribution, Infeasible> {
        let get = |name: &str| self.get(name);
        Ok(match family {
            "fixed" => {
                let form = self.choose(
                    "fixed",
                    &[&["value"], &[]],
                    "`value` or nothing (the base value)",
                )?;
                Distribution::Fixed(Fixed::new(if form.is_empty() {
                    base
                } else {
                    get("value")
                })?)
            }
            "uniform" => {
                self.choose("uniform", &[&["min", "max"]], "`min` and `max`")?;
                Distribution::Uniform(UniformDist::new(get("min"), get("max"))?)
            }
            "triangular" => {
                self.choose(
                    "triangular",
                    &[&["min", "mode", "max"]],
                    "`min`, `mode` and `max`",
                )?;
                Distribution::Triangular(TriangularDist::new(get("min"), get("mode"), get("max"))?)
            }
            "pert" => {
                self.choose(
                    "pert",
                    &[&["min", "mode", "max"]],
                    "`min`, `mode` and `max`",
                )?;
                Distribution::Pert(PertDist::new(get("min"), get("mode"), get("max"))?)
            }
            "bernoulli" => {
                self.choose("bernoulli", &[&["p"]], "`p`")?;
                Distribution::Bernoulli(BernoulliDist::new(get("p"))?)
            }
            _ => {
                self.choose("binomial", &[&["n", "p"]], "`n` and `p`")?;
                Distribution::Binomial(BinomialDist::new(get("n"), get("p"))?)
            }
        })
    }
}

impl DistributionSpec {
    /// The judgements fitted as SHELF fits them ([`ElicitedDist`]).
    fn elicited(&self) -> Result<ElicitedDist, Infeasible> {
        let present = self.present();
        if let Some((field, _)) = present
            .iter()
            .find(|(k, _)| !["lower", "upper", "df"].contains(k))
        {
            return Err(Infeasible::UnusedField {
                family: "elicited",
                field,
            });
        }
        let shape = match self.fit.as_deref() {
            None | Some("best") => None,
            Some(name) => Some(Shape::parse(name).ok_or_else(|| Infeasible::Elicitation {
                message: format!(
                    "`fit` is `{name}`; it must be `best` or one of {}",
                    Shape::ALL.map(|s| format!("`{}`", s.name())).join(", ")
                ),
            })?),
        };
        let judged =
            |values: &Vec<f64>, probabilities: &Vec<f64>, weights: &Option<Vec<f64>>| Judgements {
                values: values.clone(),
                probabilities: probabilities.clone(),
                lower: self.lower.unwrap_or(f64::NEG_INFINITY),
                upper: self.upper.unwrap_or(f64::INFINITY),
                weights: weights.clone().unwrap_or_else(|| vec![1.0; values.len()]),
                df: self.df.unwrap_or(T_DF),
            };
        match (&self.values, &self.probabilities, &self.experts) {
            (Some(values), Some(probabilities), None) if self.pool_weights.is_none() => {
                let fit = ExpertFit::fit(judged(values, probabilities, &self.weights), shape)?;
                Ok(ElicitedDist::single(fit))
            }
            (None, None, Some(experts)) if self.weights.is_none() => {
                let fits = experts
                    .iter()
                    .enumerate()
                    .map(|(k, e)| {
                        ExpertFit::fit(judged(&e.values, &e.probabilities, &e.weights), shape)
                            .map_err(|error| Infeasible::Elicitation {
                                message: format!("expert {}: {error}", k + 1),
                            })
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                ElicitedDist::pool(fits, self.pool_weights.clone())
            }
            _ => Err(Infeasible::MissingField {
                family: "elicited",
                needs: "either `values` and `probabilities` (P(X ≤ value) for each value) with optional `weights`, or `experts` (a list of such judgements) with optional `pool_weights`; either may take `lower`, `upper` and `fit`",
            }),
        }
    }

    /// "elicited: P(X ≤ 0.1) = 0.25, P(X ≤ 0.2) = 0.5, …; lower 0; fit best",
    /// each expert's judgements in turn where there are several.
    fn elicited_as_entered(&self) -> String {
        let judged = |values: &[f64], probabilities: &[f64]| -> String {
            values
                .iter()
                .zip(probabilities)
                .map(|(v, p)| format!("P(X ≤ {v}) = {p}"))
                .collect::<Vec<String>>()
                .join(", ")
        };
        let mut parts: Vec<String> = Vec::new();
        match &self.experts {
            Some(experts) => {
                for (k, e) in experts.iter().enumerate() {
                    parts.push(format!(
                        "expert {}: {}",
                        k + 1,
                        judged(&e.values, &e.probabilities)
                    ));
                }
                if let Some(w) = &self.pool_weights {
                    parts.push(format!("pool weights {w:?}"));
                }
            }
            None => parts.push(judged(
                self.values.as_deref().unwrap_or_default(),
                self.probabilities.as_deref().unwrap_or_default(),
            )),
        }
        if let Some(l) = self.lower {
            parts.push(format!("lower {l}"));
        }
        if let Some(u) = self.upper {
            parts.push(format!("upper {u}"));
        }
        if let Some(w) = &self.weights {
            parts.push(format!("weights {w:?}"));
        }
        if let Some(df) = self.df {
            parts.push(format!("df {df}"));
        }
        parts.push(format!("fit {}", self.fit.as_deref().unwrap_or("best")));
        format!("elicited: {}", parts.join("; "))
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_parameter_is_described_as_its_file_gives_it() {
        let spec: DistributionSpec =
            toml::from_str("family = \"beta\"\nmean = 0.5\nse = 0.1").unwrap();
        assert_eq!(spec.as_entered(0.5), "beta: mean 0.5, se 0.1");
        let spec: DistributionSpec =
            toml::from_str("family = \"pert\"\nmin = 500.0\nmode = 700.0\nmax = 1800.0").unwrap();
        assert_eq!(spec.as_entered(700.0), "pert: min 500, mode 700, max 1800");
        assert_eq!(
            DistributionSpec {
                value: None,
                ..DistributionSpec::fixed(0.0)
            }
            .as_entered(0.035),
            "fixed: 0.035"
        );
    }

    use super::*;

    fn spec(toml_text: &str) -> DistributionSpec {
        toml::from_str(toml_text).unwrap()
    }

    #[test]
    fn gamma_from_mean_and_se_resolves() {
        let d = spec("family = 'gamma'\nmean = 150.0\nse = 15.0")
            .resolve(150.0)
            .unwrap();
        assert_eq!(d.family(), "gamma");
        assert!((d.mean() - 150.0).abs() < 1e-9);
        assert!((d.variance() - 225.0).abs() < 1e-9);
    }

    #[test]
    fn fixed_without_value_takes_the_base() {
        let d = spec("family = 'fixed'").resolve(42.0).unwrap();
        assert_eq!(d.mean(), 42.0);
    }

    #[test]
    fn field_foreign_to_the_family_is_rejected() {
        let err = spec("family = 'gamma'\nmean = 1.0\nse = 0.1\nmode = 2.0")
            .resolve(1.0)
            .unwrap_err();
        assert_eq!(
            err,
            Infeasible::UnusedField {
                family: "gamma",
                field: "mode"
            }
        );
    }

    #[test]
    fn missing_fields_are_named() {
        let err = spec("family = 'pert'\nmin = 1.0\nmax = 2.0")
            .resolve(1.5)
            .unwrap_err();
        assert!(err.to_string().contains("`min`, `mode` and `max`"));
    }

    #[test]
    fn misspelt_family_gets_a_suggestion() {
        let err = spec("family = 'gama'\nmean = 1.0\nse = 0.1")
            .resolve(1.0)
            .unwrap_err();
        assert!(err.to_string().contains("did you mean `gamma`"), "{err}");
    }

    #[test]
    fn every_family_resolves_from_a_file_table() {
        for text in [
            "family = 'fixed'\nvalue = 1.0",
            "family = 'normal'\nmean = 1.0\nsd = 0.1",
            "family = 'truncated_normal'\nmean = 1.0\nsd = 0.5\nmin = 0.0\nmax = 2.0",
            "family = 'lognormal'\nmeanlog = 0.0\nsdlog = 0.5",
            "family = 'gamma'\nshape = 2.0\nscale = 3.0",
            "family = 'beta'\nalpha = 2.0\nbeta = 3.0",
            "family = 'beta'\nevents = 2.0\ntrials = 5.0",
            "family = 'uniform'\nmin = 0.0\nmax = 1.0",
            "family = 'triangular'\nmin = 0.0\nmode = 0.5\nmax = 1.0",
            "family = 'pert'\nmin = 0.0\nmode = 0.5\nmax = 1.0",
            "family = 'bernoulli'\np = 0.5",
            "family = 'binomial'\nn = 9.0\np = 0.5",
        ] {
            spec(text)
                .resolve(0.5)
                .unwrap_or_else(|e| panic!("{text}: {e}"));
        }
    }
}
