//! `sahifa tag`.
pub fn run(_args: &[String]) -> Result<(), String> {
    Err("tag: not implemented yet".into())
}
