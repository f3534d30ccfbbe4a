//! The code keeps the shape a newcomer can find their way in: the pipeline's
//! stages (the folders and files directly under `src/`) use each other
//! without cycles, as do the files within each folder; clippy's limits on
//! a function's lines and arguments (clippy.toml) are on, and no code is
//! excused from them.

mod common;
use common::manifest;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Every file under `src/` as (module path, e.g. `run::plan`; its text).
fn modules() -> BTreeMap<String, String> {
    fn walk(dir: &Path, root: &Path, out: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, root, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let relative = path.strip_prefix(root).unwrap().with_extension("");
                let mut parts: Vec<String> = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                if parts.last().is_some_and(|p| p == "mod") {
                    parts.pop();
                }
                out.insert(parts.join("::"), std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    let root = manifest().join("src");
    walk(&root, &root, &mut out);
    out
}

/// The text without its test module, whose imports do not shape the code.
fn without_tests(text: &str) -> &str {
    text.find("#[cfg(test)]").map_or(text, |at| &text[..at])
}

fn identifiers(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
}

/// The modules each module uses: `crate::a[::b]` and `super::x` (a sibling
/// file if there is one, else the parent).
fn uses(modules: &BTreeMap<String, String>) -> BTreeMap<String, BTreeSet<String>> {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, text) in modules {
        let text = without_tests(text);
        let parent = module.rsplit_once("::").map_or("", |(p, _)| p);
        let mut used = BTreeSet::new();
        for piece in text.split("crate::").skip(1) {
            let mut names = identifiers(piece);
            let first = names.next().unwrap_or("").to_string();
            let second = names.next().map(|n| format!("{first}::{n}"));
            match second {
                Some(path) if modules.contains_key(&path) => used.insert(path),
                _ => used.insert(first),
            };
        }
        for piece in text.split("super::").skip(1) {
            let names: Vec<&str> = if piece.starts_with('{') {
                identifiers(&piece[..piece.find('}').unwrap_or(piece.len())]).collect()
            } else {
                identifiers(piece).take(1).collect()
            };
            for name in names {
                let sibling = if parent.is_empty() {
                    name.to_string()
                } else {
                    format!("{parent}::{name}")
                };
                if modules.contains_key(&sibling) {
                    used.insert(sibling);
                } else if name != "super" {
                    used.insert(parent.to_string());
                }
            }
        }
        used.retain(|u| u != module && modules.contains_key(u));
        edges.insert(module.clone(), used);
    }
    edges
}

/// A cycle in `graph`, if there is one, as the modules along it.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(node.to_string(), 1);
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            match state.get(next).copied().unwrap_or(0) {
                1 => {
                    let from = path.iter().position(|p| p == next).unwrap();
                    let mut found = path[from..].to_vec();
                    found.push(next.clone());
                    return Some(found);
                }
                0 => {
                    if let Some(found) = visit(next, graph, state, path) {
                        return Some(found);
                    }
                }
                _ => {}
            }
        }
        path.pop();
        state.insert(node.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for node in graph.keys() {
        if state.get(node).copied().unwrap_or(0) == 0
            && let Some(found) = visit(node, graph, &mut state, &mut Vec::new())
        {
            return Some(found);
        }
    }
    None
}

fn stage(module: &str) -> &str {
    module.split("::").next().unwrap()
}

fn folder(module: &str) -> Option<&str> {
    module.rsplit_once("::").map(|(p, _)| p)
}

#[test]
fn the_pipeline_stages_use_each_other_without_cycles() {
    let edges = uses(&modules());
    let mut stages: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, to) in &edges {
        for target in to {
            if stage(from) != stage(target) {
                stages
                    .entry(stage(from).to_string())
                    .or_default()
                    .insert(stage(target).to_string());
            }
        }
    }
    assert!(stages.contains_key("run") && stages["run"].contains("model"));
    assert_eq!(cycle(&stages), None, "stages using each other in a cycle");
}

