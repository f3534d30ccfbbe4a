use clap::Parser;

use chh_psa::cli::{Cli, Command};
use chh_psa::commands;
use chh_psa::error::exit_code;

fn main() {
    let result = match Cli::parse().command {
        Command::Base(args) => commands::base::execute(&args),
        Command::Run(args) => commands::run::execute(args),
        Command::Merge(args) => commands::merge::execute(&args),
        Command::Report(args) => commands::report::execute(&args),
        Command::Tornado(args) => commands::tornado::execute(args),
    };
    match result {
        Ok(()) => std::process::exit(exit_code::SUCCESS),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(e.exit_code());
        }
    }
}
