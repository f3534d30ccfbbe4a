//! Numbers for people: money, probabilities and the margin of a pair, in
//! one format for the console, the report and the figures.

/// The minus sign money and margins are shown with (U+2212, not a hyphen).
pub const MINUS: char = '−';

/// A compact number for labels: 3 significant figures.
pub fn short(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    let digits = (2 - x.abs().log10().floor() as i32).max(0) as usize;
    format!("{x:.digits$}")
}

/// An amount of money, its unit chosen by its size: £999, £28.5k, £285k,
/// £1.2m, £24.6m, £2.4bn, £24bn (one decimal below 100 of a unit, below 10
/// for bn); negatives as −£8.2m. A value that rounds
/// to nothing is £0, never −£0.
pub fn money(gbp: f64) -> String {
    if !gbp.is_finite() {
        return "—".into();
    }
    let size = gbp.abs();
    let digits = if size < 999.5 {
        format!("{size:.0}")
    } else {
        scaled(size)
    };
    if gbp < 0.0 && !is_zero(&digits) {
        format!("{MINUS}£{digits}")
    } else {
        format!("£{digits}")
    }
}

/// A size of at least £999.5 in k, m or bn: one decimal below 100 of the
/// unit, none above; the unit grows when rounding reaches 1,000 of it.
fn scaled(size: f64) -> String {
    const UNITS: [(f64, &str); 3] = [(1e3, "k"), (1e6, "m"), (1e9, "bn")];
    for (k, (scale, unit)) in UNITS.iter().enumerate() {
        let v = size / scale;
        // £24bn, not £24.0bn: a model's value in billions is rough.
        let decimals_below = if *unit == "bn" { 9.995 } else { 99.95 };
        let text = if v < decimals_below {
            format!("{v:.1}")
        } else {
            format!("{v:.0}")
        };
        let last = k + 1 == UNITS.len();
        if last || text.parse::<f64>().is_ok_and(|r| r < 1000.0) {
            return format!("{text}{unit}");
        }
    }
    unreachable!("the last unit always returns")
}

/// The unit a table or an axis of money is shown in, chosen by the largest
/// amount it holds: £, £k, £m or £bn, so that a model valued in thousands
/// does not read as a column of zeros.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Unit {
    /// £ per unit.
    pub size: f64,
    /// "£k", "£m", …
    pub name: &'static str,
}

impl Unit {
    pub const MILLIONS: Unit = Unit {
        size: 1e6,
        name: "£m",
    };

    /// The unit for amounts whose largest magnitude is `largest`.
    pub fn for_largest(largest: f64) -> Unit {
        let (size, name) = match largest.abs() {
            x if !x.is_finite() || x >= 1e10 => (1e9, "£bn"),
            x if x >= 1e6 => (1e6, "£m"),
            x if x >= 1e3 => (1e3, "£k"),
            _ => (1.0, "£"),
        };
        Unit { size, name }
    }

    /// The unit for these amounts.
    pub fn for_amounts(amounts: impl IntoIterator<Item = f64>) -> Unit {
        let largest = amounts
            .into_iter()
            .filter(|x| x.is_finite())
            .fold(0.0, |m: f64, x| m.max(x.abs()));
        Unit::for_largest(largest)
    }

    /// `gbp` in this unit, signed, with `digits` decimals.
    pub fn signed(self, gbp: f64, digits: usize) -> String {
        signed(gbp / self.size, digits)
    }

    /// `gbp` in this unit, unsigned, with `digits` decimals (never −0).
    pub fn plain(self, gbp: f64, digits: usize) -> String {
        let text = signed(gbp / self.size, digits);
        text.trim_start_matches('+').to_string()
    }
}

/// An amount with an explicit sign: +£1.2m, −£0.4m, £0.
pub fn signed_money(gbp: f64) -> String {
    let text = money(gbp);
    if text.starts_with(MINUS) || text == "£0" || !gbp.is_finite() {
        text
    } else {
        format!("+{text}")
    }
}

