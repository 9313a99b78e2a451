//! Extracting an article in groups of paragraphs, so a shell can yield between groups and a long article
//! never blocks a page for long; then one clustering over the whole article, so entity ids span groups.
//!
//! The shell drives it: [`GroupedExtraction::next_action`] until it returns `None`, dispatching each
//! [`Action::Suggest`] (and yielding to the browser between them), then [`GroupedExtraction::finish`].
//! Each group is extracted on its own and its annotations are renumbered and shifted to article offsets
//! here, so the actions are exactly what one extraction of the whole text would give, group by group.

use super::action::Action;
use super::article::Article;
use crate::annotation::{Annotation, EntityType};
use crate::cluster::cluster;

/// Articles up to this many code points are extracted in one group.
pub const ONE_GO: usize = 40_000;
/// Code points per group for longer articles (about 3,000 words).
const GROUP: usize = 20_000;

/// The state of a grouped extraction of one article.
#[derive(Debug)]
pub struct GroupedExtraction {
    groups: Vec<(usize, usize)>,
    next: usize,
    next_id: usize,
    all: Vec<Annotation>,
}

impl GroupedExtraction {
    pub fn new(article: &Article) -> Self {
        let groups = if article.len_chars <= ONE_GO {
            vec![(0, article.len_chars)]
        } else {
            groups(&article.paragraphs, GROUP)
        };
        GroupedExtraction {
            groups,
            next: 0,
            next_id: 1,
            all: Vec::new(),
        }
    }

    /// How many groups there are.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// Extracts the next group: its suggestions, or `None` when every group is done.
    pub fn next_action(&mut self, article: &Article) -> Option<Action> {
        let &(start, end) = self.groups.get(self.next)?;
        self.next += 1;
        let text = article.slice(start, end).expect("groups lie inside the article");
        let mut found = crate::extract(text);
        for a in &mut found {
            a.start += start;
            a.end += start;
            a.id = format!("x{}", self.next_id);
            self.next_id += 1;
        }
        if self.groups.len() > 1 {
            self.all.extend(found.iter().cloned());
        }
        Some(Action::Suggest {
            annotations: found,
            last: self.next == self.groups.len(),
        })
    }

    /// After the last group: the entity ids over the whole article, when there was more than one group.
    pub fn finish(self) -> Option<Action> {
        (self.groups.len() > 1).then(|| Action::Relink(relink(&self.all)))
    }
}

/// Paragraph-aligned `(start, end)` groups of about `size` code points.
/// The article's paragraphs in groups of about `size` code points, as `(start, end)`: the chunks a
/// long task over the text (extraction, re-suggestion) does one at a time.
pub fn paragraph_groups(article: &Article, size: usize) -> Vec<(usize, usize)> {
    groups(&article.paragraphs, size)
}

fn groups(paragraphs: &[crate::document::Paragraph], size: usize) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for p in paragraphs {
        match out.last_mut() {
            Some(g) if p.end - g.0 <= size => g.1 = p.end,
            _ => out.push((p.start, p.end)),
        }
    }
    out
}

/// `(id, entity, canonical)` of every machine mention, clustered over the whole article.
fn relink(all: &[Annotation]) -> Vec<(String, String, String)> {
    let mentions: Vec<(EntityType, &str)> = all
        .iter()
        .map(|a| (a.label.parse().unwrap_or(EntityType::Misc), a.text.as_str()))
        .collect();
    all.iter()
        .zip(cluster(&mentions))
        .map(|(a, (entity, canonical))| (a.id.clone(), entity, canonical))
        .collect()
}
