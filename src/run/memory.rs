//! Whether a run's analyses fit in memory, checked before its draws are
//! made: a run that does not fit would otherwise draw for minutes and then
//! be killed by the kernel or the scheduler.
//!
//! The exact percentiles and rank correlations need every draw of the kept
//! columns, so a run's peak grows with its draws; a shard keeps none and is
//! not checked.

use std::path::Path;

use crate::error::{Error, Result};

/// What a run holds besides its draws: the program, the parameter files,
/// a few chunks in flight and the Parquet writer's state.
const FIXED: u64 = 64 << 20;

/// Bytes per draw held at the peak besides the kept columns and the rank
/// buffers: the tornado outcome's draws and centred ranks (16), and a
/// scenario's option values while it is evaluated (40), rounded down to
/// what the measured peaks show (below).
const OTHER_PER_DRAW: u64 = 48;

/// Each thread ranking a column holds its sort words, their scratch and the
/// ranks: three 8-byte values a draw.
const RANKER_PER_DRAW: u64 = 24;

/// Peak memory of a run of `draws` draws keeping `columns` columns, ranked
/// on `threads` threads.
///
/// The constants are fitted, with room to spare, to the peak resident
/// memory of the shipped run file at one and two million draws (measured
/// with `/usr/bin/time -v`; the figures are in docs/performance.md), and
/// `tests/memory.rs` holds runs and merges to them.
pub fn needed(draws: u64, columns: usize, threads: usize) -> u64 {
    let per_draw = 8 * columns as u64 + RANKER_PER_DRAW * threads as u64 + OTHER_PER_DRAW;
    FIXED + draws * per_draw
}

/// What a run keeps in memory: its draws, the columns kept of each, and
/// the threads that rank them.
#[derive(Debug, Clone, Copy)]
pub struct Kept {
    pub draws: u64,
    pub columns: usize,
    pub threads: usize,
}

/// Refuses a run keeping `kept` that needs more memory than `available`
/// (None: unknown, and nothing is refused). `file` and `item` name what set
/// the draw count, for the message.
pub fn check(file: &Path, item: &str, kept: Kept, available: Option<u64>) -> Result<()> {
    let Kept {
        draws,
        columns,
        threads,
    } = kept;
    let need = needed(draws, columns, threads);
    match available {
        Some(room) if need > room => Err(Error::input(
            file,
            item,
            format!(
                "{draws} draws need about {} of memory for the exact percentiles and rank \
                 correlations ({} bytes a draw on {threads} threads), and {} is available: \
                 run fewer draws, or split them with --shard K/N (a shard keeps no draws in \
                 memory) and merge on a machine with the memory",
                gigabytes(need),
                (need - FIXED) / draws.max(1),
                gigabytes(room),
            ),
        )),
        _ => Ok(()),
    }
}

fn gigabytes(bytes: u64) -> String {
    format!("{:.1} GB", bytes as f64 / 1e9)
}

/// Memory this process may still take: the kernel's estimate of what new
/// allocations can have without swapping, less where its control group's
/// limit (a batch scheduler's, say) is lower. None where neither is known.
pub fn available() -> Option<u64> {
    let system = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| mem_available(&text));
    let group = std::fs::read_to_string("/proc/self/cgroup")
        .ok()
        .and_then(|text| control_group_room(&text, Path::new("/sys/fs/cgroup")));
    match (system, group) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// `MemAvailable` from the text of `/proc/meminfo`, in bytes.
fn mem_available(meminfo: &str) -> Option<u64> {
    meminfo.lines().find_map(|line| {
        let rest = line.strip_prefix("MemAvailable:")?;
        let kilobytes = rest.trim().strip_suffix("kB")?.trim().parse::<u64>().ok()?;
        Some(kilobytes * 1024)
    })
}

