//! Variants of a run without copying folders: a run file that `extends`
//! another takes every setting of it and states only what differs.

mod common;
use common::{chh_psa, floats, manifest, ok, strings, summary};

use chh_psa::export::parquet;

use std::path::Path;

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
}

/// A child that changes only its output folder and draws repeats its
/// parent exactly: the same options, pairs, scenarios and numbers. A child
/// elsewhere keeps the parent's paths relative to the parent.
#[test]
fn a_run_file_that_extends_another_inherits_everything_it_does_not_state() {
    let dir = tempfile::tempdir().unwrap();
    let parent = dir.path().join("parent.toml");
    write(
        &parent,
        &format!(
            "samples = 500\nseed = 11\ndistributions = {:?}\noutput = \"parent-out\"\n\
             [evppi]\nparameters = false\n\
             [decision]\ncompare = [[\"accelerated\", \"supported\"]]\nmargin = 250000\n\
             [[scenario]]\nname = \"discount 1.5%\"\nset = {{ discount_rate = 0.015 }}\n",
            manifest().join("distributions").to_str().unwrap()
        ),
    );
    ok(chh_psa(&["run", parent.to_str().unwrap(), "--quiet"]));
    std::fs::create_dir(dir.path().join("variants")).unwrap();
    let child = dir.path().join("variants/child.toml");
    write(
        &child,
        "extends = \"../parent.toml\"\noutput = \"child-out\"\n[decision]\nmargin = 1000000\n",
    );
    ok(chh_psa(&["run", child.to_str().unwrap(), "--quiet"]));
    let (p, c) = (
        summary(&dir.path().join("parent-out")),
        summary(&dir.path().join("variants/child-out")),
    );
    assert_eq!(c.run.samples, 500);
    assert_eq!(c.run.seed, 11);
    assert_eq!(p.options, c.options, "the same draws, the same numbers");
    assert_eq!(c.scenarios.len(), 1);
    // The child's table is merged key by key: its margin, the parent's pairs.
    let pair = &c.decision.pairs["accelerated-supported"];
    assert_eq!(pair.margin_gbp, 1e6);
    assert_eq!(p.decision.pairs["accelerated-supported"].margin_gbp, 2.5e5);
    // Its provenance covers the file it extends.
    assert_ne!(p.run.run_file_hash, c.run.run_file_hash);
}

#[test]
fn a_cycle_or_a_missing_parent_is_refused_before_any_draw() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.toml"), dir.path().join("b.toml"));
    write(&a, "extends = \"b.toml\"\nsamples = 10\n");
    write(&b, "extends = \"a.toml\"\n");
    let o = chh_psa(&["run", a.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("`extends`: makes a cycle"), "{stderr}");
    assert!(
        stderr.contains("a.toml") && stderr.contains("b.toml"),
        "{stderr}"
    );

    write(&a, "extends = \"missing.toml\"\nsamples = 10\n");
    let o = chh_psa(&["run", a.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("missing.toml: cannot be read"), "{stderr}");

    write(&a, "extends = 3\n");
    let o = chh_psa(&["run", a.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("must be the path of another run file"));
    assert!(!dir.path().join("out").exists());
}

/// The shipped variant extends the shipped run.
#[test]
fn the_shipped_variant_builds_on_the_shipped_run() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("variant");
    ok(chh_psa(&[
        "run",
        "runs/slower_mobilisation.toml",
        "--samples",
        "300",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]));
    let s = summary(&out);
    // From base.toml: its scenarios and studies; from the variant: the
    // margin and the restated slip probability.
    assert_eq!(s.scenarios.len(), 7);
    assert_eq!(s.evsi.len(), 2);
    assert_eq!(s.decision.pairs["accelerated-supported"].margin_gbp, 5e5);
    assert_eq!(
        s.run.restated_parameters[0].parameter,
        "accelerated_slip_probability"
    );
}

/// A cohort whose opening window runs past the horizon (years 4-8 of a
/// 5-year appraisal): its hubs open as scheduled and only the years inside
/// the horizon count, the same years as in a 10-year appraisal.
#[test]
fn openings_past_the_horizon_count_only_inside_it() {
    let dir = tempfile::tempdir().unwrap();
    let late = |horizon: &'static str| {
        move |name: &str, text: String| match name {
            "options.toml" => text
                .replacen(
                    "horizon_years = 10",
                    &format!("horizon_years = {horizon}"),
                    1,
                )
                .replacen(
                    "  opens = [1, 3]\n  slip_probability = \"supported_slip_probability\"",
                    "  opens = [4, 8]\n  slip_probability = \"supported_slip_probability\"",
                    1,
                ),
            "published.toml" => String::new(),
            _ => text,
        }
    };
    let short_dir = dir.path().join("short");
    let long_dir = dir.path().join("long");
    std::fs::create_dir_all(&short_dir).unwrap();
    std::fs::create_dir_all(&long_dir).unwrap();
    let short = common::distributions_copy(&short_dir, late("5"));
    let long = common::distributions_copy(&long_dir, late("10"));
    let (a, b) = (
        dir.path().join("short.parquet"),
        dir.path().join("long.parquet"),
    );
    common::base_detail(&short, &a);
    common::base_detail(&long, &b);
    let (a, b) = (
        chh_psa::export::parquet::read(&a).unwrap(),
        chh_psa::export::parquet::read(&b).unwrap(),
    );
    let rows = |df: &polars::prelude::DataFrame, id: &str| -> Vec<usize> {
        common::strings(df, "option")
            .iter()
            .enumerate()
            .filter(|(_, o)| *o == id)
            .map(|(i, _)| i)
            .collect()
    };
    let (short_rows, long_rows) = (rows(&a, "supported"), rows(&b, "supported"));
    assert_eq!((short_rows.len(), long_rows.len()), (5, 10));
    for column in ["enhanced_hub_years", "start_ups", "net_value_gbp"] {
        let (x, y) = (common::floats(&a, column), common::floats(&b, column));
        for (i, j) in short_rows.iter().zip(&long_rows) {
            assert_eq!(x[*i], y[*j], "{column}");
        }
    }
    // Hubs open in years 4 and 5 of the short appraisal.
    let hubs = common::floats(&a, "enhanced_hub_years");
    assert!(hubs[short_rows[4]] > hubs[short_rows[2]]);
}

