//! A distribution fitted to an expert's judgements, as the Sheffield
//! Elicitation Framework (SHELF; Oakley and O'Hagan) fits one: the expert
//! gives values with their cumulative probabilities, P(X ≤ v_i) = p_i, and
//! plausible limits; each family the limits allow is fitted by least
//! squares on the cumulative distribution function at the judgements,
//! Σ w_i (F(v_i) − p_i)². Gamma and lognormal are shifted to the lower
//! limit, beta scaled to [lower, upper], the mirrored gamma and lognormal
//! taken from the upper limit; the skew-normal, with three parameters,
//! needs three judgements or more. "best" takes the smallest sum of
//! squares among the families whose range is the limits given (so that a
//! draw never leaves them): normal, Student-t or skew-normal without
//! limits, gamma or lognormal with a lower one, their mirrors with an
//! upper one, beta with both. The fit is made once, when the files are
//! loaded; a draw then goes through the fitted quantile function like any
//! other.

use rand::Rng;

use super::nelder_mead::minimise;
use super::{
    BetaDist, Distribution, GammaDist, Infeasible, LogNormalDist, NormalDist, SkewNormalDist,
    StudentTDist,
};

/// What an expert said.
#[derive(Debug, Clone, PartialEq)]
pub struct Judgements {
    /// Ascending.
    pub values: Vec<f64>,
    /// P(X ≤ value), ascending, each in (0, 1).
    pub probabilities: Vec<f64>,
    /// The plausible limits; infinite where none was given.
    pub lower: f64,
    pub upper: f64,
    /// Each judgement's weight in the sum of squares.
    pub weights: Vec<f64>,
    /// Degrees of freedom of a Student-t fit.
    pub df: f64,
}

/// SHELF's default degrees of freedom for a Student-t fit.
pub const T_DF: f64 = 3.0;

/// A family as SHELF fits it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Normal,
    /// Student's t with the judgements' degrees of freedom.
    StudentT,
    /// lower + a lognormal.
    LogNormal,
    /// lower + a gamma.
    Gamma,
    /// lower + (upper − lower) × a beta.
    Beta,
    /// upper − a gamma: skewed towards the lower values, bounded above.
    MirroredGamma,
    /// upper − a lognormal.
    MirroredLogNormal,
    /// Azzalini's skew-normal: location, scale and shape.
    SkewNormal,
}

impl Shape {
    pub const ALL: [Shape; 8] = [
        Shape::Normal,
        Shape::StudentT,
        Shape::LogNormal,
        Shape::Gamma,
        Shape::Beta,
        Shape::MirroredGamma,
        Shape::MirroredLogNormal,
        Shape::SkewNormal,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Shape::Normal => "normal",
            Shape::StudentT => "student_t",
            Shape::LogNormal => "lognormal",
            Shape::Gamma => "gamma",
            Shape::Beta => "beta",
            Shape::MirroredGamma => "mirrored_gamma",
            Shape::MirroredLogNormal => "mirrored_lognormal",
            Shape::SkewNormal => "skew_normal",
        }
    }

    pub fn parse(name: &str) -> Option<Shape> {
        Shape::ALL.into_iter().find(|s| s.name() == name)
    }

    /// Whether the family's support lies within the judgements' limits and
    /// reaches them: the families `best` chooses among.
    fn respects(self, j: &Judgements) -> bool {
        let (lower, upper) = (j.lower.is_finite(), j.upper.is_finite());
        match self {
            Shape::Normal | Shape::StudentT => !lower && !upper,
            Shape::SkewNormal => !lower && !upper && self.allowed(j),
            Shape::LogNormal | Shape::Gamma => lower && !upper,
            Shape::Beta => lower && upper,
            Shape::MirroredGamma | Shape::MirroredLogNormal => !lower && upper,
        }
    }

    /// Whether the judgements' limits allow the family.
    fn allowed(self, j: &Judgements) -> bool {
        match self {
            Shape::Normal | Shape::StudentT => true,
            Shape::SkewNormal => j.values.len() >= 3,
            Shape::LogNormal | Shape::Gamma => j.lower.is_finite(),
            Shape::Beta => j.lower.is_finite() && j.upper.is_finite(),
            Shape::MirroredGamma | Shape::MirroredLogNormal => j.upper.is_finite(),
        }
    }

    /// The family at unconstrained parameters θ, on the scale of the
    /// standardised quantity (X − offset) / span.
    fn build(self, theta: &[f64], df: f64) -> Option<Distribution> {
        let (a, b) = (theta[0], theta[1]);
        match self {
            Shape::Normal => NormalDist::new(a, b.exp()).ok().map(Distribution::Normal),
            Shape::StudentT => StudentTDist::new(a, b.exp(), df)
                .ok()
                .map(Distribution::StudentT),
            Shape::LogNormal | Shape::MirroredLogNormal => LogNormalDist::new(a, b.exp())
                .ok()
                .map(Distribution::LogNormal),
            // θ = (ln shape, ln rate).
            Shape::Gamma | Shape::MirroredGamma => GammaDist::new(a.exp(), (-b).exp())
                .ok()
                .map(Distribution::Gamma),
            Shape::Beta => BetaDist::new(a.exp(), b.exp()).ok().map(Distribution::Beta),
            Shape::SkewNormal => SkewNormalDist::new(a, b.exp(), theta[2])
                .ok()
                .map(Distribution::SkewNormal),
        }
    }
}

