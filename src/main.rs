//! The `baton` binary: parse the command line, hand over to the library, report the exit.

use std::process::ExitCode;

fn main() -> ExitCode {
    match baton::cli::main() {
        Ok(()) => ExitCode::SUCCESS,
        Err(baton::errors::Failure::ClosedOutput) => ExitCode::from(141),
        Err(failure) => {
            eprintln!("error: {failure}");
            ExitCode::from(failure.exit_code())
        }
    }
}
