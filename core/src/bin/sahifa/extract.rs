//! `sahifa extract`.
pub fn run(_args: &[String]) -> Result<(), String> {
    Err("extract: not implemented yet".into())
}
