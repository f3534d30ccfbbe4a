//! `extends = "base.toml"`: a run file that builds on another. It takes
//! every setting of the file it extends and states only what differs:
//! tables are merged key by key, anything else (numbers, strings, arrays)
//! is replaced. Paths in a file it extends stay relative to that file.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Most files in one chain of `extends`: deeper is surely a mistake.
const MOST_LINKS: usize = 16;

/// Keys whose values are paths relative to the file that states them.
const PATHS: [&str; 2] = ["distributions", "output"];

/// The run file `file` (whose text is `text`) with every file it extends
/// merged beneath it, if it extends any; and the bytes of every file in the
/// chain, the run file's first, for the run-file hash.
pub fn resolve(file: &Path, text: &str) -> Result<Option<(toml::Table, Vec<u8>)>> {
    let table: toml::Table = match toml::from_str(text) {
        Ok(table) => table,
        // The run file's own syntax error is reported where it is read.
        Err(_) => return Ok(None),
    };
    if !table.contains_key("extends") {
        return Ok(None);
    }
    let mut chain = vec![canonical(file)?];
    let mut bytes = text.as_bytes().to_vec();
    let merged = beneath(file, table, &mut chain, &mut bytes)?;
    Ok(Some((merged, bytes)))
}

fn canonical(file: &Path) -> Result<PathBuf> {
    std::fs::canonicalize(file).map_err(|e| Error::read(file, e))
}

/// `table` (read from `file`) merged over what it extends, recursively.
fn beneath(
    file: &Path,
    mut table: toml::Table,
    chain: &mut Vec<PathBuf>,
    bytes: &mut Vec<u8>,
) -> Result<toml::Table> {
    let Some(parent) = table.remove("extends") else {
        return Ok(table);
    };
    let Some(parent) = parent.as_str() else {
        return Err(Error::input(
            file,
            "extends",
            "must be the path of another run file, relative to this one (extends = \"base.toml\")",
        ));
    };
    let folder = file.parent().unwrap_or(Path::new("."));
    let parent_file = folder.join(parent);
    let parent_text = crate::inputs::text::read_text(&parent_file)?;
    let key = canonical(&parent_file)?;
    if chain.contains(&key) {
        let names: Vec<String> = chain
            .iter()
            .chain([&key])
            .map(|p| p.display().to_string())
            .collect();
        return Err(Error::input(
            file,
            "extends",
            format!(
                "makes a cycle: {}; a run file cannot extend itself",
                names.join(" → ")
            ),
        ));
    }
    if chain.len() >= MOST_LINKS {
        return Err(Error::input(
            file,
            "extends",
            format!("extends a chain of more than {MOST_LINKS} run files"),
        ));
    }
    chain.push(key);
    bytes.extend_from_slice(parent_text.as_bytes());
    let parent_table: toml::Table = toml::from_str(&parent_text)
        .map_err(|e| Error::input(&parent_file, "", e.to_string().trim_end()))?;
    // The parent's settings, with all it extends, have paths relative to
    // the parent's folder: made relative to this file's folder's view.
    let mut base = beneath(&parent_file, parent_table, chain, bytes)?;
    let parent_folder = parent_file.parent().unwrap_or(Path::new("."));
    for key in PATHS {
        if let Some(toml::Value::String(path)) = base.get_mut(key) {
            *path = relative_to(folder, &parent_folder.join(&*path));
        }
    }
    Ok(merge(base, table))
}

/// `path` as seen from `folder`: unchanged if `folder` is a prefix,
/// otherwise as given (an absolute path, or one relative to the working
/// folder, which `folder.join` leaves as it is).
fn relative_to(folder: &Path, path: &Path) -> String {
    path.strip_prefix(folder)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

/// `over` merged onto `base`: tables key by key, anything else replaced.
fn merge(mut base: toml::Table, over: toml::Table) -> toml::Table {
    for (key, value) in over {
        match (base.remove(&key), value) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => {
                base.insert(key, toml::Value::Table(merge(b, o)));
            }
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
    base
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_merge_key_by_key_and_the_rest_is_replaced() {
        let base: toml::Table = toml::from_str(
            "samples = 10\n[decision]\ncompare = [[\"a\", \"b\"]]\nmargin = 5\n[[scenario]]\nname = \"x\"\n",
        )
        .unwrap();
        let over: toml::Table =
            toml::from_str("samples = 20\n[decision]\nmargin = 7\n[[scenario]]\nname = \"y\"\n")
                .unwrap();
        let merged = merge(base, over);
        assert_eq!(merged["samples"].as_integer(), Some(20));
        assert_eq!(merged["decision"]["margin"].as_integer(), Some(7));
        assert_eq!(merged["decision"]["compare"].as_array().unwrap().len(), 1);
        let scenarios = merged["scenario"].as_array().unwrap();
        assert_eq!(scenarios.len(), 1);
        assert_eq!(scenarios[0]["name"].as_str(), Some("y"));
    }
}
