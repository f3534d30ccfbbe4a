//! SIGINT and SIGTERM: a run stops between chunks, its staged files removed.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::{Error, Result};

/// Set by the SIGINT/SIGTERM handler; checked between chunks.
pub static INTERRUPTED: AtomicBool = AtomicBool::new(false);

pub(super) fn check_interrupted() -> Result<()> {
    if INTERRUPTED.load(Ordering::SeqCst) {
        Err(Error::Interrupted)
    } else {
        Ok(())
    }
}

/// Installs the SIGINT/SIGTERM handler: the run stops at the next chunk and
/// its temporary files are removed.
pub fn handle_interruption() {
    let _ = ctrlc::set_handler(|| {
        // A second signal stops at once, for a stage that does not check.
        if INTERRUPTED.swap(true, Ordering::SeqCst) {
            eprintln!("error: interrupted twice: stopping now");
            std::process::exit(crate::error::exit_code::INTERRUPTED);
        }
    });
}
