//! Time spent on one part of the draws (the scenarios, the yearly budget),
//! summed over the threads that do it, for `--timings`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Nanoseconds the threads spent in a part of the work, kept only when the
/// run is timed so that an untimed run reads no clock.
pub struct Stopwatch {
    timed: bool,
    nanos: AtomicU64,
}

impl Stopwatch {
    pub fn new(timed: bool) -> Stopwatch {
        Stopwatch {
            timed,
            nanos: AtomicU64::new(0),
        }
    }

    /// Runs `work`, adding its time when the run is timed.
    pub fn time<R>(&self, work: impl FnOnce() -> R) -> R {
        if !self.timed {
            return work();
        }
        let clock = Instant::now();
        let result = work();
        let nanos = clock.elapsed().as_nanos() as u64;
        self.nanos.fetch_add(nanos, Ordering::Relaxed);
        result
    }

    /// The wall time the part took: the threads' time over `threads`.
    pub fn spent(&self, threads: usize) -> Duration {
        Duration::from_nanos(self.nanos.load(Ordering::Relaxed) / threads.max(1) as u64)
    }
}
