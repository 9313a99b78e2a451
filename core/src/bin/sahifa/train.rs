//! `sahifa train`.
pub fn run(_args: &[String]) -> Result<(), String> {
    Err("train: not implemented yet".into())
}