/// One expert's fitted distribution: `offset + span × inner`.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpertFit {
    pub shape: Shape,
    inner: Box<Distribution>,
    offset: f64,
    span: f64,
    /// The least-squares objective at the fit.
    pub sum_of_squares: f64,
    pub judgements: Judgements,
}

impl ExpertFit {
    /// Fits `shape`, or with `None` every family the limits allow and keeps
    /// the smallest sum of squares.
    pub fn fit(judgements: Judgements, shape: Option<Shape>) -> Result<Self, Infeasible> {
        check(&judgements)?;
        let candidates: Vec<Shape> = match shape {
            Some(s) if !s.allowed(&judgements) => {
                return Err(elicitation(format!(
                    "a {} fit needs {}",
                    s.name(),
                    match s {
                        Shape::Beta => "both `lower` and `upper` limits",
                        Shape::MirroredGamma | Shape::MirroredLogNormal => "an `upper` limit",
                        Shape::SkewNormal => "at least three judgements, one per parameter",
                        _ => "a `lower` limit",
                    }
                )));
            }
            Some(s) => vec![s],
            None => Shape::ALL
                .into_iter()
                .filter(|s| s.respects(&judgements))
                .collect(),
        };
        // A family that cannot be fitted drops out of `best`; the error is
        // kept for when none can.
        let mut best: Option<ExpertFit> = None;
        let mut failed = elicitation("no family could be fitted".into());
        for s in candidates {
            match fit_one(&judgements, s) {
                Ok(fitted) => {
                    if best
                        .as_ref()
                        .is_none_or(|b| fitted.sum_of_squares < b.sum_of_squares)
                    {
                        best = Some(fitted);
                    }
                }
                Err(e) => failed = e,
            }
        }
        best.ok_or(failed)
    }

    /// The fitted family's own parameters, as people read them.
    pub fn parameters(&self) -> String {
        let place = match self.shape {
            Shape::Normal | Shape::StudentT | Shape::SkewNormal => String::new(),
            Shape::LogNormal | Shape::Gamma => format!(", shifted to {}", self.offset),
            Shape::MirroredGamma | Shape::MirroredLogNormal => {
                format!(", mirrored: {} minus it", self.offset)
            }
            Shape::Beta => format!(", scaled to [{}, {}]", self.offset, self.offset + self.span),
        };
        format!("{}{place}", self.inner.describe())
    }
}

impl super::Family for ExpertFit {
    fn mean(&self) -> f64 {
        self.offset + self.span * self.inner.mean()
    }

    fn variance(&self) -> f64 {
        self.span * self.span * self.inner.variance()
    }

