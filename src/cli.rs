//! The command line: the only module that knows clap. It turns arguments into the plain
//! option structs of `app` and runs the command.

use crate::app::{self, AppError, Format, Outcome};
use crate::scenario::nrp::Rounding;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "roadmap",
    version,
    about = "Decision simulator and portfolio optimizer for product roadmaps",
    long_about = "Decision simulator and portfolio optimizer for product roadmaps.\n\nScenario files (TOML, optionally with a backlog CSV) describe teams, features with uncertain efforts and values, segments, deals and deadlines. Start with `roadmap init`, check with `roadmap validate`, and look at `roadmap capacity` before a quarter.",
    after_help = "Examples:\n  roadmap init my-plan.toml\n  roadmap validate scenarios/saas-annual-plan.toml\n  roadmap capacity scenarios/saas-annual-plan.toml\n  roadmap import nrp nrp1.txt --budget-ratio 0.3 -o nrp1-30.toml\n\nExit codes: 0 ok, 2 invalid input (the message says where and how to fix it), 1 anything else."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check a scenario: every problem with file, line, field and a fix, or a one-screen summary
    #[command(
        after_help = "Examples:\n  roadmap validate scenarios/saas-annual-plan.toml\n  roadmap validate plan.toml --format json\n\nExits 2 when the scenario is invalid, including when mandatory work cannot fit the teams' capacity or the budget."
    )]
    Validate {
        /// Scenario TOML file
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
        format: TextOrJson,
        /// Show every warning instead of the first dozen
        #[arg(long)]
        all_warnings: bool,
    },
    /// Per team and period: committed work (mean and P80) against capacity
    #[command(
        after_help = "Committed work is every mandatory feature, every feature with a deadline, and what they require.\n\nExamples:\n  roadmap capacity scenarios/saas-annual-plan.toml\n  roadmap capacity plan.toml --format csv > capacity.csv\n  roadmap capacity plan.toml --trials 50000 --seed 7 --out out/"
    )]
    Capacity {
        /// Scenario TOML file
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
        /// Monte Carlo trials for the P80 figures (default: the scenario's [simulation] trials)
        #[arg(long)]
        trials: Option<u64>,
        /// Random seed (default: the scenario's [simulation] seed)
        #[arg(long)]
        seed: Option<u64>,
        /// Also write capacity.txt, capacity.csv and capacity.json into this folder
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Turn data from other tools into scenarios
    #[command(subcommand)]
    Import(Import),
    /// Write a commented starter scenario that validates
    #[command(after_help = "Examples:\n  roadmap init\n  roadmap init plans/fy2027.toml")]
    Init {
        /// Where to write it
        #[arg(default_value = "roadmap.toml")]
        path: PathBuf,
        /// Overwrite the file if it exists
        #[arg(long)]
        force: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum Import {
    /// A Next Release Problem instance (Xuan et al. format) as a one-period scenario with the same optimum
    #[command(
        after_help = "The budget is ratio x total requirement cost, computed exactly (0.7 x 10700 = 7490).\n\nExamples:\n  roadmap import nrp nrp1.txt --budget-ratio 0.3 -o nrp1-30.toml\n  roadmap import nrp nrp-e1.txt --budget-ratio 0.5 --rounding nearest > e1.toml"
    )]
    Nrp {
        /// NRP instance file (classic-nrp/nrp1.txt, realistic-nrp/nrp-e1.txt, ...)
        file: PathBuf,
        /// Budget as a share of the total requirement cost, e.g. 0.3, 0.5 or 0.7
        #[arg(long)]
        budget_ratio: String,
        /// How to round ratio x total cost to a whole budget
        #[arg(long, value_enum, default_value_t = RoundingArg::Floor)]
        rounding: RoundingArg,
        /// Write the scenario here instead of to standard output
        #[arg(short = 'o', long)]
        output: Option<PathBuf>,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum TextOrJson {
    Text,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum OutputFormat {
    Text,
    Json,
    Csv,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum RoundingArg {
    Floor,
    Nearest,
}

impl From<OutputFormat> for Format {
    fn from(f: OutputFormat) -> Self {
        match f {
            OutputFormat::Text => Format::Text,
            OutputFormat::Json => Format::Json,
            OutputFormat::Csv => Format::Csv,
        }
    }
}

/// Runs the parsed command.
pub fn run(cli: Cli) -> Result<Outcome, AppError> {
    match cli.command {
        Command::Validate {
            file,
            format,
            all_warnings,
        } => app::validate(&app::ValidateOptions {
            file,
            format: match format {
                TextOrJson::Text => Format::Text,
                TextOrJson::Json => Format::Json,
            },
            all_warnings,
        }),
        Command::Capacity {
            file,
            format,
            trials,
            seed,
            out,
        } => app::capacity(&app::CapacityOptions {
            file,
            format: format.into(),
            trials,
            seed,
            out,
        }),
        Command::Import(Import::Nrp {
            file,
            budget_ratio,
            rounding,
            output,
        }) => app::import_nrp(&app::ImportNrpOptions {
            file,
            budget_ratio,
            rounding: match rounding {
                RoundingArg::Floor => Rounding::Floor,
                RoundingArg::Nearest => Rounding::Nearest,
            },
            output,
        }),
        Command::Init { path, force } => app::init(&app::InitOptions { path, force }),
    }
}

/// Parses `args`; on a usage error returns clap's message and exit code (2 for bad usage).
pub fn parse<I, T>(args: I) -> Result<Cli, (String, u8)>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    use std::io::IsTerminal;
    Cli::try_parse_from(args).map_err(|e| {
        let code = if e.use_stderr() { 2 } else { 0 };
        // Colour only for a person at a terminal; files and pipes get plain text.
        let terminal = if code == 0 {
            std::io::stdout().is_terminal()
        } else {
            std::io::stderr().is_terminal()
        };
        let styled = e.render();
        (
            if terminal {
                styled.ansi().to_string()
            } else {
                styled.to_string()
            },
            code,
        )
    })
}