#[test]
fn the_files_of_each_folder_use_each_other_without_cycles() {
    let edges = uses(&modules());
    // Between files of one folder; the folder's own mod.rs, which declares
    // and re-exports them, is not one of its files.
    let mut files: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, to) in &edges {
        for target in to {
            if folder(from).is_some() && folder(from) == folder(target) {
                files
                    .entry(from.clone())
                    .or_default()
                    .insert(target.clone());
            }
        }
    }
    assert!(
        files.contains_key("run::draws"),
        "the check sees run/draws.rs"
    );
    assert_eq!(cycle(&files), None, "files using each other in a cycle");
}

#[test]
fn the_check_finds_a_cycle_where_there_is_one() {
    let graph: BTreeMap<String, BTreeSet<String>> = [
        ("a", vec!["b"]),
        ("b", vec!["c"]),
        ("c", vec!["a"]),
        ("d", vec!["a"]),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.into_iter().map(String::from).collect()))
    .collect();
    let found = cycle(&graph).unwrap();
    assert_eq!(found.first(), found.last());
    assert_eq!(found.len(), 4);
    let mut acyclic = graph.clone();
    acyclic.get_mut("c").unwrap().clear();
    assert_eq!(cycle(&acyclic), None);
}

/// clippy holds every function to the limits in clippy.toml (CI runs it
/// with warnings as errors); no function is excused from them.
#[test]
fn no_code_is_excused_from_clippy_s_size_limits() {
    let cargo = std::fs::read_to_string(manifest().join("Cargo.toml")).unwrap();
    let lints: toml::Table = cargo.parse().unwrap();
    let long = ["too_many", "_lines"].concat();
    assert_eq!(
        lints["lints"]["clippy"][&long].as_str(),
        Some("warn"),
        "Cargo.toml switches on clippy's {long}"
    );
    let limits: toml::Table = std::fs::read_to_string(manifest().join("clippy.toml"))
        .unwrap()
        .parse()
        .unwrap();
    assert!(limits["too-many-lines-threshold"].as_integer() <= Some(100));
    assert!(limits["too-many-arguments-threshold"].as_integer() <= Some(5));
    for folder in ["src", "tests", "benches"] {
        for entry in walk(&manifest().join(folder), "rs") {
            let text = std::fs::read_to_string(&entry).unwrap();
            for lint in ["_arguments", "_lines"] {
                assert!(
                    !text.contains(&["too_many", lint].concat()),
                    "{} excuses code from too_many{lint}",
                    entry.display()
                );
            }
        }
    }
}

/// Every file under `dir` whose name ends `.<extension>`.
fn walk(dir: &Path, extension: &str) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path, extension));
        } else if path.extension().is_some_and(|e| e == extension) {
            files.push(path);
        }
    }
    files
}

/// The ids of every activity, hub type and capacity measure the shipped
/// parameter files declare (the CHH model's and any other under
/// `distributions/`).
fn shape_ids() -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for file in walk(&manifest().join("distributions"), "toml") {
        let table: toml::Table = std::fs::read_to_string(&file).unwrap().parse().unwrap();
        for key in ["activity", "hub_type", "capacity"] {
            for entry in table
                .get(key)
                .and_then(|v| v.as_array())
                .into_iter()
                .flatten()
            {
                ids.insert(entry["id"].as_str().unwrap().to_string());
            }
        }
    }
    ids
}

/// The string literals of a source text, and its code outside literals and
/// comments.
fn literals_and_code(text: &str) -> (Vec<String>, String) {
    let (mut literals, mut code) = (Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                let mut literal = String::new();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        _ => literal.push(c),
                    }
                }
                literals.push(literal);
            }
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
                code.push('\n');
            }
            '\'' if chars.peek() == Some(&'"') => {
                // The character literal '"'.
                chars.next();
                chars.next();
            }
            _ => code.push(c),
        }
    }
    (literals, code)
}

