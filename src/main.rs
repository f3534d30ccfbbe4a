use clap::Parser;

use chh_psa::cli::{Cli, Command};
use chh_psa::commands;
use chh_psa::error::exit_code;

fn main() {
    predictable_memory();
    let result = match Cli::parse().command {
        Command::Base(args) => commands::base::execute(&args),
        Command::Run(args) => commands::run::execute(args),
        Command::Merge(args) => commands::merge::execute(&args),
        Command::Report(args) => commands::report::execute(&args),
        Command::Tornado(args) => commands::tornado::execute(args),
        Command::Compare(args) => commands::compare::execute(&args),
    };
    match result {
        Ok(()) => std::process::exit(exit_code::SUCCESS),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(e.exit_code());
        }
    }
}

/// Gives every buffer of a megabyte or more a mapping of its own, returned
/// to the system when freed. By default glibc raises this threshold after
/// the first such buffer is freed, and later ones come from per-thread
/// heaps that keep what is freed: a run's peak memory, which the memory
/// check bounds before any draw, would then depend on how its threads
/// happened to interleave.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn predictable_memory() {
    // SAFETY: mallopt only sets an allocator parameter; called first thing,
    // before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn predictable_memory() {}
