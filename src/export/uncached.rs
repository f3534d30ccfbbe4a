//! A large file written past the page cache.
//!
//! `samples.parquet` is 324 MB at a million draws. Written through the page
//! cache, the kernel copies every byte into fresh cache pages and later
//! writes them out, about 0.6 s of system time on the cores the draws need.
//! On Linux the file is instead written with `O_DIRECT`, straight from an
//! aligned buffer to the disk, in whole blocks; the writer thread waits on
//! the disk rather than working for it. Where the filesystem refuses direct
//! writes (older tmpfs, some network filesystems) the same bytes go through the
//! page cache as usual.

use std::fs::File;
use std::io::Write;
use std::path::Path;

/// Bytes written per direct write: a multiple of every disk's block size.
const BLOCK: usize = 4 << 20;
/// Direct writes need their memory, length and file offset aligned to the
/// disk's logical block size; 4096 bytes is the largest in common use.
const ALIGN: usize = 4096;

/// Buffers writes into whole aligned blocks and writes each block directly.
/// `flush` writes out what is buffered; a partial block goes through the
/// page cache, and so does everything written after it.
pub struct UncachedWriter {
    file: File,
    /// BLOCK + ALIGN bytes, of which the aligned BLOCK from `start` is used.
    buffer: Box<[u8]>,
    start: usize,
    len: usize,
    /// Whether writes still go past the page cache.
    direct: bool,
}

impl UncachedWriter {
    /// Opens `path`, already created and empty, for writing past the page
    /// cache where the filesystem allows it; `fallback`, a handle to the
    /// same file, is written through the page cache where it does not.
    pub fn open(path: &Path, fallback: File) -> UncachedWriter {
        match open_direct(path) {
            Some(file) => UncachedWriter::with(file, true),
            None => UncachedWriter::with(fallback, false),
        }
    }

    fn with(file: File, direct: bool) -> UncachedWriter {
        let buffer = vec![0u8; BLOCK + ALIGN].into_boxed_slice();
        let start = buffer.as_ptr().align_offset(ALIGN);
        UncachedWriter {
            file,
            buffer,
            start,
            len: 0,
            direct,
        }
    }

    /// Writes out the buffered bytes: directly while what remains is whole
    /// aligned blocks, otherwise (or once the disk refuses) through the page
    /// cache, from where the file has got to.
    fn write_buffered(&mut self) -> std::io::Result<()> {
        let mut done = 0;
        while done < self.len {
            let aligned = done.is_multiple_of(ALIGN) && (self.len - done).is_multiple_of(ALIGN);
            if !aligned {
                self.stop_direct()?;
            }
            let bytes = &self.buffer[self.start + done..self.start + self.len];
            match self.file.write(bytes) {
                Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
                Ok(written) => done += written,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                // A direct write the disk refuses (say, for a larger block
                // size) writes nothing; the rest goes through the cache.
                Err(e) if self.direct && e.kind() == std::io::ErrorKind::InvalidInput => {
                    self.stop_direct()?
                }
                Err(e) => return Err(e),
            }
        }
        self.len = 0;
        Ok(())
    }

    fn stop_direct(&mut self) -> std::io::Result<()> {
        if self.direct {
            clear_direct(&self.file)?;
            self.direct = false;
        }
        Ok(())
    }
}

impl Write for UncachedWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let taken = bytes.len().min(BLOCK - self.len);
        let at = self.start + self.len;
        self.buffer[at..at + taken].copy_from_slice(&bytes[..taken]);
        self.len += taken;
        if self.len == BLOCK {
            self.write_buffered()?;
        }
        Ok(taken)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.len > 0 {
            self.write_buffered()?;
        }
        self.file.flush()
    }
}

impl Drop for UncachedWriter {
    /// As `BufWriter`: what is still buffered is written, errors ignored.
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

#[cfg(target_os = "linux")]
fn open_direct(path: &Path) -> Option<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .custom_flags(libc::O_DIRECT)
        .open(path)
        .ok()
}

#[cfg(not(target_os = "linux"))]
fn open_direct(_: &Path) -> Option<File> {
    None
}

/// Turns `O_DIRECT` off: the file's later writes go through the page cache.
#[cfg(target_os = "linux")]
fn clear_direct(file: &File) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    let fd = file.as_raw_fd();
    // SAFETY: fcntl with F_GETFL and F_SETFL takes no pointers; `fd` is an
    // open descriptor owned by `file` for the length of the calls.
    unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFL);
        if flags < 0 || libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_DIRECT) < 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok(())
}

#[cfg(not(target_os = "linux"))]
fn clear_direct(_: &File) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes of every size, some crossing blocks, then more after a flush:
    /// the file holds exactly the bytes written, in order, whether or not
    /// the writes went past the page cache.
    fn round_trip(direct: bool) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        let file = File::create(&path).unwrap();
        let mut writer = if direct {
            UncachedWriter::open(&path, file)
        } else {
            UncachedWriter::with(file, false)
        };
        let mut expected = Vec::new();
        let mut size = 1;
        let mut byte = 0u8;
        while expected.len() < 3 * BLOCK + 12_345 {
            let chunk: Vec<u8> = (0..size)
                .map(|_| {
                    byte = byte.wrapping_mul(31).wrapping_add(7);
                    byte
                })
                .collect();
            writer.write_all(&chunk).unwrap();
            expected.extend_from_slice(&chunk);
            size = size * 3 % 1_048_573 + 1;
        }
        // Whole blocks were written past the cache where the filesystem
        // allows it.
        let was_direct = writer.direct;
        assert_eq!(was_direct, direct && open_direct(&path).is_some());
        writer.flush().unwrap();
        // A partial block is written through the cache, and so is all after.
        assert_eq!(
            writer.direct,
            was_direct && expected.len().is_multiple_of(ALIGN)
        );
        writer.write_all(b"footer").unwrap();
        expected.extend_from_slice(b"footer");
        drop(writer);
        assert_eq!(std::fs::read(&path).unwrap(), expected);
    }

    #[test]
    fn bytes_written_past_the_page_cache_are_the_bytes_given() {
        round_trip(true);
    }

    #[test]
    fn bytes_written_through_the_page_cache_are_the_bytes_given() {
        round_trip(false);
    }
}
