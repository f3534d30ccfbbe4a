//! Which of the tools some tests drive are on this machine, as `cfg`
//! flags (`tool_browser`, `tool_slurm`, `tool_python`, `tool_office`): a
//! test whose tool is missing is then reported as ignored, and counted,
//! instead of passing without checking anything. CI installs every tool
//! and sets `CHH_PSA_REQUIRE_<TOOL>`, which turns the flag on whatever the
//! probe says, so that a tool that failed to install fails its tests.
//! The probes run again when PATH or those variables change; after
//! installing a tool by hand, `touch tests/tools/probe.rs` makes them
//! run. (It is the package's build script, named in Cargo.toml.)

use std::process::Command;

/// (flag, variable that requires it, probe that succeeds when it is here)
const TOOLS: [(&str, &str, &[&str]); 4] = [
    (
        "tool_browser",
        "CHH_PSA_REQUIRE_BROWSER",
        &["/usr/bin/chromium", "--version"],
    ),
    (
        "tool_slurm",
        "CHH_PSA_REQUIRE_SLURM",
        &["sinfo", "--version"],
    ),
    (
        "tool_python",
        "CHH_PSA_REQUIRE_PYTHON",
        &[
            "python3",
            "-c",
            "import pyarrow, jsonschema, openpyxl, scipy",
        ],
    ),
    (
        "tool_office",
        "CHH_PSA_REQUIRE_OFFICE",
        &[
            "Rscript",
            "-e",
            "library(jsonlite); stopifnot(nzchar(Sys.which('soffice')))",
        ],
    ),
];

fn main() {
    println!("cargo::rerun-if-changed=tests/tools/probe.rs");
    println!("cargo::rerun-if-env-changed=PATH");
    for (flag, require, probe) in TOOLS {
        println!("cargo::rustc-check-cfg=cfg({flag})");
        println!("cargo::rerun-if-env-changed={require}");
        let here = std::env::var_os(require).is_some()
            || Command::new(probe[0])
                .args(&probe[1..])
                .output()
                .is_ok_and(|o| o.status.success());
        if here {
            println!("cargo::rustc-cfg={flag}");
        }
    }
}
