//! `sahifa eval`.
pub fn run(_args: &[String]) -> Result<(), String> {
    Err("eval: not implemented yet".into())
}