    /// A mirrored family has a negative span: X falls as the inner value
    /// rises, so its probabilities run the other way.
    fn quantile(&self, p: f64) -> f64 {
        let p = if self.span < 0.0 { 1.0 - p } else { p };
        self.offset + self.span * self.inner.quantile(p)
    }

    fn support(&self) -> (f64, f64) {
        let (lo, hi) = self.inner.support();
        let (a, b) = (self.offset + self.span * lo, self.offset + self.span * hi);
        (a.min(b), a.max(b))
    }

    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        self.offset + self.span * self.inner.sample(rng)
    }

    fn describe(&self) -> String {
        format!(
            "elicited, {} (least squares on the CDF, sum of squares {:.3e}): {}",
            self.shape.name(),
            self.sum_of_squares,
            self.parameters()
        )
    }
}

impl super::Continuous for ExpertFit {
    fn cdf(&self, x: f64) -> f64 {
        let f = self
            .inner
            .cdf((x - self.offset) / self.span)
            .unwrap_or(f64::NAN);
        if self.span < 0.0 { 1.0 - f } else { f }
    }
}

fn elicitation(message: String) -> Infeasible {
    Infeasible::Elicitation { message }
}

/// SHELF's conditions on a set of judgements.
fn check(j: &Judgements) -> Result<(), Infeasible> {
    let n = j.values.len();
    if n < 2 || j.probabilities.len() != n || j.weights.len() != n {
        return Err(elicitation(format!(
            "`values` and `probabilities` must pair up, at least two of each (here {} and {}){}",
            n,
            j.probabilities.len(),
            if j.weights.len() == n {
                ""
            } else {
                ", and `weights` give one per judgement"
            }
        )));
    }
    let finite = |v: &[f64]| v.iter().all(|x| x.is_finite());
    if !finite(&j.values) || !finite(&j.probabilities) || !finite(&j.weights) {
        return Err(elicitation(
            "every value, probability and weight must be a finite number".into(),
        ));
    }
    if j.values.windows(2).any(|w| w[0] >= w[1]) {
        return Err(elicitation(format!(
            "`values` must increase: {:?}",
            j.values
        )));
    }
    if j.probabilities.iter().any(|&p| p <= 0.0 || p >= 1.0)
        || j.probabilities.windows(2).any(|w| w[0] >= w[1])
    {
        return Err(elicitation(format!(
            "`probabilities` must increase and lie strictly between 0 and 1: {:?}",
            j.probabilities
        )));
    }
    if !j.probabilities.iter().any(|&p| p < 0.4) || !j.probabilities.iter().any(|&p| p > 0.6) {
        return Err(elicitation(
            "the judgements need at least one probability below 0.4 and one above 0.6, so that the spread is judged, not only the middle".into(),
        ));
    }
    if j.df.is_nan() || j.df <= 2.0 {
        return Err(elicitation(format!(
            "`df` is {}; a Student-t fit needs more than 2 degrees of freedom, so that its variance is finite",
            j.df
        )));
    }
    if j.weights.iter().any(|&w| w <= 0.0) {
        return Err(elicitation("every weight must be greater than 0".into()));
    }
    if j.lower >= j.upper {
        return Err(Infeasible::LowNotBelowHigh {
            low: j.lower,
            high: j.upper,
        });
    }
    if let Some(v) = j.values.iter().find(|&&v| v <= j.lower || v >= j.upper) {
        return Err(elicitation(format!(
            "the value {v} is not strictly inside the limits [{}, {}]",
            j.lower, j.upper
        )));
    }
    Ok(())
}

