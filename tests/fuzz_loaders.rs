//! Property tests over every loader (parameter files, run files, shard
//! records) and over `report`'s reader of a finished run: whatever the
//! bytes, loading ends in a valid configuration or an error, never a panic.
//! Set PROPTEST_CASES to run longer (the README records a long run).

use proptest::prelude::*;
use std::path::Path;

use chh_psa::inputs::Inputs;
use chh_psa::run::{Overrides, Plan, RunConfig};

/// A small finished run of the shipped file, made once: `report`'s input.
fn finished_run() -> &'static Path {
    static RUN: std::sync::OnceLock<(tempfile::TempDir, std::path::PathBuf)> =
        std::sync::OnceLock::new();
    &RUN.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("run");
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_chh-psa"))
            .args([
                "run",
                "runs/base.toml",
                "--quiet",
                "--samples",
                "300",
                "--out",
            ])
            .arg(&out)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        (dir, out)
    })
    .1
}

/// A copy of the finished run with `summary` as its summary.json.
fn run_with_summary(summary: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        finished_run().join("samples.parquet"),
        dir.path().join("samples.parquet"),
    )
    .unwrap();
    std::fs::write(dir.path().join("summary.json"), summary).unwrap();
    dir
}

fn shipped() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("distributions");
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// An edit to a text: delete, insert or replace a span.
#[derive(Debug, Clone)]
enum Edit {
    Delete { at: usize, len: usize },
    Insert { at: usize, text: String },
    Replace { at: usize, len: usize, text: String },
}

fn apply(text: &str, edit: &Edit) -> String {
    let clamp = |i: usize| {
        let mut i = i % (text.len() + 1);
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    match edit {
        Edit::Delete { at, len } => {
            let (a, b) = (clamp(*at), clamp(at + len));
            let (a, b) = (a.min(b), a.max(b));
            format!("{}{}", &text[..a], &text[b..])
        }
        Edit::Insert { at, text: t } => {
            let a = clamp(*at);
            format!("{}{}{}", &text[..a], t, &text[a..])
        }
        Edit::Replace { at, len, text: t } => {
            let (a, b) = (clamp(*at), clamp(at + len));
            let (a, b) = (a.min(b), a.max(b));
            format!("{}{}{}", &text[..a], t, &text[b..])
        }
    }
}

/// Fragments that make edits meaningful to TOML and to the schema.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~]{0,12}",
        Just("nan".to_string()),
        Just("inf".to_string()),
        Just("-1.0".to_string()),
        Just("1e308".to_string()),
        Just("0.0".to_string()),
        Just("\"".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("{ family = \"beta\", mean = 0.5, se = 0.6 }".to_string()),
        Just("{ family = \"gamma\", shape = 1e-300, scale = 1e300 }".to_string()),
        Just("{ family = \"binomial\", n = 1e18, p = 0.5 }".to_string()),
        Just(
            "{ family = \"truncated_normal\", mean = 0.0, sd = 1.0, min = 50.0, max = 60.0 }"
                .to_string()
        ),
        Just("hubs = 99999999999".to_string()),
        Just("opens = [3, 1]".to_string()),
        Just("\n[[option]]\nid = \"x\"\n".to_string()),
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 0usize..40).prop_map(|(at, len)| Edit::Delete { at, len }),
        (any::<usize>(), fragment()).prop_map(|(at, text)| Edit::Insert { at, text }),
        (any::<usize>(), 0usize..20, fragment()).prop_map(|(at, len, text)| Edit::Replace {
            at,
            len,
            text
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn edited_parameter_files_load_or_fail_cleanly(file in 0usize..7, edits in prop::collection::vec(edit(), 1..4)) {
        let files = shipped();
        let dir = tempfile::tempdir().unwrap();
        for (k, (name, text)) in files.iter().enumerate() {
            let text = if k == file % files.len() {
                edits.iter().fold(text.clone(), |t, e| apply(&t, e))
            } else {
                text.clone()
            };
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        if let Ok(inputs) = Inputs::load(dir.path()) {
            // A valid configuration evaluates.
            let model = chh_psa::model::Model::compile(&inputs).unwrap();
            let _ = chh_psa::outcomes::base_case(&model, &inputs);
        }
    }

    #[test]
    fn arbitrary_text_as_a_parameter_file_fails_cleanly(text in "\\PC{0,400}") {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("x.toml"), text).unwrap();
        prop_assert!(Inputs::load(dir.path()).is_err());
    }

    #[test]
    fn edited_run_files_load_or_fail_cleanly(edits in prop::collection::vec(edit(), 1..4)) {
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        let base = std::fs::read_to_string(manifest.join("runs/base.toml")).unwrap()
            .replace("\"../distributions\"", &format!("{:?}", manifest.join("distributions").to_str().unwrap()));
        let text = edits.iter().fold(base, |t, e| apply(&t, e));
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("run.toml");
        std::fs::write(&file, text).unwrap();
        if let Ok(config) = RunConfig::load(&file, &Overrides::default()) {
            let _ = Plan::new(&config);
        }
    }

    #[test]
    fn arbitrary_bytes_as_any_input_file_fail_cleanly(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("x.toml"), &bytes).unwrap();
        prop_assert!(Inputs::load(dir.path()).is_err());
        let file = dir.path().join("run.toml");
        std::fs::write(&file, &bytes).unwrap();
        prop_assert!(RunConfig::load(&file, &Overrides::default()).is_err());
        let shard = dir.path().join("shard");
        std::fs::create_dir(&shard).unwrap();
        std::fs::write(shard.join("shard.json"), &bytes).unwrap();
        let out = dir.path().join("merged");
        prop_assert!(chh_psa::run::merge(&[shard], Some(&out), false, true).is_err());
        let run = run_with_summary(&bytes);
        prop_assert!(chh_psa::export::report::write(run.path()).is_err());
    }

    #[test]
    fn an_edited_summary_rebuilds_a_report_or_fails_cleanly(edits in prop::collection::vec(json_edit(), 1..4)) {
        let text = std::fs::read_to_string(finished_run().join("summary.json")).unwrap();
        let text = edits.iter().fold(text, |t, e| apply(&t, e));
        let run = run_with_summary(text.as_bytes());
        let _ = chh_psa::export::report::write(run.path());
    }
}

/// Edits that keep much of a summary's JSON valid: numbers made extreme,
/// fields dropped or emptied, text spliced in.
fn json_edit() -> impl Strategy<Value = Edit> {
    let fragment = prop_oneof![
        "[ -~]{0,12}",
        Just("1e308".to_string()),
        Just("-1e308".to_string()),
        Just("0".to_string()),
        Just("-0.0".to_string()),
        Just("null".to_string()),
        Just("[]".to_string()),
        Just("{}".to_string()),
        Just("\"\"".to_string()),
        Just("99999999999999999999".to_string()),
    ];
    prop_oneof![
        (any::<usize>(), 0usize..40).prop_map(|(at, len)| Edit::Delete { at, len }),
        (any::<usize>(), 0usize..8, fragment).prop_map(|(at, len, text)| Edit::Replace {
            at,
            len,
            text
        }),
    ]
}
