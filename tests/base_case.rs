//! The binary's base case against the published table (EbD 2022; docs/model.md).

mod common;
use common::{base_option, chh_psa};

use serde_json::Value;

fn base_json() -> Value {
    let out = chh_psa(&["base", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn gbp(json: &Value, id: &str, key: &str) -> f64 {
    base_option(json, id)[key].as_f64().unwrap()
}

/// (id, nominal £m, its rounding unit, PV £m, its rounding unit), as printed.
const PUBLISHED: [(&str, f64, f64, f64, f64); 4] = [
    ("decline", -10.0, 1.0, -8.3, 0.1),
    ("organic", 5.0, 1.0, 4.0, 1.0),
    ("supported", 30.1, 0.1, 24.6, 0.1),
    ("accelerated", 31.3, 0.1, 25.7, 0.1),
];

#[test]
fn each_published_figure_is_reproduced_within_tolerance() {
    let json = base_json();
    for (id, nominal, n_unit, pv, p_unit) in PUBLISHED {
        for (key, target, unit) in [("nominal_gbp", nominal, n_unit), ("pv_gbp", pv, p_unit)] {
            let ours = gbp(&json, id, key) / 1e6;
            let tolerance = (0.02 * target.abs()).max(unit / 2.0);
            assert!(
                (ours - target).abs() <= tolerance,
                "{id} {key}: {ours:.3} vs published {target} (±{tolerance})"
            );
        }
    }
}

#[test]
fn accelerated_beats_supported_by_the_published_margin() {
    let json = base_json();
    let nominal =
        (gbp(&json, "accelerated", "nominal_gbp") - gbp(&json, "supported", "nominal_gbp")) / 1e6;
    let pv = (gbp(&json, "accelerated", "pv_gbp") - gbp(&json, "supported", "pv_gbp")) / 1e6;
    assert!(
        (nominal - 1.2).abs() <= 0.3,
        "accelerated − supported nominal {nominal:.3}"
    );
    assert!(
        (pv - 1.1).abs() <= 0.3,
        "accelerated − supported PV {pv:.3}"
    );
}

#[test]
fn ranking_is_the_published_one_nominal_and_pv() {
    let json = base_json();
    let order = [
        "accelerated",
        "supported",
        "organic",
        "status_quo",
        "decline",
    ];
    for key in ["nominal_gbp", "pv_gbp"] {
        for pair in order.windows(2) {
            assert!(
                gbp(&json, pair[0], key) > gbp(&json, pair[1], key),
                "{key}: {} ≤ {}",
                pair[0],
                pair[1]
            );
        }
    }
    assert_eq!(gbp(&json, "status_quo", "nominal_gbp"), 0.0);
}

#[test]
fn decline_loses_the_published_yearly_activity() {
    let json = base_json();
    let change = &base_option(&json, "decline")["final_year_activity_change"];
    for (activity, published) in [
        ("new_outpatient", 114.0),
        ("followup_outpatient", 1148.0),
        ("ae_attendance", 1463.0),
        ("admission", 820.0),
        ("gp_appointment", 3280.0),
    ] {
        let ours = -change[activity].as_f64().unwrap();
        assert!(
            (ours - published).abs() <= 1.0,
            "{activity}: {ours} vs {published}"
        );
    }
    // Two more paediatricians needed: the fitted equivalence holds.
    let paediatricians = base_option(&json, "decline")["paediatricians_released"]
        .as_f64()
        .unwrap();
    assert!((paediatricians + 2.0).abs() < 0.01, "{paediatricians}");
}

#[test]
fn table_shows_published_figures_and_deviations() {
    let out = chh_psa(&["base"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("published") && text.contains("deviation"));
    let supported = text.lines().find(|l| l.starts_with("supported")).unwrap();
    assert!(
        supported.contains("+30.1") && supported.contains("+24.6"),
        "{supported}"
    );
    assert!(
        !text.contains(" !"),
        "a figure is out of tolerance:\n{text}"
    );
}

#[test]
fn detail_parquet_holds_every_option_year() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("base.parquet");
    let out = chh_psa(&["base", "--detail", path.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let df = chh_psa::export::parquet::read(&path).unwrap();
    assert_eq!(df.height(), 5 * 10);
    // The PV column sums to the JSON's PV per option.
    let json = base_json();
    let options = df.column("option").unwrap().str().unwrap().clone();
    let pv = df
        .column("net_efficiency_pv_gbp")
        .unwrap()
        .f64()
        .unwrap()
        .clone();
    let total: f64 = options
        .iter()
        .zip(pv.iter())
        .filter(|(o, _)| *o == Some("supported"))
        .map(|(_, v)| v.unwrap())
        .sum();
    assert!((total - gbp(&json, "supported", "pv_gbp")).abs() < 1e-6);
}
