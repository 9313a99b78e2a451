//! Running the core over the article without freezing the page.
//!
//! A short article is extracted in one go. A long one (a 100,000-word article takes over a second) is
//! extracted a group of paragraphs at a time, yielding to the browser between groups so no task blocks the
//! main thread for long; each group's marks appear as soon as they are found. When all groups are done,
//! the mentions are clustered once over the whole article, so entity ids span groups.
//! Saved work for the article, when there is some, is restored instead of extracting again.

use crate::state::Action;
use crate::storage;
use crate::store::Store;
use sahifa_core::cluster;
use sahifa_core::{slice_chars, OffsetMap};
use sahifa_core::{Annotation, EntityType};
use std::rc::Rc;

/// Articles up to this many code points are extracted in one task.
pub const ONE_GO: usize = 40_000;
/// Code points per group for longer articles (about 3,000 words).
pub const GROUP: usize = 20_000;

/// Restores saved work or extracts the store's article, then calls `done`. Stops early (without calling
/// `done`) if another article is loaded meanwhile.
pub fn run(store: Store, storage_key: Option<String>, done: impl FnOnce() + 'static) {
    let article = store.get().article.clone();
    if restore(&store, &storage_key) {
        done();
        return;
    }
    let st = store.get();
    if st
        .annotations
        .iter()
        .any(|a| a.source == sahifa_core::Source::Extractor)
    {
        // Already extracted when the state was made (a short article).
        done();
        return;
    }
    if article.len_chars <= ONE_GO {
        let found = sahifa_core::extract(&article.text);
        store.dispatch(Action::Suggest {
            annotations: found,
            last: true,
        });
        done();
        return;
    }
    yew::platform::spawn_local(async move {
        let map = OffsetMap::new(&article.text);
        let mut all: Vec<Annotation> = Vec::new();
        let mut next_id = 1;
        let groups = groups(&article.paragraphs, GROUP);
        for (i, (start, end)) in groups.iter().copied().enumerate() {
            gloo_timers::future::TimeoutFuture::new(0).await;
            if !Rc::ptr_eq(&store.get().article, &article) {
                return;
            }
            let bytes = map
                .byte_range(start, end)
                .expect("group inside the article");
            let mut found = sahifa_core::extract(&article.text[bytes]);
            // Each call numbers its own ids from x1: renumber, and shift to article offsets.
            for a in &mut found {
                a.start += start;
                a.end += start;
                a.id = format!("x{next_id}");
                next_id += 1;
            }
            all.extend(found.iter().cloned());
            store.dispatch(Action::Suggest {
                annotations: found,
                last: i + 1 == groups.len(),
            });
        }
        gloo_timers::future::TimeoutFuture::new(0).await;
        if !Rc::ptr_eq(&store.get().article, &article) {
            return;
        }
        store.dispatch(Action::Relink(relink(&all)));
        done();
    });
}

/// Paragraph-aligned `(start, end)` groups of about `size` code points.
fn groups(paragraphs: &[sahifa_core::Paragraph], size: usize) -> Vec<(usize, usize)> {
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

/// Applies saved work for the store's article; false when there is none that fits this text.
pub fn restore(store: &Store, key: &Option<String>) -> bool {
    let st = store.get();
    let key = key
        .clone()
        .unwrap_or_else(|| storage::key_for(&st.article.text));
    let Some(saved) = storage::load(&key) else {
        return false;
    };
    let len = st.article.len_chars;
    // A save that does not fit this text (a key reused for another article) is not applied.
    let fits = saved.annotations.iter().all(|a| {
        a.end <= len && slice_chars(&st.article.text, a.start, a.end) == Some(a.text.as_str())
    });
    if fits {
        store.dispatch(Action::Restore {
            annotations: saved.annotations,
            labels: saved.labels,
        });
    }
    fits
}
