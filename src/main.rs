//! The `paylink` binary: parse the command line, start logging, run. The load generator
//! (`paylink bench`) is part of the binary only, so the library does not carry it.

mod bench;

fn main() -> std::process::ExitCode {
    paylink::cli::main(async |config, flags| bench::run(config, &flags).await)
}
