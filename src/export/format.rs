//! Numbers for people: compact figures for labels and tables.

/// A compact number for labels: 3 significant figures.
pub fn short(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    let digits = (2 - x.abs().log10().floor() as i32).max(0) as usize;
    format!("{x:.digits$}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_keeps_three_significant_figures() {
        assert_eq!(short(0.123456), "0.123");
        assert_eq!(short(1234.4), "1234");
        assert_eq!(short(12.345), "12.3");
        assert_eq!(short(0.0), "0");
    }
}
