//! The `paylink` binary: parse the command line, start logging, run.

fn main() -> std::process::ExitCode {
    paylink::cli::main()
}
