//! One error type for the whole pipeline, and the exit code each kind maps to.
//!
//! Input errors always carry the file and the parameter they concern, so that a
//! user can go straight to the line to fix.

use std::fmt;
use std::path::{Path, PathBuf};

/// Exit codes a batch scheduler can act on.
pub mod exit_code {
    pub const SUCCESS: i32 = 0;
    /// A parameter file, run file or command-line value is wrong, a file or
    /// folder given could not be read, or a result folder already holds
    /// results and `--force` was not given. Nothing was sampled or written.
    pub const BAD_INPUT: i32 = 2;
    /// Writing failed (disk full, permission, ...); the folder keeps its
    /// earlier results.
    pub const IO: i32 = 3;
    /// The run was interrupted (SIGINT/SIGTERM); nothing was written under a final name.
    pub const INTERRUPTED: i32 = 4;
    /// A fault in chh-psa itself, not in what it was given: please report it.
    pub const INTERNAL: i32 = 70;
}

#[derive(Debug)]
pub enum Error {
    /// An input file is malformed or inconsistent.
    Input {
        file: PathBuf,
        /// The parameter, option or key concerned; empty when the whole file is at fault.
        item: String,
        message: String,
    },
    /// A command-line or run-level value is wrong.
    Usage(String),
    /// Several independent faults in the input files, all found before any
    /// draw (as a compiler reports every error it can, not the first).
    Several(Vec<Error>),
    /// Runs of a batch failed (each reported as it happened); the others
    /// finished and kept their results.
    Batch {
        runs: usize,
        failed: Vec<(PathBuf, Error)>,
    },
    /// A file or folder given could not be read (missing, unreadable).
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    Output {
        path: PathBuf,
        message: String,
    },
    Interrupted,
    /// A fault in chh-psa itself (say, a table that could not be built from
    /// results that passed every check): a bug to report, not bad input.
    Internal {
        context: PathBuf,
        message: String,
    },
}

impl Error {
    pub fn input(file: &Path, item: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Input {
            file: file.to_path_buf(),
            item: item.into(),
            message: message.into(),
        }
    }

    /// A file or folder the user gave could not be read: bad input.
    pub fn read(path: &Path, source: std::io::Error) -> Self {
        Error::Read {
            path: path.to_path_buf(),
            source,
        }
    }

    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    pub fn output(path: &Path, message: impl fmt::Display) -> Self {
        Error::Output {
            path: path.to_path_buf(),
            message: message.to_string(),
        }
    }

    pub fn internal(context: &Path, message: impl fmt::Display) -> Self {
        Error::Internal {
            context: context.to_path_buf(),
            message: message.to_string(),
        }
    }

    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Input { .. } | Error::Usage(_) | Error::Read { .. } | Error::Several(_) => {
                exit_code::BAD_INPUT
            }
            Error::Io { .. } | Error::Output { .. } => exit_code::IO,
            Error::Interrupted => exit_code::INTERRUPTED,
            Error::Internal { .. } => exit_code::INTERNAL,
            // The first failure says what kind of fault stopped the batch.
            Error::Batch { failed, .. } => failed
                .first()
                .map_or(exit_code::INTERNAL, |(_, e)| e.exit_code()),
        }
    }
}

/// A number as people read it in a message: plain for ordinary magnitudes
/// (1800, 0.35), in scientific notation with four significant digits
/// otherwise (2.5443e297), never in a hundred digits.
pub fn number(x: f64) -> String {
    if x == 0.0 || !x.is_finite() || (1e-4..1e9).contains(&x.abs()) {
        format!("{x}")
    } else {
        format!("{x:.4e}")
    }
}

/// Longest line of a message shown, and most lines: a parser quoting a
/// 50 MB unterminated string must not print it.
const EXCERPT_LINE: usize = 240;
const EXCERPT_LINES: usize = 12;

/// `message` with each line cut to [`EXCERPT_LINE`] characters and at most
/// [`EXCERPT_LINES`] lines, saying what was cut.
pub fn excerpt(message: &str) -> String {
    let mut out = String::new();
    let lines: Vec<&str> = message.lines().collect();
    for (i, line) in lines.iter().take(EXCERPT_LINES).enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let length = line.chars().count();
        if length > EXCERPT_LINE {
            out.extend(line.chars().take(EXCERPT_LINE));
            out.push_str(&format!("… ({} more characters)", length - EXCERPT_LINE));
        } else {
            out.push_str(line);
        }
    }
    if lines.len() > EXCERPT_LINES {
        out.push_str(&format!("\n… ({} more lines)", lines.len() - EXCERPT_LINES));
    }
    out
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Input {
                file,
                item,
                message,
            } if item.is_empty() => write!(f, "{}: {}", file.display(), excerpt(message)),
            Error::Input {
                file,
                item,
                message,
            } => write!(
                f,
                "{}: `{}`: {}",
                file.display(),
                excerpt(item),
                excerpt(message)
            ),
            // The engine's own advice, whole: only quoted input is cut.
            Error::Usage(message) => write!(f, "{message}"),
            Error::Several(faults) => {
                write!(
                    f,
                    "{} faults in the inputs; nothing was drawn:",
                    faults.len()
                )?;
                for (i, fault) in faults.iter().enumerate() {
                    write!(f, "\n  {}. {fault}", i + 1)?;
                }
                Ok(())
            }
            Error::Batch { runs, failed } => {
                write!(
                    f,
                    "{} of the batch's {runs} runs failed; the others finished and their results are in their folders:",
                    failed.len()
                )?;
                for (file, fault) in failed {
                    let shown = fault.to_string();
                    let first = shown.lines().next().unwrap_or_default();
                    let named = format!("{}: ", file.display());
                    let first = first.strip_prefix(&named).unwrap_or(first);
                    write!(f, "\n  {named}{first}")?;
                }
                Ok(())
            }
            Error::Read { path, source } => {
                write!(f, "{}: cannot be read: {source}", path.display())
            }
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Output { path, message } => write!(f, "{}: {message}", path.display()),
            Error::Interrupted => write!(
                f,
                "interrupted: no output file was written under its final name"
            ),
            Error::Internal { context, message } => write!(
                f,
                "internal error while making {}: {message}; this is a fault in chh-psa, not in your inputs: please report it with the command and files that caused it",
                context.display()
            ),
        }
    }
}