/// The room left under the memory limit of the control group named in
/// `cgroup` (the text of `/proc/self/cgroup`), with the hierarchy mounted
/// at `root`: version 2 (`memory.max`, `memory.current`) or version 1
/// (`memory.limit_in_bytes`, `memory.usage_in_bytes`). None without a
/// limit.
fn control_group_room(cgroup: &str, root: &Path) -> Option<u64> {
    let read = |path: std::path::PathBuf| -> Option<u64> {
        std::fs::read_to_string(path).ok()?.trim().parse().ok()
    };
    for line in cgroup.lines() {
        let mut fields = line.splitn(3, ':');
        let (_, controllers, path) = (fields.next()?, fields.next()?, fields.next()?);
        let path = path.trim_start_matches('/');
        let (folder, limit, usage) = match controllers {
            // Version 2: one hierarchy, no controller named.
            "" => (root.join(path), "memory.max", "memory.current"),
            c if c.split(',').any(|c| c == "memory") => (
                root.join("memory").join(path),
                "memory.limit_in_bytes",
                "memory.usage_in_bytes",
            ),
            _ => continue,
        };
        // "max" (version 2) does not parse: no limit.
        if let Some(limit) = read(folder.join(limit)) {
            let usage = read(folder.join(usage)).unwrap_or(0);
            return Some(limit.saturating_sub(usage));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEPT: Kept = Kept {
        draws: 100_000_000,
        columns: 45,
        threads: 2,
    };

    #[test]
    fn a_million_draws_need_the_columns_the_rankers_and_the_rest() {
        // 45 columns × 8 + 2 threads × 24 + 48 = 456 bytes a draw.
        assert_eq!(needed(1_000_000, 45, 2), (64 << 20) + 456_000_000);
        assert_eq!(needed(0, 45, 2), 64 << 20);
        // A thread more adds its rank buffers.
        assert_eq!(
            needed(1_000_000, 45, 3) - needed(1_000_000, 45, 2),
            24_000_000
        );
    }

    #[test]
    fn a_run_that_does_not_fit_is_refused_with_what_it_needs() {
        let file = Path::new("runs/big.toml");
        // 10^8 draws: 45.6 GB plus 64 MiB.
        let err = check(file, "samples", KEPT, Some(24_000_000_000)).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("runs/big.toml"), "{text}");
        assert!(text.contains("samples"), "{text}");
        assert!(text.contains("45.7 GB"), "{text}");
        assert!(text.contains("456 bytes a draw"), "{text}");
        assert!(text.contains("24.0 GB is available"), "{text}");
        assert!(text.contains("--shard"), "{text}");
        assert_eq!(err.exit_code(), crate::error::exit_code::BAD_INPUT);
        // Exactly enough room, or room unknown: it runs.
        let need = needed(100_000_000, 45, 2);
        assert!(check(file, "samples", KEPT, Some(need)).is_ok());
        assert!(check(file, "samples", KEPT, Some(need - 1)).is_err());
        assert!(check(file, "samples", KEPT, None).is_ok());
    }

    #[test]
    fn mem_available_is_read_in_bytes() {
        let meminfo =
            "MemTotal:       24684092 kB\nMemFree:         1000 kB\nMemAvailable:   24054228 kB\n";
        assert_eq!(mem_available(meminfo), Some(24_054_228 * 1024));
        assert_eq!(mem_available("MemTotal: 5 kB\n"), None);
    }

    #[test]
    fn control_group_limits_are_read_for_both_versions() {
        let root = tempfile::tempdir().unwrap();
        let write = |path: &str, text: &str| {
            let path = root.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        // Version 2: a job limited to 4 GiB that has used 1 GiB.
        write("job/memory.max", "4294967296\n");
        write("job/memory.current", "1073741824\n");
        assert_eq!(control_group_room("0::/job\n", root.path()), Some(3 << 30));
        // No limit.
        write("free/memory.max", "max\n");
        write("free/memory.current", "5\n");
        assert_eq!(control_group_room("0::/free\n", root.path()), None);
        // Version 1, the memory controller among others.
        write("memory/slurm/job/memory.limit_in_bytes", "2000\n");
        write("memory/slurm/job/memory.usage_in_bytes", "500\n");
        let v1 = "5:cpu,cpuacct:/slurm/job\n4:memory:/slurm/job\n0::/\n";
        assert_eq!(control_group_room(v1, root.path()), Some(1500));
        // Usage above the limit leaves no room rather than wrapping.
        write("memory/over/memory.limit_in_bytes", "100\n");
        write("memory/over/memory.usage_in_bytes", "200\n");
        assert_eq!(control_group_room("4:memory:/over\n", root.path()), Some(0));
    }
}
