//! The `cekiosk` binary. It holds nothing of its own: the commands live in
//! the library (`cekiosk::cli`), where the tests can reach them too.

use std::process::ExitCode;

fn main() -> ExitCode {
    cekiosk::cli::main()
}
