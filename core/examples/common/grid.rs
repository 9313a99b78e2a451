//! The `--grid` option of the tagger examples that save one training run at several pruning thresholds
//! (`tagger_prune_grid`, `tagger_cv`), read the same way by both.

/// `24,30/20,36/16` → `[[24, 30], [20, 36], [16, 16]]`: per stage (first, second), one value for both.
pub fn thresholds(arg: &str) -> Vec<[f32; 2]> {
    arg.split('/')
        .map(|p| {
            let xs: Vec<f32> = p.split(',').map(|x| x.parse().expect("--grid")).collect();
            [xs[0], *xs.last().unwrap()]
        })
        .collect()
}
