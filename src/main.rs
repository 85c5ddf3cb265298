use std::process::ExitCode;

fn main() -> ExitCode {
    cekiosk::cli::main()
}