/// `new_outpatient` → `NewOutpatient`.
fn upper_camel(id: &str) -> String {
    id.split('_')
        .map(|part| {
            let mut letters = part.chars();
            letters
                .next()
                .map(|c| c.to_uppercase().chain(letters).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

/// The model's shape is data: no source file names an activity, a hub type
/// or a capacity measure of a shipped model, in a string or as a type.
#[test]
fn the_source_names_no_activity_hub_type_or_capacity_measure() {
    let ids = shape_ids();
    assert!(ids.contains("new_outpatient") && ids.contains("enhanced") && ids.contains("gps"));
    let mut named = Vec::new();
    for (module, text) in modules() {
        let (literals, code) = literals_and_code(&text);
        // Prose ("standard error") is not a name; a name is written alone.
        for literal in literals.iter().filter(|l| !l.contains(char::is_whitespace)) {
            for word in identifiers(literal) {
                if ids.contains(word) {
                    named.push(format!("{module}: \"{literal}\""));
                }
            }
        }
        for word in identifiers(&code) {
            if ids.iter().any(|id| upper_camel(id) == word) {
                named.push(format!("{module}: {word}"));
            }
        }
    }
    assert!(
        named.is_empty(),
        "the source names the model's shape: {named:?}"
    );
}

#[test]
fn the_shape_check_finds_a_name_in_a_string_or_a_type() {
    let (literals, code) =
        literals_and_code("let a = \"impact.new_outpatient\"; // \"gps\"\nHubModel::Enhanced");
    assert_eq!(literals, ["impact.new_outpatient"]);
    assert!(identifiers(&literals[0]).any(|w| w == "new_outpatient"));
    assert!(identifiers(&code).any(|w| w == upper_camel("enhanced")));
    assert!(!code.contains("gps"));
}

/// Result files are written by the exporters alone: no module outside
/// `src/export/` calls a primitive that writes a file (tests excepted).
/// The run drives the samples file's writer, chunk by chunk, through
/// `export::parquet::ChunkedParquet`.
#[test]
fn only_the_exporters_write_files() {
    let writers = [
        "fs::write(",
        "File::create(",
        "OpenOptions",
        "AtomicFile::create(",
        "parquet::write(",
        "write_json(",
    ];
    let (mut found, mut exporters) = (Vec::new(), 0);
    for (module, text) in modules() {
        for w in writers {
            if without_tests(&text).contains(w) {
                if stage(&module) == "export" {
                    exporters += 1;
                } else {
                    found.push(format!("{module}: {w}"));
                }
            }
        }
    }
    assert_eq!(found, Vec::<String>::new());
    assert!(
        exporters >= 5,
        "the check looks for the calls exporters make"
    );
}

/// The analyses compute over values in memory: no module under
/// `src/analysis/` reads or writes a file, nor uses a stage that does
/// (export, run, commands).
#[test]
fn the_analyses_do_no_file_io() {
    let io = [
        "std::fs",
        "fs::",
        "File::",
        "OpenOptions",
        "std::io",
        "read_to_string(",
        "crate::export",
        "crate::run",
        "crate::commands",
    ];
    let all = modules();
    let analyses: Vec<(&String, &String)> =
        all.iter().filter(|(m, _)| stage(m) == "analysis").collect();
    let mut found = Vec::new();
    for (module, text) in &analyses {
        for w in io {
            if without_tests(text).contains(w) {
                found.push(format!("{module}: {w}"));
            }
        }
    }
    assert_eq!(found, Vec::<String>::new());
    assert!(analyses.len() >= 10, "the check reads the analyses' files");
    assert!(
        all["export::summary"].contains("crate::"),
        "the check would see a use of another stage"
    );
}

/// The draws' column names are formed in one place,
/// `src/results/columns.rs`: no other module spells their suffixes.
#[test]
fn column_names_are_formed_in_one_place() {
    let suffixes = [
        "\"_hub_years\"",
        "\"_pv_gbp\"",
        "\"_nominal_gbp\"",
        "}_hub_years",
        "}_pv_gbp",
        "}_nominal_gbp",
    ];
    let mut found = Vec::new();
    for (module, text) in modules() {
        if module == "results::columns" {
            continue;
        }
        for s in suffixes {
            if without_tests(&text).contains(s) {
                found.push(format!("{module}: {s}"));
            }
        }
    }
    assert_eq!(found, Vec::<String>::new());
    assert!(modules()["results::columns"].contains("_pv_gbp"));
}
