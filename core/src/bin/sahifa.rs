//! The `sahifa` command line: a thin main over the core.
fn main() {
    eprintln!("sahifa: not yet implemented");
    std::process::exit(2);
}
