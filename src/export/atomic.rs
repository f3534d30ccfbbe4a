//! Atomic output files: written under a hidden temporary name in the target
//! folder, flushed to disk, then renamed. A run that fails or is interrupted
//! leaves no file under a final name that could be mistaken for a whole one;
//! the temporary is removed when the writer is dropped without `commit`.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::uncached::UncachedWriter;
use crate::error::{Error, Result};

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

    /// A second handle to the file for writing a large file past the page
    /// cache (see [`UncachedWriter`]); `commit` still syncs and renames it.
    pub fn uncached_writer(&mut self) -> Result<UncachedWriter> {
        let handle = self
            .writer()
            .get_ref()
            .try_clone()
            .map_err(|e| Error::io(&self.temporary, e))?;
        Ok(UncachedWriter::open(&self.temporary, handle))
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
        std::fs::rename(&self.temporary, &self.target).map_err(|e| Error::io(&self.target, e))
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.writer.is_some() {
            self.writer = None;
            let _ = std::fs::remove_file(&self.temporary);
        }
    }
}

/// A run's outputs, staged in a hidden folder inside the output folder and
/// moved into place together once all are written. A run that fails or is
/// interrupted leaves the output folder as it was: earlier results intact,
/// nothing new under a final name.
pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    committed: bool,
    /// Files still being closed and flushed to disk on threads of their own.
    closing: Vec<std::thread::JoinHandle<Result<()>>>,
}

impl Staging {
    pub fn create(target: &Path) -> Result<Staging> {
        std::fs::create_dir_all(target).map_err(|e| Error::io(target, e))?;
        let dir = target.join(format!(".chh-psa-partial-{}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        Ok(Staging {
            target: target.to_path_buf(),
            dir,
            committed: false,
            closing: Vec::new(),
        })
    }

    /// Where to write a file that will be published as `name`.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Closes a staged file on a thread of its own. Flushing a large file to
    /// disk takes a while that the rest of the run need not wait for; commit
    /// waits for it, and an abandoned staging still waits before removing
    /// its folder, so that nothing is written into a removed folder.
    pub fn close_in_background(&mut self, close: impl FnOnce() -> Result<()> + Send + 'static) {
        self.closing.push(std::thread::spawn(close));
    }

    /// Waits for the files closing in the background; the first failure wins.
    fn wait_for_closing(&mut self) -> Result<()> {
        let mut outcome = Ok(());
        for handle in self.closing.drain(..) {
            let closed = handle
                .join()
                .unwrap_or_else(|_| Err(Error::output(&self.dir, "closing a file failed")));
            if outcome.is_ok() {
                outcome = closed;
            }
        }
        outcome
    }

    /// Moves the staged files into the output folder in the order given (the
    /// last one marks a finished run) and returns their final paths.
    pub fn commit(mut self, staged: &[PathBuf]) -> Result<Vec<PathBuf>> {
        self.wait_for_closing()?;
        let mut published = Vec::new();
        for path in staged {
            let name = path
                .file_name()
                .ok_or_else(|| Error::output(path, "not a file"))?;
            let target = self.target.join(name);
            std::fs::rename(path, &target).map_err(|e| Error::io(&target, e))?;
            published.push(target);
        }
        self.committed = true;
        std::fs::remove_dir_all(&self.dir).map_err(|e| Error::io(&self.dir, e))?;
        Ok(published)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = self.wait_for_closing();
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
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

    #[test]
    fn a_staged_run_publishes_all_or_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("run");
        {
            let staging = Staging::create(&out).unwrap();
            std::fs::write(staging.dir().join("a.txt"), "a").unwrap();
            // Dropped without commit: as if interrupted.
        }
        assert_eq!(std::fs::read_dir(&out).unwrap().count(), 0);
        let staging = Staging::create(&out).unwrap();
        let a = staging.dir().join("a.txt");
        std::fs::write(&a, "a").unwrap();
        let published = staging.commit(&[a]).unwrap();
        assert_eq!(published, vec![out.join("a.txt")]);
        assert_eq!(std::fs::read_dir(&out).unwrap().count(), 1);
    }

    /// A close that writes `file` after a pause, as flushing a large file
    /// takes a while.
    fn write_after_a_pause(file: PathBuf) -> impl FnOnce() -> Result<()> + Send + 'static {
        move || {
            std::thread::sleep(std::time::Duration::from_millis(200));
            std::fs::write(&file, "late").map_err(|e| Error::io(&file, e))
        }
    }

    #[test]
    fn commit_waits_for_files_closing_in_the_background() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("run");
        let mut staging = Staging::create(&out).unwrap();
        let late = staging.dir().join("late.txt");
        staging.close_in_background(write_after_a_pause(late.clone()));
        let published = staging.commit(&[late]).unwrap();
        assert_eq!(std::fs::read_to_string(&published[0]).unwrap(), "late");
    }

    #[test]
    fn a_file_that_fails_to_close_fails_the_commit_and_publishes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("run");
        let mut staging = Staging::create(&out).unwrap();
        let a = staging.dir().join("a.txt");
        std::fs::write(&a, "a").unwrap();
        staging.close_in_background(|| Err(Error::output(Path::new("b.txt"), "disk full")));
        let err = staging.commit(&[a]).unwrap_err().to_string();
        assert!(err.contains("disk full"), "{err}");
        assert_eq!(std::fs::read_dir(&out).unwrap().count(), 0);
    }

    #[test]
    fn an_abandoned_staging_waits_for_closing_files_before_removing_its_folder() {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicBool, Ordering};
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("run");
        let written = Arc::new(AtomicBool::new(false));
        {
            let mut staging = Staging::create(&out).unwrap();
            let write = write_after_a_pause(staging.dir().join("late.txt"));
            let flag = written.clone();
            staging.close_in_background(move || {
                write()?;
                flag.store(true, Ordering::SeqCst);
                Ok(())
            });
        }
        assert!(
            written.load(Ordering::SeqCst),
            "the staging folder was removed before its closing file was written"
        );
        assert_eq!(std::fs::read_dir(&out).unwrap().count(), 0);
    }
}