/// The least-squares fit of one family.
fn fit_one(j: &Judgements, shape: Shape) -> Result<ExpertFit, Infeasible> {
    let (offset, span) = match shape {
        Shape::Normal | Shape::StudentT | Shape::SkewNormal => (0.0, 1.0),
        Shape::LogNormal | Shape::Gamma => (j.lower, 1.0),
        Shape::Beta => (j.lower, j.upper - j.lower),
        Shape::MirroredGamma | Shape::MirroredLogNormal => (j.upper, -1.0),
    };
    let x: Vec<f64> = j.values.iter().map(|v| (v - offset) / span).collect();
    // The inner quantity's own probabilities: mirrored, P(Y ≤ upper − v)
    // = 1 − P(X ≤ v).
    let p: Vec<f64> = j
        .probabilities
        .iter()
        .map(|&p| if span < 0.0 { 1.0 - p } else { p })
        .collect();
    let objective = |theta: &[f64]| -> f64 {
        let Some(d) = shape.build(theta, j.df) else {
            return f64::INFINITY;
        };
        let mut sum = 0.0;
        for ((&v, &p), &w) in x.iter().zip(&p).zip(&j.weights) {
            let f = d.cdf(v).unwrap_or(f64::NAN);
            sum += w * (f - p) * (f - p);
        }
        if sum.is_finite() { sum } else { f64::INFINITY }
    };
    let (theta, value) = starts(&x, &p, shape)
        .iter()
        .filter_map(|start| minimise(&objective, start))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .ok_or_else(|| elicitation(format!("the {} fit did not converge", shape.name())))?;
    let inner = shape
        .build(&theta, j.df)
        .ok_or_else(|| elicitation(format!("the {} fit left its domain", shape.name())))?;
    Ok(ExpertFit {
        shape,
        inner: Box::new(inner),
        offset,
        span,
        sum_of_squares: value,
        judgements: j.clone(),
    })
}

/// Starting values: a straight line through the judgements on the normal
/// scale (x against Φ⁻¹(p)), read as each family's moments; the
/// skew-normal also starts leaning either way, as its sum of squares can
/// have a valley on each side of the normal.
fn starts(x: &[f64], p: &[f64], shape: Shape) -> Vec<Vec<f64>> {
    let z: Vec<f64> = p.iter().map(|&p| standard_normal_quantile(p)).collect();
    let line = |y: &[f64]| -> (f64, f64) {
        let n = y.len() as f64;
        let (mz, my) = (z.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
        let szz: f64 = z.iter().map(|z| (z - mz) * (z - mz)).sum();
        let szy: f64 = z.iter().zip(y).map(|(z, y)| (z - mz) * (y - my)).sum();
        let slope = (szy / szz).max(1e-9 * my.abs().max(1e-9));
        (my - slope * mz, slope)
    };
    match shape {
        Shape::Normal | Shape::StudentT => {
            let (m, s) = line(x);
            vec![vec![m, s.ln()]]
        }
        Shape::SkewNormal => {
            let (m, s) = line(x);
            [0.0, -3.0, 3.0]
                .into_iter()
                .map(|shape| {
                    // Location and scale that keep the normal line's mean
                    // and standard deviation at this shape.
                    let d = shape / (1.0_f64 + shape * shape).sqrt();
                    let scale = s / (1.0 - 2.0 * d * d / std::f64::consts::PI).sqrt();
                    let location = m - scale * d * (2.0 / std::f64::consts::PI).sqrt();
                    vec![location, scale.ln(), shape]
                })
                .collect()
        }
        Shape::LogNormal | Shape::MirroredLogNormal => {
            let logs: Vec<f64> = x.iter().map(|v| v.ln()).collect();
            let (m, s) = line(&logs);
            vec![vec![m, s.ln()]]
        }
        Shape::Gamma | Shape::MirroredGamma => {
            let (m, s) = line(x);
            let m = m.max(s);
            let (k, rate) = ((m / s).powi(2), m / (s * s));
            vec![vec![k.ln(), rate.ln()]]
        }
        Shape::Beta => {
            let (m, s) = line(x);
            let m = m.clamp(0.01, 0.99);
            let v = (s * s).min(0.9 * m * (1.0 - m));
            let t = m * (1.0 - m) / v - 1.0;
            vec![vec![(m * t).ln(), ((1.0 - m) * t).ln()]]
        }
    }
}

fn standard_normal_quantile(p: f64) -> f64 {
    use statrs::distribution::{ContinuousCDF, Normal};
    Normal::new(0.0, 1.0).map_or(f64::NAN, |n| n.inverse_cdf(p))
}

#[cfg(test)]
mod tests;