/// A scenario that draws a parameter from another distribution stays on
/// the main run's draws: restating the parameter's own distribution
/// reproduces the main run, and a wider one moves the draw to the same
/// place in the new distribution (x → F_new⁻¹(F_old(x))).
#[test]
fn a_scenario_may_draw_a_parameter_from_another_distribution() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("run.toml");
    write(
        &file,
        &format!(
            "samples = 2000\nseed = 5\ndistributions = {:?}\noutput = \"out\"\n\
             [evppi]\nparameters = false\n\
             [decision]\ncompare = [[\"accelerated\", \"supported\"]]\n\
             [[scenario]]\nname = \"the same\"\n\
             set = {{ accelerated_slip_probability = {{ family = \"beta\", alpha = 2.0, beta = 8.0 }} }}\n\
             [[scenario]]\nname = \"wider\"\n\
             set = {{ accelerated_slip_probability = {{ family = \"beta\", alpha = 1.0, beta = 4.0 }} }}\n\
             [[scenario]]\nname = \"wider, value held\"\n\
             set = {{ accelerated_slip_probability = {{ family = \"beta\", alpha = 1.0, beta = 4.0 }}, discount_rate = 0.015 }}\n",
            manifest().join("distributions").to_str().unwrap()
        ),
    );
    ok(chh_psa(&["run", file.to_str().unwrap(), "--quiet"]));
    let s = summary(&dir.path().join("out"));
    let same = &s.scenarios[0];
    for (id, o) in &s.options {
        let (main, scenario) = (o.pv_gbp.mean, same.mean_pv_gbp[id]);
        assert!(
            (main - scenario).abs() <= 1e-9 * main.abs().max(1.0),
            "{id}: {main} against {scenario}"
        );
    }
    assert_eq!(
        same.pairs["accelerated-supported"].estimate,
        s.decision.pairs["accelerated-supported"]
            .p_a_beats_b
            .estimate
    );
    // Wider: a mean slip of 0.2 as before but more spread; only options
    // whose value depends on the accelerated roll-out's slip change.
    let wider = &s.scenarios[1];
    for id in ["status_quo", "decline", "organic", "supported"] {
        let (main, scenario) = (s.options[id].pv_gbp.mean, wider.mean_pv_gbp[id]);
        assert!(
            (main - scenario).abs() <= 1e-9 * main.abs().max(1.0),
            "{id}"
        );
    }
    assert_ne!(
        s.options["accelerated"].pv_gbp.mean,
        wider.mean_pv_gbp["accelerated"]
    );
    assert_ne!(
        wider.mean_pv_gbp["accelerated"],
        s.scenarios[2].mean_pv_gbp["accelerated"]
    );
    // The base case keeps the parameter's base value.
    assert_eq!(wider.base_pv_gbp, same.base_pv_gbp);

    // Each pair's verdict and mean difference, as the main run gives them:
    // the unchanged scenario's equal the main run's, recounted here from
    // its draws; every scenario's mean difference is the difference of its
    // options' means, and scenarios.parquet holds it.
    let main = &s.decision.pairs["accelerated-supported"];
    let samples = parquet::read(&dir.path().join("out/samples.parquet")).unwrap();
    let (x, y) = (
        floats(&samples, "accelerated_pv_gbp"),
        floats(&samples, "supported_pv_gbp"),
    );
    let recount = x.iter().zip(&y).map(|(x, y)| x - y).sum::<f64>() / x.len() as f64;
    let unchanged = &same.pair_outcomes["accelerated-supported"];
    assert_eq!(unchanged.mean_difference_gbp, recount);
    assert_eq!(unchanged.mean_difference_gbp, main.mean_difference_gbp);
    assert!(
        (unchanged.mean_difference_mcse_gbp - main.mean_difference_mcse_gbp).abs()
            <= 1e-9 * main.mean_difference_mcse_gbp
    );
    assert_eq!(unchanged.verdict, main.verdict);
    let table = parquet::read(&dir.path().join("out/scenarios.parquet")).unwrap();
    let column = floats(&table, "mean_accelerated_minus_supported_gbp");
    let names = strings(&table, "scenario");
    for scenario in &s.scenarios {
        let outcome = &scenario.pair_outcomes["accelerated-supported"];
        let means = &scenario.mean_pv_gbp;
        let by_means = means["accelerated"] - means["supported"];
        assert!((outcome.mean_difference_gbp - by_means).abs() <= 1e-6 * by_means.abs());
        for (name, value) in names.iter().zip(&column) {
            if *name == scenario.name {
                assert_eq!(*value, outcome.mean_difference_gbp);
            }
        }
    }
    assert_ne!(
        wider.pair_outcomes["accelerated-supported"].mean_difference_gbp,
        unchanged.mean_difference_gbp
    );
}