impl std::error::Error for Error {}

/// Independent faults gathered so that one run reports them all: each
/// check's error is kept and the checks go on; `finish` gives none, the
/// one, or all of them.
#[derive(Debug, Default)]
pub struct Faults(Vec<Error>);

impl Faults {
    /// Keeps `result`'s error, if any, and gives its value otherwise.
    pub fn keep<T>(&mut self, result: Result<T>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(Error::Several(faults)) => {
                self.0.extend(faults);
                None
            }
            Err(e) => {
                self.0.push(e);
                None
            }
        }
    }

    pub fn push(&mut self, fault: Error) {
        self.keep::<()>(Err(fault));
    }

    /// Keeps every fault `other` gathered.
    pub fn absorb(&mut self, other: Faults) {
        self.0.extend(other.0);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Ok when nothing was found; the fault itself when one was.
    pub fn finish(mut self) -> Result<()> {
        match self.0.len() {
            0 => Ok(()),
            1 => Err(self.0.remove(0)),
            _ => Err(Error::Several(self.0)),
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// The known name closest to `name` by edit distance, if it is close enough to be a likely typo.
pub fn closest_name<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    known
        .into_iter()
        .map(|k| (edit_distance(name, k), k))
        .filter(|(d, k)| {
            *d <= (k.len().max(name.len()) / 3).max(2) || k.starts_with(name) || name.starts_with(k)
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// "; did you mean `x`?" for the closest known name, or nothing.
pub fn did_you_mean<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    closest_name(name, known)
        .map(|s| format!("; did you mean `{s}`?"))
        .unwrap_or_default()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_quotes_at_most_an_excerpt_of_what_it_was_given() {
        let huge = format!(
            "unterminated string at line 3:\nname = \"{}",
            "x".repeat(50_000_000)
        );
        let e = Error::input(Path::new("p.toml"), "", huge).to_string();
        assert!(e.len() < 1000, "{} bytes", e.len());
        assert!(e.contains("(49999768 more characters)"), "{}", &e[..300]);
        let many = (0..100)
            .map(|i| format!("line {i}"))
            .collect::<Vec<_>>()
            .join("\n");
        let e = Error::input(Path::new("p.toml"), "", many).to_string();
        assert_eq!(e.lines().count(), 13);
        assert!(e.ends_with("… (88 more lines)"));
    }

    /// The engine's own advice is shown whole, however long: only what a
    /// user gave is cut to an excerpt.
    #[test]
    fn the_engine_never_cuts_its_own_advice() {
        let advice = format!(
            "{} and more than 240 characters",
            "too many draws for memory; ".repeat(12)
        );
        let shown = Error::Usage(advice.clone()).to_string();
        assert_eq!(shown, advice);
        assert!(!shown.contains("more characters)"));
    }

    /// Several faults: counted, numbered, each whole, exit code 2.
    #[test]
    fn several_faults_are_listed_in_one_error() {
        let mut faults = Faults::default();
        faults.push(Error::input(Path::new("a.toml"), "x", "is wrong"));
        assert!(matches!(Faults::default().finish(), Ok(())));
        faults.push(Error::input(Path::new("b.toml"), "y", "is missing"));
        let e = faults.finish().unwrap_err();
        assert_eq!(e.exit_code(), exit_code::BAD_INPUT);
        assert_eq!(
            e.to_string(),
            "2 faults in the inputs; nothing was drawn:\n  1. a.toml: `x`: is wrong\n  2. b.toml: `y`: is missing"
        );
    }

    #[test]
    fn numbers_in_messages_stay_short() {
        assert_eq!(number(1800.0), "1800");
        assert_eq!(number(0.35), "0.35");
        assert_eq!(number(2.5442544138496354e297), "2.5443e297");
        assert_eq!(number(1e-300), "1.0000e-300");
        assert_eq!(number(f64::NAN), "NaN");
    }

    #[test]
    fn edit_distance_counts_single_edits() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }

    #[test]
    fn closest_name_suggests_a_misspelt_parameter() {
        let known = ["cost_admission", "cost_gp_appointment"];
        assert_eq!(closest_name("cost_admision", known), Some("cost_admission"));
        assert_eq!(closest_name("discount_rate", known), None);
        // A name cut short is recognised by its prefix.
        assert_eq!(
            closest_name("discount", ["discount_rate", "cost_admission"]),
            Some("discount_rate")
        );
    }
}
