//! A point value: no uncertainty. Used for structural constants and for
//! reproducing the deterministic base case.

use rand::Rng;

#[derive(Debug, Clone, PartialEq)]
pub struct Fixed {
    value: f64,
}

impl Fixed {
    pub fn new(value: f64) -> Result<Self, super::Infeasible> {
        Ok(Fixed {
            value: super::finite("value", value)?,
        })
    }
}

impl super::Family for Fixed {
    fn mean(&self) -> f64 {
        self.value
    }

    fn variance(&self) -> f64 {
        0.0
    }

    fn quantile(&self, _p: f64) -> f64 {
        self.value
    }

    fn support(&self) -> (f64, f64) {
        (self.value, self.value)
    }

    fn sample<R: Rng + ?Sized>(&self, _rng: &mut R) -> f64 {
        self.value
    }

    fn describe(&self) -> String {
        format!("fixed({})", self.value)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Distribution, testing};
    use super::*;

    #[test]
    fn fixed_always_draws_its_value() {
        let d = Distribution::Fixed(Fixed::new(3.5).unwrap());
        testing::assert_moments(&d, 3.5, 0.0);
        assert_eq!(d.quantile(0.025), 3.5);
        assert_eq!(d.quantile(0.975), 3.5);
    }

    #[test]
    fn fixed_rejects_nan() {
        assert!(matches!(
            Fixed::new(f64::NAN),
            Err(super::super::Infeasible::NotFinite { .. })
        ));
    }
}
