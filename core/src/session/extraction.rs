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

    /// Extracts the next group here, on this thread: its suggestions, or `None` when every group is done.
    pub fn next_action(&mut self, article: &Article) -> Option<Action> {
        let text = self.next_text(article)?;
        let found = crate::extract(text);
        Some(self.take(found))
    }

    /// The texts of the groups not taken yet, in order: a shell that extracts elsewhere (a Web Worker)
    /// sends each to [`crate::extract`] there and hands the results back to [`GroupedExtraction::take`]
    /// in the same order.
    pub fn remaining_texts<'a>(&self, article: &'a Article) -> Vec<&'a str> {
        self.groups[self.next.min(self.groups.len())..]
            .iter()
            .map(|&(start, end)| article.slice(start, end).expect("groups lie inside the article"))
            .collect()
    }

    fn next_text<'a>(&self, article: &'a Article) -> Option<&'a str> {
        let &(start, end) = self.groups.get(self.next)?;
        Some(article.slice(start, end).expect("groups lie inside the article"))
    }

    /// The next group's suggestions from `found`, what [`crate::extract`] gave for that group's text
    /// (offsets within it): shifted to article offsets and numbered across groups.
    /// Panics when every group is taken already (a shell bug: one result per text of `remaining_texts`).
    pub fn take(&mut self, mut found: Vec<Annotation>) -> Action {
        let &(start, _) = self.groups.get(self.next).expect("a group is left to take");
        self.next += 1;
        for a in &mut found {
            a.start += start;
            a.end += start;
            a.id = format!("x{}", self.next_id);
            self.next_id += 1;
        }
        if self.groups.len() > 1 {
            self.all.extend(found.iter().cloned());
        }
        Action::Suggest {
            annotations: found,
            last: self.next == self.groups.len(),
        }
    }

    /// After the last group: the entity ids over the whole article, when there was more than one group.
    pub fn finish(self) -> Option<Action> {
        (self.groups.len() > 1).then(|| Action::Relink(relink(&self.all)))
    }

    /// The same relinking as [`GroupedExtraction::finish`], one entity type per step, each clustered when
    /// it is asked for: mentions of different types never share an entity, so the steps together give
    /// exactly `finish()`'s ids, and a shell can yield between them (clustering every mention of a
    /// 100,000-word article at once is one long task). Types whose ids do not change have no step; none
    /// when there was one group.
    pub fn relink_steps(self) -> impl Iterator<Item = Action> {
        let all = if self.groups.len() > 1 { self.all } else { Vec::new() };
        let mut types: Vec<String> = all.iter().map(|a| a.label.clone()).collect();
        types.sort();
        types.dedup();
        // A type whose ids all stay as their groups gave them needs no step (it would change nothing).
        types.into_iter().filter_map(move |label| {
            let of_type: Vec<Annotation> = all.iter().filter(|a| a.label == label).cloned().collect();
            let links = relink(&of_type);
            (!links.is_empty()).then_some(Action::Relink(links))
        })
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

/// `(id, entity, canonical)` of every machine mention whose entity, clustered over the whole article,
/// differs from its group's: only those change, so applying the relink touches only their paragraphs.
fn relink(all: &[Annotation]) -> Vec<(String, String, String)> {
    let mentions: Vec<(EntityType, &str)> = all
        .iter()
        .map(|a| (a.label.parse().unwrap_or(EntityType::Misc), a.text.as_str()))
        .collect();
    all.iter()
        .zip(cluster(&mentions))
        .filter(|(a, (entity, canonical))| a.entity != *entity || a.canonical != *canonical)
        .map(|(a, (entity, canonical))| (a.id.clone(), entity, canonical))
        .collect()
}
