//! The model's shape is data: a copy of the shipped files, with an activity
//! and a third kind of hub added by editing the files alone, runs `base`
//! and `run`, and the new activity's column and effect show in the outputs.

mod common;
use common::{base_detail, base_option, chh_psa, distributions_copy, floats, ok, strings, summary};

use chh_psa::export::parquet;
use std::path::Path;

/// The shipped files with community nursing contacts avoided (50 a
/// hub-year at full effect, £60 each) and an `integrated` hub type (90%
/// realisation, 10 more hours a month of an MDT member), which a new option
/// opens in 10 PCNs over years 1-2 beside the 17 existing hubs.
fn edited(dir: &Path) -> std::path::PathBuf {
    distributions_copy(dir, |name, mut text| {
        let add = match name {
            "impacts.toml" => {
                "\n[parameters.impact_community_nursing]\ndescription = \"Community nursing contacts avoided\"\nunit = \"contacts per hub-year at full effect\"\nbase = 50.0\nsource = \"test\"\ndistribution = { family = \"gamma\", mean = 50.0, se = 10.0 }\n\n[[activity]]\nid = \"community_nursing\"\nname = \"community nursing contacts\"\nunit = \"contacts\"\nimpact = \"impact_community_nursing\"\nunit_cost = \"cost_community_nursing\"\n"
            }
            "unit_costs.toml" => {
                "\n[parameters.cost_community_nursing]\ndescription = \"Community nursing contact\"\nunit = \"GBP per contact\"\nbase = 60.0\nsource = \"test\"\ndistribution = { family = \"fixed\" }\n"
            }
            "realisation.toml" => {
                "\n[parameters.realisation_integrated]\ndescription = \"Share of the full effect an integrated hub achieves\"\nunit = \"share (0-1)\"\nbase = 0.9\nsource = \"test\"\ndistribution = { family = \"beta\", mean = 0.9, se = 0.05 }\n\n[[hub_type]]\nid = \"integrated\"\nname = \"Integrated hub\"\nrealisation = \"realisation_integrated\"\n"
            }
            "hub_resources.toml" => {
                "\n[parameters.hours_integrated_nurse]\ndescription = \"Community nurse in the integrated hub\"\nunit = \"hours per hub per month\"\nbase = 10.0\nsource = \"test\"\ndistribution = { family = \"fixed\" }\n\n[[resource]]\nname = \"integrated nurse\"\nhours = \"hours_integrated_nurse\"\nrate = \"rate_mdt_member\"\nhub_types = [\"integrated\"]\nincremental = true\nbackfilled = false\nreason = \"test\"\n"
            }
            "options.toml" => {
                "\n[[option]]\nid = \"integrated_rollout\"\nname = \"Integrated roll-out\"\ndescription = \"test\"\nsource = \"test\"\n\n  [[option.cohort]]\n  label = \"existing hubs\"\n  hubs = 17\n  hub_type = \"standard\"\n  existing = true\n\n  [[option.cohort]]\n  label = \"integrated hubs\"\n  hubs = 10\n  hub_type = \"integrated\"\n  opens = [1, 2]\n  start_up = true\n"
            }
            _ => "",
        };
        text.push_str(add);
        text
    })
}

fn base_json(dist: &Path) -> serde_json::Value {
    let out = ok(chh_psa(&[
        "base",
        "--json",
        "--distributions",
        dist.to_str().unwrap(),
    ]));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn an_activity_and_a_hub_type_added_in_the_files_alone_run_through() {
    let dir = tempfile::tempdir().unwrap();
    let dist = edited(dir.path());
    let detail = dir.path().join("detail.parquet");
    base_detail(&dist, &detail);
    let new = base_json(&dist);
    let shipped = base_json(&common::manifest().join("distributions"));

    // The detail: a column per hub type and per activity, the new ones
    // included; in year 1 the integrated option runs 5 integrated hubs
    // (10 over 2 years) beside the 17 standard ones.
    let df = parquet::read(&detail).unwrap();
    let (option_col, factor) = (strings(&df, "option"), floats(&df, "discount_factor"));
    let row = |id: &str, t: usize| {
        (0..df.height())
            .filter(|&i| option_col[i] == id)
            .nth(t)
            .unwrap()
    };
    let integrated = floats(&df, "integrated_hub_years");
    let effective = floats(&df, "full_effect_hub_years");
    let nursing = floats(&df, "community_nursing_avoided");
    assert_eq!(integrated[row("integrated_rollout", 0)], 5.0);
    assert_eq!(integrated[row("integrated_rollout", 1)], 10.0);
    assert!((effective[row("integrated_rollout", 0)] - (17.0 * 0.5 + 5.0 * 0.9)).abs() < 1e-12);
    assert!((nursing[row("integrated_rollout", 0)] - 13.0 * 50.0).abs() < 1e-9);

    // The new activity's effect on an existing option, by hand: every
    // full-effect hub-year beyond the comparator's is worth 50 × £60 more,
    // discounted as the detail's factors say.
    let extra: f64 = (0..10)
        .map(|t| {
            let (s, c) = (row("supported", t), row("status_quo", t));
            (effective[s] - effective[c]) * 50.0 * 60.0 * factor[s]
        })
        .sum();
    let (pv_new, pv_old) = (
        base_option(&new, "supported")["pv_gbp"].as_f64().unwrap(),
        base_option(&shipped, "supported")["pv_gbp"]
            .as_f64()
            .unwrap(),
    );
    assert!(
        (pv_new - pv_old - extra).abs() < 1e-6 * pv_new.abs(),
        "{pv_new} - {pv_old} against {extra}"
    );
    let change = &base_option(&new, "supported")["final_year_activity_change"];
    assert!(change["community_nursing"].as_f64().unwrap() > 0.0);

    // The PSA runs on it: the new parameters are sampled and the new
    // option valued in every draw.
    let run_file = dir.path().join("run.toml");
    std::fs::write(
        &run_file,
        format!(
            "samples = 2000\nseed = 5\ndistributions = {:?}\noutput = \"out\"\n[evppi]\nparameters = false\n",
            dist.to_str().unwrap()
        ),
    )
    .unwrap();
    ok(chh_psa(&["run", run_file.to_str().unwrap(), "--quiet"]));
    let out = dir.path().join("out");
    let samples = parquet::read(&out.join("samples.parquet")).unwrap();
    let impact = floats(&samples, "impact_community_nursing");
    assert_eq!(impact.len(), 2000);
    assert!(impact.iter().any(|&v| v != 50.0));
    assert!(
        floats(&samples, "integrated_rollout_pv_gbp")
            .iter()
            .all(|v| v.is_finite())
    );
    let s = summary(&out);
    assert!(s.options.contains_key("integrated_rollout"));
}