#[test]
fn a_scenario_distribution_on_a_fixed_parameter_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("run.toml");
    write(
        &file,
        &format!(
            "samples = 10\nseed = 5\ndistributions = {:?}\noutput = \"out\"\n\
             [[scenario]]\nname = \"x\"\n\
             set = {{ discount_rate = {{ family = \"uniform\", min = 0.0, max = 0.05 }} }}\n",
            manifest().join("distributions").to_str().unwrap()
        ),
    );
    let o = chh_psa(&["run", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("scenario `x`.set.discount_rate")
            && stderr.contains("is fixed in the parameter files"),
        "{stderr}"
    );
    assert!(!dir.path().join("out").exists());
}

/// A batch runs each file into its own folder; one broken file fails the
/// batch with an exit code that says so and a message that names it, and
/// the other runs finish. `batch.parquet` holds, for each finished run and
/// pair, the figures its own summary gives, recounted here from its draws.
#[test]
fn a_batch_finishes_its_good_runs_and_names_the_broken_one() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first.toml");
    write(
        &first,
        &format!(
            "samples = 400\nseed = 11\ndistributions = {:?}\noutput = \"first-out\"\n\
             [evppi]\nparameters = false\n\
             [decision]\ncompare = [[\"accelerated\", \"supported\"], [\"supported\", \"organic\"]]\n\
             margin = 250000\n",
            manifest().join("distributions").to_str().unwrap()
        ),
    );
    let second = dir.path().join("second.toml");
    write(
        &second,
        "extends = \"first.toml\"\nseed = 12\noutput = \"second-out\"\n\
         [parameters.accelerated_slip_probability]\n\
         distribution = { family = \"beta\", mean = 0.3, se = 0.1 }\n",
    );
    let broken = dir.path().join("broken.toml");
    write(&broken, "samples = 10\nsedd = 3\n");
    let batch = dir.path().join("batch");
    let [f, b, s, out] = [&first, &broken, &second, &batch].map(|p| p.to_str().unwrap());
    let o = chh_psa(&["run", f, b, s, "--quiet", "--batch-out", out]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("1 of the batch's 3 runs failed"),
        "{stderr}"
    );
    assert!(stderr.contains(&format!("{b}: ")), "{stderr}");
    assert!(stderr.contains("sedd"), "{stderr}");

    let table = parquet::read(&batch.join("batch.parquet")).unwrap();
    assert_eq!(table.height(), 4, "two runs of two pairs each");
    let files = strings(&table, "run");
    let pairs = strings(&table, "pair");
    let (p, mean, evpi) = (
        floats(&table, "p_a_beats_b"),
        floats(&table, "mean_difference_gbp"),
        floats(&table, "evpi_gbp"),
    );
    let seeds: Vec<u64> = table
        .column("seed")
        .unwrap()
        .u64()
        .unwrap()
        .into_no_null_iter()
        .collect();
    let html = std::fs::read_to_string(batch.join("batch.html")).unwrap();
    for (row, (file, folder, seed)) in [(f, "first-out", 11), (s, "second-out", 12)]
        .into_iter()
        .flat_map(|run| [run, run])
        .enumerate()
    {
        assert_eq!(files[row], file);
        assert_eq!(seeds[row], seed, "each run keeps its own seed");
        let out = dir.path().join(folder);
        let summary = summary(&out);
        let pair = &summary.decision.pairs[&pairs[row]];
        let (a, b) = pairs[row].split_once('-').unwrap();
        let samples = parquet::read(&out.join("samples.parquet")).unwrap();
        let (x, y) = (
            floats(&samples, &format!("{a}_pv_gbp")),
            floats(&samples, &format!("{b}_pv_gbp")),
        );
        let n = x.len() as f64;
        let beats = x.iter().zip(&y).filter(|(x, y)| *x - *y > 250000.0).count();
        assert_eq!(p[row], beats as f64 / n, "P recounted from the draws");
        assert_eq!(p[row], pair.p_a_beats_b.estimate);
        let difference = x.iter().zip(&y).map(|(x, y)| x - y).sum::<f64>() / n;
        assert!((mean[row] - difference).abs() <= 1e-9 * difference.abs());
        assert_eq!(evpi[row], summary.evpi_gbp);
        // The page links the run's own report, relative to the batch folder.
        let link = format!("href=\"../{folder}/report.html\"");
        assert!(html.contains(&link), "{link} in batch.html");
    }
    assert_ne!(p[0], p[2], "the second run's slower mobilisation shows");

    // The same comparison from the folders, as after runs made apart; a
    // folder without results is named and fails it.
    let apart = dir.path().join("apart");
    let folders = ["first-out", "never-ran", "second-out"].map(|f| dir.path().join(f));
    let [one, none, two, to] =
        [&folders[0], &folders[1], &folders[2], &apart].map(|p| p.to_str().unwrap());
    let o = chh_psa(&["compare", one, none, two, "--quiet", "--out", to]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains(&format!("{none}: ")));
    let again = parquet::read(&apart.join("batch.parquet")).unwrap();
    assert_eq!(strings(&again, "run")[0], one);
    for column in ["p_a_beats_b", "mean_difference_gbp", "evpi_gbp"] {
        assert_eq!(floats(&again, column), floats(&table, column));
    }
}

