//! The `sahifa` command line: a thin main over `sahifa-core`. Arguments are parsed here with clap, so the
//! library (and the wasm widget built from it) carries no argument parsing. Each subcommand lives in its own
//! module and returns a [`CliError`] for bad input, which becomes one line on stderr and exit code 1.

mod error;
mod eval;
mod extract;
mod input;
mod learn;
mod parallel;
mod tag;
mod train;

use clap::{Args, Parser, Subcommand};
use error::CliError;

/// mimalloc rather than the system allocator: the batch commands allocate and free many small strings and
/// buffers from several threads, where glibc's allocator spent about a tenth of `sahifa tag`'s time
/// (README, "Tagger speed").
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "sahifa",
    version,
    about = "Arabic news entities: extract, render, tag, evaluate, train",
    arg_required_else_help = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Entities of one article (JSON or an interchange format), or of many articles as JSONL.
    Extract(extract::ExtractArgs),
    /// One article as HTML with its entities marked (same as `extract --format html`).
    Render(extract::RenderArgs),
    /// Tags a CoNLL-style file: `token [gold] pred` a line, IOB2.
    Tag(tag::TagArgs),
    /// Precision, recall and F1 of the tagger on a CoNLL file with gold tags.
    Eval(ModelFile),
    /// Learns the tagger from a CoNLL file and writes the model file.
    Train(Box<train::TrainArgs>),
}

/// `[--model MODEL] FILE|-`
#[derive(Args)]
pub struct ModelFile {
    /// A model file written by `sahifa train` (default: the embedded model).
    #[arg(long, value_name = "MODEL")]
    pub model: Option<String>,
    /// The input file, or - for standard input.
    #[arg(value_name = "FILE|-")]
    pub file: String,
}

fn main() {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => usage_error(e),
    };
    let result = match cli.command {
        Command::Extract(a) => extract::run(a),
        Command::Render(a) => extract::render(a),
        Command::Tag(a) => tag::run(a),
        Command::Eval(a) => eval::run(a),
        Command::Train(a) => train::run(*a),
    };
    if let Err(e) = result {
        fail(&e)
    }
}

fn fail(e: &CliError) -> ! {
    eprintln!("sahifa: {e}");
    std::process::exit(1)
}

/// Help and version go to stdout with exit 0; every other clap error becomes our one line and exit 1.
fn usage_error(e: clap::Error) -> ! {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => e.exit(),
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            std::process::exit(1)
        }
        _ => {}
    }
    // A value parser's own message (`--bits must be in 10..=22, got 30`) says it all.
    if e.kind() == ErrorKind::ValueValidation {
        if let Some(src) = std::error::Error::source(&e) {
            fail(&CliError::Usage(src.to_string()));
        }
    }
    // `--step` at the end of the line: clap's wording is long, ours names the option.
    if e.kind() == ErrorKind::InvalidValue {
        if let (Some(ContextValue::String(arg)), Some(ContextValue::String(v))) = (
            e.get(ContextKind::InvalidArg),
            e.get(ContextKind::InvalidValue),
        ) {
            if v.is_empty() {
                let name = arg.split(' ').next().unwrap_or(arg);
                fail(&CliError::Usage(format!(
                    "{name} needs a value (sahifa --help)"
                )));
            }
        }
    }
    // clap's first paragraph, on one line ("… not provided: --data <FILE>").
    let rendered = e.render().to_string();
    let first: Vec<&str> = rendered
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .map(str::trim)
        .collect();
    let first = first.join(" ");
    let first = first.strip_prefix("error: ").unwrap_or(&first);
    fail(&CliError::Usage(format!("{first} (sahifa --help)")))
}