/// A figure in £m for a table whose header says £m: `digits` decimals, a
/// sign, and never −0.00.
pub fn millions(gbp: f64, digits: usize) -> String {
    signed(gbp / 1e6, digits)
}

/// A signed number with `digits` decimals, the minus sign U+2212, and
/// never −0.00.
pub fn signed(x: f64, digits: usize) -> String {
    let text = format!("{x:+.digits$}");
    if is_zero(&text) {
        format!("{:.digits$}", 0.0)
    } else {
        text.replacen('-', &MINUS.to_string(), 1)
    }
}

fn is_zero(text: &str) -> bool {
    text.chars().all(|c| matches!(c, '0' | '.' | '-' | '+'))
}

/// A share of draws as a percentage with one decimal, never rounded to
/// 0.0% or 100.0% unless exactly so: `<0.1%` and `>99.9%` instead.
pub fn percent(p: f64) -> String {
    if p > 0.0 && p < 0.0005 {
        "<0.1%".into()
    } else if p < 1.0 && p > 0.9995 {
        ">99.9%".into()
    } else {
        format!("{:.1}%", 100.0 * p)
    }
}

/// A proportion to three decimals, never rounded to 0.000 or 1.000 unless
/// exactly so: `<0.001` and `>0.999` instead.
pub fn share(p: f64) -> String {
    if p > 0.0 && p < 0.0005 {
        "<0.001".into()
    } else if p < 1.0 && p > 0.9995 {
        ">0.999".into()
    } else {
        format!("{p:.3}")
    }
}

/// A probability with its Monte Carlo standard error: `0.920 ± 0.003`.
/// Where every draw or none counts, the error is zero and says nothing, so
/// none is shown: `1 (every draw)`, `0 (no draw)`.
pub fn probability(p: f64, mcse: f64) -> String {
    if p == 1.0 {
        "1 (every draw)".into()
    } else if p == 0.0 {
        "0 (no draw)".into()
    } else if mcse < 0.0005 {
        format!("{} ± <0.001", share(p))
    } else {
        format!("{} ± {mcse:.3}", share(p))
    }
}

/// The condition a pair's probability counts, naming its margin:
/// `A − B > £2.0m`, `A − B > −£500k`, `A − B > 0`.
pub fn margin_condition(a: &str, b: &str, margin: f64) -> String {
    if margin == 0.0 {
        format!("{a} − {b} > 0")
    } else {
        format!("{a} − {b} > {}", money(margin))
    }
}

/// The pair's question in words: "A beats B", "A beats B by more than
/// £2.0m", or, for a negative margin, "A is no worse than B by more than
/// £500k" (non-inferiority).
pub fn pair_question(a: &str, b: &str, margin: f64) -> String {
    if margin > 0.0 {
        format!("{a} beats {b} by more than {}", money(margin))
    } else if margin < 0.0 {
        format!("{a} is no worse than {b} by more than {}", money(-margin))
    } else {
        format!("{a} beats {b}")
    }
}

/// The pair's question, asked: "Does A beat B?", "Does A beat B by more
/// than £2.0m?", "Is A no worse than B by more than £500k?".
pub fn pair_asked(a: &str, b: &str, margin: f64) -> String {
    if margin < 0.0 {
        format!("Is {a} no worse than {b} by more than {}?", money(-margin))
    } else {
        format!(
            "Does {a} beat {b}{}?",
            pair_question("", "", margin).trim_start_matches(" beats ")
        )
    }
}

/// A whole number with thousands separators: 1,250,000 (draws, or £).
pub fn thousands(gbp: f64) -> String {
    let whole = format!("{:.0}", gbp.abs());
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if gbp < 0.0 && whole != "0" {
        format!("{MINUS}{grouped}")
    } else {
        grouped
    }
}

