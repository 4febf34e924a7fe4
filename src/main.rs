use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match roadmap::cli::parse(std::env::args_os()) {
        Ok(cli) => cli,
        Err((message, code)) => {
            if code == 0 {
                print!("{message}");
            } else {
                eprint!("{message}");
            }
            return ExitCode::from(code);
        }
    };
    match roadmap::cli::run(cli) {
        Ok(outcome) => {
            eprint!("{}", outcome.stderr);
            // A closed pipe (`roadmap ... | head`) is not an error worth a panic.
            let _ = std::io::stdout().write_all(outcome.stdout.as_bytes());
            ExitCode::SUCCESS
        }
        Err(e) => {
            let message = match &e {
                roadmap::app::AppError::Invalid(m) => m.clone(),
                roadmap::app::AppError::Other(err) => format!("error: {err:#}"),
            };
            eprintln!("{message}");
            ExitCode::from(e.exit_code())
        }
    }
}
