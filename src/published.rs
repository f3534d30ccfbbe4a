//! The published deterministic results the base case must reproduce: net
//! health-system efficiency against the status quo, 10 years, 2022 prices
//! (EbD 2022, 'results of the economic model'; docs/model.md).
//!
//! These are calibration targets, not model inputs. Each carries the unit it
//! was printed to: "£10 million" and "£5 million" are whole millions, "£8.3
//! million" is to a tenth.

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

#[derive(Debug, Clone, Copy)]
pub struct PublishedOption {
    pub id: &'static str,
    pub nominal: PublishedFigure,
    pub present_value: PublishedFigure,
}

const fn figure(value_m: f64, rounding_m: f64) -> PublishedFigure {
    PublishedFigure {
        value_m,
        rounding_m,
    }
}

pub const PUBLISHED: [PublishedOption; 4] = [
    PublishedOption {
        id: "decline",
        nominal: figure(-10.0, 1.0),
        present_value: figure(-8.3, 0.1),
    },
    PublishedOption {
        id: "organic",
        nominal: figure(5.0, 1.0),
        present_value: figure(4.0, 1.0),
    },
    PublishedOption {
        id: "supported",
        nominal: figure(30.1, 0.1),
        present_value: figure(24.6, 0.1),
    },
    PublishedOption {
        id: "accelerated",
        nominal: figure(31.3, 0.1),
        present_value: figure(25.7, 0.1),
    },
];

/// The published preference order, best first.
pub const PUBLISHED_RANKING: [&str; 5] = [
    "accelerated",
    "supported",
    "organic",
    "status_quo",
    "decline",
];

pub fn lookup(id: &str) -> Option<&'static PublishedOption> {
    PUBLISHED.iter().find(|p| p.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tolerance_is_two_percent_or_half_the_rounding_unit() {
        assert!((figure(30.1, 0.1).tolerance_m() - 0.602).abs() < 1e-12);
        assert_eq!(figure(4.0, 1.0).tolerance_m(), 0.5);
        assert!(figure(-8.3, 0.1).reproduced_by(-8.24e6));
        assert!(!figure(-8.3, 0.1).reproduced_by(-8.0e6));
    }
}
