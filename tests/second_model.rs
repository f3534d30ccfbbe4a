//! The second, illustrative model (`distributions/older_people`, run file
//! `runs/older_people.toml`): three hub types, activities the CHH model
//! lacks, its own options and scenarios, declared in files alone. Its base
//! case equals a hand calculation of one option-year, and `run` at the run
//! file's 10,000 draws and `report` go through every analysis.

mod common;
use common::{base_detail, chh_psa, floats, manifest, ok, strings, summary};

use chh_psa::export::parquet;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

/// Year 1 of the integrated roll-out, by hand from the files' base values.
/// Activities per hub-year at full effect × unit cost: 60 A&E attendances
/// × £250, 25 emergency admissions × £3,000, 120 bed days × £350, 2
/// care-home admissions × £40,000, 300 GP appointments × £39.
#[test]
fn one_option_year_equals_a_hand_calculation() {
    let dir = tempfile::tempdir().unwrap();
    let detail = dir.path().join("detail.parquet");
    let dist = manifest().join("distributions/older_people");
    base_detail(&dist, &detail);
    let full_effect_year =
        60.0 * 250.0 + 25.0 * 3000.0 + 120.0 * 350.0 + 2.0 * 40000.0 + 300.0 * 39.0;
    // 8 existing hubs become integrated teams; of the 22 new ones, a third
    // is planned for year 1 and 80% of those open on time (slip 0.2).
    let new = 22.0 / 3.0 * 0.8;
    let integrated = 8.0 + new;
    let gross = integrated * 0.75 * full_effect_year;
    // Incremental lines of an integrated team, a year: GP MDT 4 h × £150,
    // geriatrician 8 h × £115, care coordinator 40 h × £40 (the social
    // worker's time is not counted), 12 months.
    let running = integrated * 12.0 * (4.0 * 150.0 + 8.0 * 115.0 + 40.0 * 40.0);
    // Each new team: £40,000 to start and 3 months of the geriatrician's
    // hours backfilled.
    let transition = new * 40_000.0 + new * 3.0 * 8.0 * 115.0;
    let net = gross - running - transition;
    // Usual care: 8 frailty MDT hubs at 60%, GP and geriatrician lines.
    let comparator = 8.0 * 0.6 * full_effect_year - 8.0 * 12.0 * (4.0 * 150.0 + 8.0 * 115.0);

    let df = parquet::read(&detail).unwrap();
    let (option, year) = (strings(&df, "option"), floats(&df, "discount_factor"));
    let row = (0..df.height())
        .find(|&i| option[i] == "integrated_rollout")
        .unwrap();
    assert!(close(year[row], 1.0 / 1.035));
    let column = |name: &str| floats(&df, name)[row];
    assert!(close(column("integrated_hub_years"), integrated));
    assert_eq!(column("virtual_ward_hub_years"), 0.0);
    assert!(
        close(column("gross_benefit_gbp"), gross),
        "{} vs {gross}",
        column("gross_benefit_gbp")
    );
    assert!(close(column("running_cost_gbp"), running));
    assert!(close(column("transition_cost_gbp"), transition));
    assert!(close(column("net_value_gbp"), net));
    assert!(close(column("net_efficiency_gbp"), net - comparator));
    assert!(close(column("bed_day_avoided"), integrated * 0.75 * 120.0));
}

#[test]
fn the_second_model_runs_through_every_analysis_and_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let run = manifest().join("runs/older_people.toml");
    ok(chh_psa(&[
        "run",
        run.to_str().unwrap(),
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]));
    let s = summary(&out);
    assert_eq!(s.run.samples, 10_000);
    assert_eq!(s.run.horizon_years, 8);
    assert_eq!(s.options.len(), 4);
    assert_eq!(s.scenarios.len(), 5);
    assert!(s.yearly.as_ref().is_some_and(|y| y.options.len() == 4));
    // It has no published figures: nothing is compared with them.
    assert!(s.ranking_robustness.published_ranking.is_none());
    for file in [
        "samples.parquet",
        "tornado.parquet",
        "evppi.parquet",
        "evsi.parquet",
        "two_way.parquet",
        "scenarios.parquet",
        "yearly.parquet",
        "report.html",
    ] {
        assert!(out.join(file).is_file(), "{file} missing");
    }
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    std::fs::remove_file(out.join("report.html")).unwrap();
    ok(chh_psa(&["report", out.to_str().unwrap()]));
    assert_eq!(
        std::fs::read_to_string(out.join("report.html")).unwrap(),
        report
    );
    assert!(report.contains("virtual_ward_rollout"));
}

/// Every source line of the second model says its value is illustrative.
#[test]
fn every_value_of_the_second_model_says_it_is_illustrative() {
    for entry in std::fs::read_dir(manifest().join("distributions/older_people")).unwrap() {
        let path = entry.unwrap().path();
        let table: toml::Table = std::fs::read_to_string(&path).unwrap().parse().unwrap();
        assert!(
            table["about"]
                .as_str()
                .unwrap()
                .contains("ILLUSTRATIVE MODEL, NOT AN EVALUATION")
        );
        for (name, parameter) in table
            .get("parameters")
            .and_then(|p| p.as_table())
            .into_iter()
            .flatten()
        {
            let source = parameter["source"].as_str().unwrap();
            assert!(
                source.starts_with("illustrative value, not evaluated"),
                "{}: {name}",
                path.display()
            );
        }
    }
}
