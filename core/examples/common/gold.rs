//! Gold entity spans of ANERcorp sentences joined into running text, shared by the examples that score
//! the widget's paths on it (`extract_anercorp`, `learning_curve`), so both read the corpus the same way.

use sahifa_core::tagger::Tag;
use sahifa_core::{tokenize, EntityType, Token};

/// A gold or predicted entity: code-point start, end (exclusive), type.
pub type Span = (usize, usize, EntityType);

/// The entities of one tagged sentence, as code-point spans: `words[i]` is the code-point span of word
/// `i` in the running text; an entity runs from a B (or stray I) tag over the I tags of its type.
pub fn entity_spans(tags: &[Tag], words: &[(usize, usize)]) -> Vec<Span> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tags.len() {
        let Some(ty) = tags[i].entity_type() else {
            i += 1;
            continue;
        };
        let mut j = i + 1;
        while j < tags.len() && tags[j] == Tag::I(ty) {
            j += 1;
        }
        out.push((words[i].0, words[j - 1].1, ty));
        i = j;
    }
    out
}

/// Gold starts skip the first token's proclitics, as the annotation guidelines (and the widget) do.
pub fn skip_proclitics<C: FromIterator<Span>>(text: &str, gold: impl IntoIterator<Item = Span>) -> C {
    let tokens = tokenize(text);
    let stem_start = |start: usize| {
        tokens
            .iter()
            .find(|t: &&Token| t.start == start)
            .map_or(start, |t| t.stem_start.min(t.end))
    };
    gold.into_iter()
        .map(|(s, e, t)| (stem_start(s), e, t))
        .collect()
}
