use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match roadmap::cli::parse(std::env::args_os()) {
        Ok(cli) => cli,
        Err((message, code)) => {
            if code == 0 {
                let _ = std::io::stdout().write_all(message.as_bytes());
            } else {
                let _ = std::io::stderr().write_all(message.as_bytes());
            }
            return ExitCode::from(code);
        }
    };
    match roadmap::cli::run(cli) {
        Ok(output) => {
            // A closed pipe (`roadmap ... | head`) is not an error worth a panic, on either stream.
            let _ = std::io::stderr().write_all(output.stderr.as_bytes());
            let _ = std::io::stdout().write_all(output.stdout.as_bytes());
            ExitCode::SUCCESS
        }
        Err(e) => {
            let message = match &e {
                roadmap::app::AppError::Invalid(m) => m.clone(),
                roadmap::app::AppError::InvalidWithOutput { message, stdout } => {
                    let _ = std::io::stdout().write_all(stdout.as_bytes());
                    message.clone()
                }
                roadmap::app::AppError::Other(err) => format!("error: {err:#}"),
            };
            let _ = writeln!(std::io::stderr(), "{message}");
            ExitCode::from(e.exit_code())
        }
    }
}
