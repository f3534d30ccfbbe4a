//! Reading a text file a user hands over: a parameter file, a run file, a
//! shard record or a run's summary. Only regular files of bounded size are
//! read, and the text must be UTF-8, so that a FIFO, a device or a huge file
//! gets a clear error naming it rather than a hang or an exhausted memory.

use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result};

/// The largest file read: far above any parameter or run file, and the
/// summary of a run with thousands of parameters.
pub const MAX_BYTES: u64 = 16 * 1024 * 1024;

/// The bytes of the regular file `path`, at most [`MAX_BYTES`].
pub fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    // Checked before opening: opening a FIFO for reading blocks until a
    // writer comes.
    let meta = std::fs::metadata(path).map_err(|e| Error::read(path, e))?;
    if !meta.is_file() {
        let kind = if meta.is_dir() {
            "a folder"
        } else {
            "a device, pipe or socket"
        };
        return Err(Error::input(
            path,
            "",
            format!("is {kind}, not a regular file; give the path of a text file"),
        ));
    }
    let too_large = || {
        Error::input(
            path,
            "",
            format!(
                "is larger than {} MB, the most read from one file; is it the right file?",
                MAX_BYTES / (1024 * 1024)
            ),
        )
    };
    if meta.len() > MAX_BYTES {
        return Err(too_large());
    }
    let file = std::fs::File::open(path).map_err(|e| Error::read(path, e))?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::read(path, e))?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(too_large());
    }
    Ok(bytes)
}

/// The text of the regular file `path`: UTF-8, at most [`MAX_BYTES`].
pub fn read_text(path: &Path) -> Result<String> {
    String::from_utf8(read_bytes(path)?).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = valid.len() - valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1) + 1;
        Error::input(
            path,
            "",
            format!(
                "is not UTF-8 text: the byte at line {line}, column {column} is invalid; save the file as UTF-8"
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_is_bad_input_naming_the_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.toml");
        std::fs::write(&path, b"a = 1\nname = \"caf\xe9\"\n").unwrap();
        let e = read_text(&path).unwrap_err();
        assert_eq!(e.exit_code(), crate::error::exit_code::BAD_INPUT);
        let text = e.to_string();
        assert!(
            text.contains("bad.toml") && text.contains("line 2, column 12"),
            "{text}"
        );
    }

    #[test]
    fn a_folder_or_device_is_refused_without_reading() {
        let dir = tempfile::tempdir().unwrap();
        let e = read_text(dir.path()).unwrap_err().to_string();
        assert!(e.contains("is a folder, not a regular file"), "{e}");
        let e = read_text(Path::new("/dev/zero")).unwrap_err().to_string();
        assert!(
            e.contains("/dev/zero") && e.contains("not a regular file"),
            "{e}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_rather_than_waited_on() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pipe.toml");
        let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path; mkfifo writes nothing else.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let e = read_text(&path).unwrap_err().to_string();
        assert!(
            e.contains("pipe.toml") && e.contains("not a regular file"),
            "{e}"
        );
    }

    #[test]
    fn a_file_over_the_limit_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("huge.toml");
        let file = std::fs::File::create(&path).unwrap();
        file.set_len(MAX_BYTES + 1).unwrap();
        let e = read_text(&path).unwrap_err().to_string();
        assert!(
            e.contains("huge.toml") && e.contains("larger than 16 MB"),
            "{e}"
        );
    }
}
