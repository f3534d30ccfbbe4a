//! Published deterministic results a base case is checked against, when
//! the parameter files give them (`[published]`): each option's nominal
//! and present value with the unit it was printed to, and the published
//! preference order. They are calibration targets, not model inputs.

use serde::Deserialize;

/// A model's published results, as its parameter files state them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Published {
    /// Where the figures were published.
    pub source: String,
    /// The published preference order, best first: option ids.
    pub ranking: Vec<String>,
    #[serde(default, rename = "option")]
    pub options: Vec<PublishedEntry>,
}

/// One option's published values, £m, each with the unit it was printed to.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedEntry {
    pub id: String,
    pub nominal_m: f64,
    pub nominal_rounding_m: f64,
    pub pv_m: f64,
    pub pv_rounding_m: f64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PublishedFigure {
    pub value_m: f64,
    /// The unit the figure was printed to, £m.
    pub rounding_m: f64,
}

impl PublishedFigure {
    /// Tolerance for reproducing the figure: 2% of it or half its rounding
    /// unit, whichever is larger.
    pub fn tolerance_m(&self) -> f64 {
        (0.02 * self.value_m.abs()).max(self.rounding_m / 2.0)
    }

    pub fn reproduced_by(&self, gbp: f64) -> bool {
        (gbp / 1e6 - self.value_m).abs() <= self.tolerance_m()
    }
}

/// An option's published nominal value and present value.
#[derive(Debug, Clone, Copy)]
pub struct PublishedOption {
    pub nominal: PublishedFigure,
    pub present_value: PublishedFigure,
}

impl Published {
    /// Option `id`'s published figures, if it has any.
    pub fn lookup(&self, id: &str) -> Option<PublishedOption> {
        self.options
            .iter()
            .find(|o| o.id == id)
            .map(|o| PublishedOption {
                nominal: PublishedFigure {
                    value_m: o.nominal_m,
                    rounding_m: o.nominal_rounding_m,
                },
                present_value: PublishedFigure {
                    value_m: o.pv_m,
                    rounding_m: o.pv_rounding_m,
                },
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figure(value_m: f64, rounding_m: f64) -> PublishedFigure {
        PublishedFigure {
            value_m,
            rounding_m,
        }
    }

    #[test]
    fn tolerance_is_two_percent_or_half_the_rounding_unit() {
        assert!((figure(30.1, 0.1).tolerance_m() - 0.602).abs() < 1e-12);
        assert_eq!(figure(4.0, 1.0).tolerance_m(), 0.5);
        assert!(figure(-8.3, 0.1).reproduced_by(-8.24e6));
        assert!(!figure(-8.3, 0.1).reproduced_by(-8.0e6));
    }
}
