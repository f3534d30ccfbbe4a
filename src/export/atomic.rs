//! Atomic output files: written under a hidden temporary name in the target
//! folder, flushed to disk, then renamed. A run that fails or is interrupted
//! leaves no file under a final name that could be mistaken for a whole one;
//! the temporary is removed when the writer is dropped without `commit`.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::{Error, Result};

/// Temporary files in flight, so that a signal handler can remove them.
static IN_FLIGHT: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Removes every temporary file still being written. Called on interruption.
pub fn remove_temporaries() {
    if let Ok(mut paths) = IN_FLIGHT.lock() {
        for path in paths.drain(..) {
            let _ = std::fs::remove_file(path);
        }
    }
}

fn forget(path: &Path) {
    if let Ok(mut paths) = IN_FLIGHT.lock() {
        paths.retain(|p| p != path);
    }
}

/// The temporary name used for `path`: hidden, and marked as partial.
pub fn temporary_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.partial-{}", std::process::id()))
}

pub struct AtomicFile {
    target: PathBuf,
    temporary: PathBuf,
    writer: Option<BufWriter<File>>,
}

impl AtomicFile {
    pub fn create(target: &Path) -> Result<AtomicFile> {
        let temporary = temporary_path(target);
        let file = File::create(&temporary).map_err(|e| Error::io(&temporary, e))?;
        if let Ok(mut paths) = IN_FLIGHT.lock() {
            paths.push(temporary.clone());
        }
        Ok(AtomicFile {
            target: target.to_path_buf(),
            temporary,
            writer: Some(BufWriter::new(file)),
        })
    }

    pub fn writer(&mut self) -> &mut BufWriter<File> {
        self.writer
            .as_mut()
            .expect("an AtomicFile is only written before commit")
    }

    pub fn write_all(&mut self, bytes: &[u8]) -> Result<()> {
        let temporary = self.temporary.clone();
        self.writer()
            .write_all(bytes)
            .map_err(|e| Error::io(&temporary, e))
    }

    /// Flushes, syncs and renames the file to its final name.
    pub fn commit(mut self) -> Result<()> {
        if let Some(writer) = self.writer.take() {
            let file = writer
                .into_inner()
                .map_err(|e| Error::io(&self.temporary, e.into_error()))?;
            file.sync_all().map_err(|e| Error::io(&self.temporary, e))?;
        }
        std::fs::rename(&self.temporary, &self.target).map_err(|e| Error::io(&self.target, e))?;
        forget(&self.temporary);
        Ok(())
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.writer.is_some() {
            self.writer = None;
            let _ = std::fs::remove_file(&self.temporary);
            forget(&self.temporary);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_committed_file_appears_whole_under_its_name() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.txt");
        let mut f = AtomicFile::create(&target).unwrap();
        f.write_all(b"hello").unwrap();
        assert!(
            !target.exists(),
            "nothing under the final name before commit"
        );
        f.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "hello");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn an_abandoned_file_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.txt");
        {
            let mut f = AtomicFile::create(&target).unwrap();
            f.write_all(b"half").unwrap();
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