/// Text made safe inside HTML or SVG, in element content and in quoted
/// attributes alike.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
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

    /// Each amount of the list, written out by hand.
    #[test]
    fn money_chooses_its_unit_by_size() {
        let cases = [
            (0.0, "£0"),
            (0.4, "£0"),
            (-0.4, "£0"),
            (1.0, "£1"),
            (999.0, "£999"),
            (999.4, "£999"),
            (999.6, "£1.0k"),
            (1_000.0, "£1.0k"),
            (28_460.0, "£28.5k"),
            (99_940.0, "£99.9k"),
            (99_960.0, "£100k"),
            (284_600.0, "£285k"),
            (999_400.0, "£999k"),
            (999_600.0, "£1.0m"),
            (1_200_000.0, "£1.2m"),
            (24_640_000.0, "£24.6m"),
            (999_600_000.0, "£1.0bn"),
            (2_400_000_000.0, "£2.4bn"),
            (24_000_000_000.0, "£24bn"),
            (-1.0, "−£1"),
            (-999.0, "−£999"),
            (-21_000.0, "−£21.0k"),
            (-8_240_000.0, "−£8.2m"),
            (-24e9, "−£24bn"),
        ];
        for (gbp, text) in cases {
            assert_eq!(money(gbp), text, "{gbp}");
        }
    }

    #[test]
    fn signed_money_and_millions_never_show_minus_zero() {
        assert_eq!(signed_money(1_180_000.0), "+£1.2m");
        assert_eq!(signed_money(-420_000.0), "−£420k");
        assert_eq!(signed_money(-0.2), "£0");
        assert_eq!(millions(-1_000.0, 2), "0.00");
        assert_eq!(millions(-0.0, 1), "0.0");
        assert_eq!(millions(24_640_000.0, 1), "+24.6");
        assert_eq!(millions(-8_240_000.0, 2), "−8.24");
    }

    #[test]
    fn shares_round_to_certainty_only_when_certain() {
        assert_eq!(percent(1.0), "100.0%");
        assert_eq!(percent(0.9997), ">99.9%");
        assert_eq!(percent(0.9994), "99.9%");
        assert_eq!(percent(0.0003), "<0.1%");
        assert_eq!(percent(0.0), "0.0%");
        assert_eq!(share(0.9997), ">0.999");
        assert_eq!(share(0.0001), "<0.001");
        assert_eq!(share(1.0), "1.000");
        assert_eq!(share(0.92), "0.920");
    }

    #[test]
    fn a_certain_probability_shows_no_zero_error() {
        assert_eq!(probability(0.7312, 0.0043), "0.731 ± 0.004");
        assert_eq!(probability(1.0, 0.0), "1 (every draw)");
        assert_eq!(probability(0.0, 0.0), "0 (no draw)");
        assert_eq!(probability(0.9997, 0.000017), ">0.999 ± <0.001");
        assert!(!probability(0.5, 0.0001).contains("0.000"));
    }

    #[test]
    fn a_pair_names_its_margin() {
        assert_eq!(margin_condition("a", "b", 0.0), "a − b > 0");
        assert_eq!(margin_condition("a", "b", 2e6), "a − b > £2.0m");
        assert_eq!(margin_condition("a", "b", -5e5), "a − b > −£500k");
        assert_eq!(pair_question("a", "b", 0.0), "a beats b");
        assert_eq!(pair_question("a", "b", 2e6), "a beats b by more than £2.0m");
        assert_eq!(
            pair_question("a", "b", -5e5),
            "a is no worse than b by more than £500k"
        );
        assert_eq!(pair_asked("a", "b", 0.0), "Does a beat b?");
        assert_eq!(
            pair_asked("a", "b", 2e6),
            "Does a beat b by more than £2.0m?"
        );
        assert_eq!(
            pair_asked("a", "b", -5e5),
            "Is a no worse than b by more than £500k?"
        );
    }
}
