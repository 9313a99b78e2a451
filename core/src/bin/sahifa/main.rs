//! The `sahifa` command line: a thin main over the core. Each subcommand lives in its own module and
//! returns `Err(message)` for bad input, which becomes one line on stderr and a non-zero exit.

mod eval;
mod extract;
mod input;
mod tag;
mod train;

const USAGE: &str = "usage:
  sahifa extract [--format json|w3c|brat|conll|jsonl|csv] FILE|-
  sahifa tag FILE|-
  sahifa eval FILE|-
  sahifa train --data FILE --out MODEL [--dev-fraction 0.1] [--seed N] [--epochs N]";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("extract") => extract::run(&args[1..]),
        Some("tag") => tag::run(&args[1..]),
        Some("eval") => eval::run(&args[1..]),
        Some("train") => train::run(&args[1..]),
        Some("-h") | Some("--help") | Some("help") => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command {other:?}\n{USAGE}")),
        None => Err(USAGE.to_string()),
    };
    if let Err(msg) = result {
        eprintln!("sahifa: {msg}");
        std::process::exit(1);
    }
}
