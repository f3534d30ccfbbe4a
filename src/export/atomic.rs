//! Atomic output files: written under a hidden temporary name in the target
//! folder, flushed to disk, then renamed. A run that fails or is interrupted
//! leaves no file under a final name that could be mistaken for a whole one;
//! the temporary is removed when the writer is dropped without `commit`.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

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

    /// A second handle to the file, for a writer that owns its own handle
    /// (the Parquet writer); `commit` still syncs and renames the file.
    pub fn second_handle(&mut self) -> Result<File> {
        self.writer()
            .get_ref()
            .try_clone()
            .map_err(|e| Error::io(&self.temporary, e))
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
///
/// A staging holds an exclusive lock on the output folder from creation to
/// commit or drop, so a second run, merge or report into the same folder is
/// refused rather than mixing its files with this one's. Holding the lock,
/// it removes what a killed run left (staging folders and partial files):
/// no live writer can own them.
pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    committed: bool,
    /// The locked output folder; the lock goes with the handle.
    _lock: FolderLock,
    /// Files still being closed and flushed to disk on threads of their own.
    closing: Vec<std::thread::JoinHandle<Result<()>>>,
}

impl Staging {
    pub fn create(target: &Path) -> Result<Staging> {
        std::fs::create_dir_all(target).map_err(|e| Error::io(target, e))?;
        let lock = FolderLock::acquire(target)?;
        remove_residue(target)?;
        let dir = target.join(format!("{STAGING_PREFIX}{}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        Ok(Staging {
            target: target.to_path_buf(),
            dir,
            committed: false,
            _lock: lock,
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
    pub fn wait_for_closing(&mut self) -> Result<()> {
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

    /// Publishes the staged files, in the order given (the last one marks a
    /// finished run), and removes those of `retire` (names of earlier
    /// results this run does not write) from the output folder: all of it,
    /// or, if any step fails, none of it, the folder left as it was.
    /// Returns the published files' final paths.
    pub fn commit(mut self, staged: &[PathBuf], retire: &[&str]) -> Result<Vec<PathBuf>> {
        self.wait_for_closing()?;
        let names: Vec<&std::ffi::OsStr> = staged
            .iter()
            .map(|p| {
                p.file_name()
                    .ok_or_else(|| Error::internal(p, "a staged path has no name"))
            })
            .collect::<Result<_>>()?;
        let previous = self.dir.join(".previous");
        std::fs::create_dir(&previous).map_err(|e| Error::io(&previous, e))?;
        let mut moves = Moves::default();
        let outcome = (|| {
            // Earlier results step aside first, so a file that cannot be
            // replaced stops the commit before anything new is in place.
            let replaced = names
                .iter()
                .copied()
                .chain(retire.iter().map(|r| r.as_ref()));
            for name in replaced {
                let old = self.target.join(name);
                match std::fs::symlink_metadata(&old) {
                    Err(_) => continue,
                    Ok(meta) if !meta.is_file() => {
                        return Err(Error::output(
                            &old,
                            "is not a file, so results cannot replace it; move it away and run again",
                        ));
                    }
                    Ok(_) => moves.make(&old, &previous.join(name))?,
                }
            }
            for (path, name) in staged.iter().zip(&names) {
                moves.make(path, &self.target.join(name))?;
            }
            Ok(())
        })();
        if let Err(e) = outcome {
            moves.undo();
            return Err(e);
        }
        self.committed = true;
        // The results are in place; what is left is the staging folder and
        // the earlier results, which the next run removes if this fails.
        let _ = std::fs::remove_dir_all(&self.dir);
        Ok(names.iter().map(|n| self.target.join(n)).collect())
    }
}

/// Renames made so far, so that a failed commit can put them back.
#[derive(Default)]
struct Moves(Vec<(PathBuf, PathBuf)>);

impl Moves {
    fn make(&mut self, from: &Path, to: &Path) -> Result<()> {
        std::fs::rename(from, to).map_err(|e| Error::io(from, e))?;
        self.0.push((from.to_path_buf(), to.to_path_buf()));
        Ok(())
    }

    /// Reverses every rename, latest first.
    fn undo(self) {
        for (from, to) in self.0.into_iter().rev() {
            let _ = std::fs::rename(&to, &from);
        }
    }
}

/// Names of a staging folder: the prefix and the owning process's id.
const STAGING_PREFIX: &str = ".chh-psa-partial-";

/// Removes staging folders and partial files a killed writer left in
/// `target`. Only called with the folder's lock held, when no live writer
/// can own any of them.
fn remove_residue(target: &Path) -> Result<()> {
    let entries = std::fs::read_dir(target).map_err(|e| Error::io(target, e))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if name.starts_with(STAGING_PREFIX) && path.is_dir() {
            std::fs::remove_dir_all(&path).map_err(|e| Error::io(&path, e))?;
        } else if name.starts_with('.') && name.contains(".partial-") && path.is_file() {
            std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
        }
    }
    Ok(())
}

/// An exclusive advisory lock on a folder (`flock` on the folder itself, so
/// nothing is added to it), released when dropped or when the process ends,
/// however it ends.
pub struct FolderLock(#[allow(dead_code)] std::fs::File);

impl FolderLock {
    pub fn acquire(folder: &Path) -> Result<FolderLock> {
        let handle = std::fs::File::open(folder).map_err(|e| Error::io(folder, e))?;
        #[cfg(unix)]
        {
            use std::os::fd::AsRawFd;
            // SAFETY: flock takes a descriptor this function owns, open
            // until the lock is dropped.
            let locked = unsafe { libc::flock(handle.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
            if locked != 0 {
                let error = std::io::Error::last_os_error();
                if error.kind() == std::io::ErrorKind::WouldBlock {
                    return Err(Error::output(
                        folder,
                        "another chh-psa run, merge or report is writing to this folder; wait for it to finish or choose another --out",
                    ));
                }
                return Err(Error::io(folder, error));
            }
        }
        Ok(FolderLock(handle))
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
        let published = staging.commit(&[a], &[]).unwrap();
        assert_eq!(published, vec![out.join("a.txt")]);
        assert_eq!(std::fs::read_dir(&out).unwrap().count(), 1);
    }

    #[test]
    fn a_second_writer_is_refused_while_the_first_holds_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("run");
        let first = Staging::create(&out).unwrap();
        let err = Staging::create(&out).err().unwrap().to_string();
        assert!(err.contains("another chh-psa run"), "{err}");
        drop(first);
        Staging::create(&out).unwrap();
    }

    #[test]
    fn a_killed_writers_residue_is_removed_by_the_next() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("run");
        std::fs::create_dir_all(out.join(".chh-psa-partial-999999/inner")).unwrap();
        std::fs::write(
            out.join(".chh-psa-partial-999999/inner/samples.parquet"),
            "x",
        )
        .unwrap();
        std::fs::write(out.join(".summary.json.partial-999999"), "x").unwrap();
        std::fs::write(out.join("notes.txt"), "mine").unwrap();
        let staging = Staging::create(&out).unwrap();
        let mut names: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        let own = staging
            .dir()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        assert_eq!(names, vec![own, "notes.txt".to_string()]);
    }

    #[test]
    fn a_commit_that_cannot_replace_a_result_leaves_every_earlier_one() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("run");
        std::fs::create_dir_all(&out).unwrap();
        for name in ["a.txt", "b.txt", "stale.txt"] {
            std::fs::write(out.join(name), "old").unwrap();
        }
        // A result name that became a folder cannot be replaced by a file.
        std::fs::create_dir(out.join("c.txt")).unwrap();
        std::fs::write(out.join("c.txt/keep"), "mine").unwrap();
        let staging = Staging::create(&out).unwrap();
        let staged: Vec<PathBuf> = ["a.txt", "b.txt", "c.txt"]
            .iter()
            .map(|n| {
                let p = staging.dir().join(n);
                std::fs::write(&p, "new").unwrap();
                p
            })
            .collect();
        let err = staging
            .commit(&staged, &["stale.txt"])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("c.txt") && err.contains("is not a file"),
            "{err}"
        );
        for name in ["a.txt", "b.txt", "stale.txt"] {
            assert_eq!(
                std::fs::read_to_string(out.join(name)).unwrap(),
                "old",
                "{name}"
            );
        }
        assert_eq!(
            std::fs::read_to_string(out.join("c.txt/keep")).unwrap(),
            "mine"
        );

        // Once it is moved away, the whole run goes in and the stale file goes.
        std::fs::remove_dir_all(out.join("c.txt")).unwrap();
        let staging = Staging::create(&out).unwrap();
        let staged: Vec<PathBuf> = ["a.txt", "c.txt"]
            .iter()
            .map(|n| {
                let p = staging.dir().join(n);
                std::fs::write(&p, "new").unwrap();
                p
            })
            .collect();
        staging.commit(&staged, &["b.txt", "stale.txt"]).unwrap();
        let mut names: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["a.txt", "c.txt"]);
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
        let published = staging.commit(&[late], &[]).unwrap();
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
        let err = staging.commit(&[a], &[]).unwrap_err().to_string();
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
