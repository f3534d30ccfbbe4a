//! The documentation stays true: the README is short, links every document,
//! shows the worked example's real output, and no document cites a path
//! that is not in the repository.

mod common;
use common::{chh_psa, manifest, ok};

fn read(path: &str) -> String {
    std::fs::read_to_string(manifest().join(path)).unwrap()
}

fn documents() -> Vec<String> {
    let mut docs: Vec<String> = std::fs::read_dir(manifest().join("docs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .map(|n| format!("docs/{n}"))
        .collect();
    docs.sort();
    docs
}

#[test]
fn the_readme_is_short_and_links_every_document() {
    let readme = read("README.md");
    let chars = readme.chars().count();
    assert!(chars <= 10_000, "README.md has {chars} characters");
    for doc in documents() {
        assert!(
            readme.contains(&format!("]({doc})")),
            "README.md does not link {doc}"
        );
    }
    assert!(readme.contains("cargo test --release"));
    assert!(readme.contains("cargo run --release -- run runs/base.toml"));
}

/// The README's worked example is what the run prints today, line for
/// line (the last line names the folder written to, here a temporary one).
#[test]
fn the_worked_example_is_the_real_output() {
    let readme = read("README.md");
    let start = readme
        .find("prints (complete):\n\n```\n")
        .expect("the example")
        + 24;
    let shown = &readme[start..start + readme[start..].find("\n```").unwrap()];
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("example");
    let printed = ok(chh_psa(&[
        "run",
        "runs/example.toml",
        "--out",
        out.to_str().unwrap(),
    ]))
    .stdout;
    let printed = String::from_utf8(printed).unwrap();
    let lines = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| !l.starts_with("Wrote to "))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(lines(shown), lines(&printed));
    assert!(
        shown
            .lines()
            .last()
            .unwrap()
            .starts_with("Wrote to out/example: ")
    );
}

/// Paths a document cites in backticks (`src/…`, `tests/…`, `docs/…`,
/// `runs/…`, `distributions/…`, `benches/…`, `.ci/…`) and relative links
/// all exist.
#[test]
fn every_path_a_document_cites_exists() {
    let roots = [
        "src/",
        "tests/",
        "docs/",
        "runs/",
        "distributions/",
        "benches/",
        ".ci/",
    ];
    let mut files = vec!["README.md".to_string(), "CHANGELOG.md".to_string()];
    files.extend(documents());
    for file in &files {
        let text = read(file);
        let folder = std::path::Path::new(file).parent().unwrap();
        for cited in text.split('`').skip(1).step_by(2) {
            let path = cited.split_whitespace().next().unwrap_or("");
            if roots.iter().any(|r| path.starts_with(r))
                && !path.contains('*')
                && !path.contains('<')
            {
                let path = path.trim_end_matches([',', '.', ':', ')']);
                assert!(
                    manifest().join(path).exists(),
                    "{file} cites `{path}`, which does not exist"
                );
            }
        }
        for link in text.split("](").skip(1) {
            let target = &link[..link.find(')').unwrap()];
            if !target.starts_with("http") && !target.starts_with('#') {
                let (document, anchor) = target.split_once('#').unwrap_or((target, ""));
                let path = manifest().join(folder).join(document);
                assert!(path.exists(), "{file} links {target}, which does not exist");
                if !anchor.is_empty() {
                    let headings = std::fs::read_to_string(&path).unwrap();
                    assert!(
                        headings
                            .lines()
                            .filter(|l| l.starts_with('#'))
                            .any(|l| slug(l.trim_start_matches('#')) == anchor),
                        "{file} links {target}, but {document} has no such heading"
                    );
                }
            }
        }
    }
}

#[test]
fn no_document_cites_material_outside_the_repository() {
    let mut files = vec!["README.md".to_string(), "CHANGELOG.md".to_string()];
    files.extend(documents());
    for file in &files {
        let text = read(file);
        for outside in ["MODEL.md", "seed 00", "seeds/", "../shared"] {
            assert!(!text.contains(outside), "{file} cites {outside}");
        }
    }
}

/// A heading's anchor as GitHub forms it: lower case, spaces to hyphens,
/// other punctuation dropped.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}