#[test]
fn a_batch_refuses_flags_that_name_one_folder() {
    let o = chh_psa(&[
        "run",
        "runs/base.toml",
        "runs/example.toml",
        "--out",
        "somewhere",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("--batch-out"), "{stderr}");
}

/// A chain of run files in different folders: each keeps the paths of
/// the files it extends relative to where those files are.
#[test]
fn a_chain_across_folders_keeps_each_file_s_paths() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("a/params")).unwrap();
    std::fs::create_dir(dir.path().join("b")).unwrap();
    for entry in std::fs::read_dir(manifest().join("distributions")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(
                &path,
                dir.path().join("a/params").join(path.file_name().unwrap()),
            )
            .unwrap();
        }
    }
    write(
        &dir.path().join("a/base.toml"),
        "samples = 200\nseed = 3\ndistributions = \"params\"\noutput = \"out\"\n[evppi]\nparameters = false\n",
    );
    write(
        &dir.path().join("a/mid.toml"),
        "extends = \"base.toml\"\nseed = 4\n",
    );
    let child = dir.path().join("b/child.toml");
    write(
        &child,
        "extends = \"../a/mid.toml\"\noutput = \"child-out\"\n",
    );
    ok(chh_psa(&["run", child.to_str().unwrap(), "--quiet"]));
    let s = summary(&dir.path().join("b/child-out"));
    assert_eq!(s.run.seed, 4);
    assert_eq!(s.run.samples, 200);
}
