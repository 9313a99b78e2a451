//! A tab's share of a collection's learned weights: what it adds to the one stored total, and how it takes
//! part of that back without touching what other tabs (or other widgets of a site) added.
//!
//! Why: storage holds one overlay per collection (per site for an embedded widget), the sum of everything
//! every tab taught. A tab that saved "the total it loaded plus its own learning" would drop whatever another
//! tab saved meanwhile (the last save wins). So each tab keeps apart the part it contributed and, to save,
//! reads the stored total again, takes out what it wrote last and puts in what it contributes now. Kept on
//! the overlay's exact grid ([`Overlay::on_grid`]), those sums do not depend on the order the tabs saved in,
//! and a tab's undo removes exactly its own part. When another tab saves, [`LearnedShare::observe`] takes the
//! new total as everyone else's part, so this tab suggests with both.
//!
//! Pure bookkeeping: the shell reads and writes storage and learns ([`super::learned`] over
//! [`LearnedShare::base`]); this only does the arithmetic.

use crate::tagger::Overlay;

/// One tab's view of a shared learned total (see the module docs).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LearnedShare {
    /// The stored total as last read, without this tab's written part: everyone else's learning.
    others: Overlay,
    /// What this tab contributed before its current article (earlier articles of a collection, imports).
    earlier: Overlay,
    /// What this tab contributes now: `earlier` plus what its article's reviewed sentences teach.
    mine: Overlay,
    /// The part of the stored total this tab wrote (`mine` as of its last successful save).
    written: Overlay,
    /// `written` before the last save: what the total holds of this tab when another tab's save, made
    /// on the total before it, overwrote that save ([`LearnedShare::lost_last_save`]).
    written_before: Overlay,
}

impl LearnedShare {
    /// A tab starting on the stored total `stored` (everyone else's, so far).
    pub fn new(stored: Option<&Overlay>) -> LearnedShare {
        LearnedShare {
            others: stored.map(Overlay::on_grid).unwrap_or_default(),
            ..LearnedShare::default()
        }
    }

    /// What the current article's lessons are learned over: everyone else's learning and this tab's earlier.
    pub fn base(&self) -> Overlay {
        self.others.plus(&self.earlier)
    }

    /// The weights to suggest with: everyone else's learning and this tab's.
    pub fn current(&self) -> Overlay {
        self.others.plus(&self.mine)
    }

    /// This tab's part now.
    pub fn mine(&self) -> &Overlay {
        &self.mine
    }

    /// Whether this tab's part has changed since it was last written.
    pub fn unsaved(&self) -> bool {
        self.mine != self.written
    }

    /// The overlay learned over [`LearnedShare::base`] (that plus the article's lessons) becomes this tab's
    /// part: what it holds beyond everyone else's learning, on the grid. Returns whether
    /// [`LearnedShare::current`] changed.
    pub fn set_learned(&mut self, learned: &Overlay) -> bool {
        let mine = learned.minus(&self.others).on_grid();
        let changed = mine != self.mine;
        self.mine = mine;
        changed
    }

    /// Adds imported weights to this tab's part (they stay when the article changes).
    pub fn import(&mut self, other: &Overlay) {
        let other = other.on_grid();
        self.earlier.merge(&other);
        self.mine.merge(&other);
    }

    /// The tab moves to another article: what the last one taught stays this tab's part, under the next
    /// article's lessons.
    pub fn next_article(&mut self) {
        self.earlier = self.mine.clone();
    }

    /// The total to store, given the total stored now (`None`: nothing, or unreadable): that, without what
    /// this tab wrote last, with what it contributes now.
    pub fn to_store(&self, stored: Option<&Overlay>) -> Overlay {
        let mut total = stored.map(Overlay::on_grid).unwrap_or_default();
        total.take(&self.written);
        total.merge(&self.mine);
        total
    }

    /// `total` (from [`LearnedShare::to_store`]) was stored.
    pub fn saved(&mut self, total: &Overlay) {
        self.written_before = std::mem::replace(&mut self.written, self.mine.clone());
        self.others = total.minus(&self.written);
    }

    /// Another tab's save was computed on the total this tab's last save replaced, so it overwrote that
    /// save: the total holds this tab's part as it was before. Call before [`LearnedShare::observe`] of
    /// that total; this tab's part is then unsaved again, and its next save puts it back.
    pub fn lost_last_save(&mut self) {
        self.written = self.written_before.clone();
    }

    /// Another tab saved: `stored` is the total now. Everything else it holds is everyone else's
    /// learning. Nothing stored any more (`None`) means someone reset what was learned: this tab forgets
    /// too, its own part included. Returns whether [`LearnedShare::current`] changed.
    pub fn observe(&mut self, stored: Option<&Overlay>) -> bool {
        let before = self.current();
        match stored {
            Some(total) => self.others = total.on_grid().minus(&self.written),
            None => *self = LearnedShare::default(),
        }
        self.current() != before
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tagger::N_TAGS;
    use proptest::prelude::*;

    /// An overlay of `(feature, tag, delta)` moves (stage 0), as the tagger's learning would make them.
    fn overlay(moves: &[(u32, usize, f32)]) -> Overlay {
        let mut o = Overlay::new();
        for &(f, to, step) in moves {
            o.nudge(0, &[f], &[], to % N_TAGS, 0, step);
        }
        o
    }

    /// One tab saving `learned` into `stored`: what it writes.
    fn save(tab: &mut LearnedShare, learned: &Overlay, stored: &Option<Overlay>) -> Overlay {
        tab.set_learned(&tab.base().plus(learned));
        let total = tab.to_store(stored.as_ref());
        tab.saved(&total);
        total
    }

    #[test]
    fn two_tabs_keep_each_others_learning_and_undo_only_their_own() {
        let a = overlay(&[(1, 1, 0.3), (2, 3, 0.7)]).on_grid();
        let b = overlay(&[(2, 5, 0.2), (9, 1, 1.1)]).on_grid();
        let (mut ta, mut tb) = (LearnedShare::new(None), LearnedShare::new(None));
        let stored = Some(save(&mut ta, &a, &None));
        // B has not seen A's save: it still adds to, not replaces, the stored total.
        let stored = Some(save(&mut tb, &b, &stored));
        assert_eq!(stored, Some(a.plus(&b)));
        assert!(
            ta.observe(stored.as_ref()),
            "A now suggests with B's learning too"
        );
        assert_eq!(ta.current(), a.plus(&b));
        // A's undo: its article teaches nothing any more.
        ta.set_learned(&ta.base());
        let stored = ta.to_store(stored.as_ref());
        assert_eq!(stored, b, "only B's learning is left, exactly");
        // Someone reset: both forget.
        assert!(tb.observe(None));
        assert_eq!((tb.current(), tb.unsaved()), (Overlay::new(), false));
    }

    #[test]
    fn a_save_overwritten_by_a_tab_that_had_not_seen_it_is_put_back() {
        let (a1, a2) = (
            overlay(&[(1, 1, 0.5)]).on_grid(),
            overlay(&[(1, 1, 0.75), (3, 3, 0.25)]).on_grid(),
        );
        let b = overlay(&[(7, 5, 1.5)]).on_grid();
        let (mut ta, mut tb) = (LearnedShare::new(None), LearnedShare::new(None));
        let t0 = save(&mut ta, &a1, &None);
        tb.observe(Some(&t0));
        // A saves its next step; B, not having seen it yet, saves on the total before it, and wins.
        let _t1 = save(&mut ta, &a2, &Some(t0.clone()));
        let t2 = save(&mut tb, &b, &Some(t0));
        assert_eq!(t2, a1.plus(&b), "A's last step is missing");
        ta.lost_last_save();
        ta.observe(Some(&t2));
        assert!(ta.unsaved());
        let t3 = ta.to_store(Some(&t2));
        assert_eq!(t3, a2.plus(&b), "A's part is whole again, B's kept");
        ta.saved(&t3);
        tb.observe(Some(&t3));
        assert_eq!((ta.current(), tb.current()), (t3.clone(), t3));
    }

    #[test]
    fn a_tab_alone_stores_exactly_what_it_suggests_with() {
        let mut t = LearnedShare::new(None);
        let learned = overlay(&[(4, 1, 0.123_456), (5, 7, 3.3)]);
        t.set_learned(&learned);
        let total = t.to_store(None);
        t.saved(&total);
        assert_eq!(total, t.current());
        assert_eq!(total, learned.on_grid());
        assert!(!t.unsaved());
        // The next article: the last one's lesson stays this tab's, under the next one's.
        t.next_article();
        assert_eq!(t.base(), total);
    }

    #[test]
    fn imports_add_to_this_tabs_part() {
        let stored = overlay(&[(1, 1, 0.5)]).on_grid();
        let mut t = LearnedShare::new(Some(&stored));
        let imported = overlay(&[(2, 3, 0.25)]);
        t.import(&imported);
        assert_eq!(t.current(), stored.plus(&imported));
        assert_eq!(t.to_store(Some(&stored)), stored.plus(&imported));
    }

    fn moves() -> impl Strategy<Value = Vec<(u32, usize, f32)>> {
        prop::collection::vec((0u32..12, 0usize..N_TAGS, -40.0f32..40.0), 0..8)
    }

    proptest! {
        /// However the tabs' saves interleave, the stored total is the same, bit for bit, and is every
        /// tab's last learning added up; a tab taking its learning back (undo) leaves exactly the others'.
        #[test]
        fn saves_in_any_order_give_the_same_total(
            lessons in prop::collection::vec(prop::collection::vec(moves(), 1..4), 1..5),
            order in prop::collection::vec(0usize..100, 0..30),
            undo in 0usize..5,
        ) {
            // Each tab saves its lessons in turn (each a new learning replacing its last); `order` picks which
            // tab saves next, then every tab's remaining saves run.
            let mut tabs: Vec<LearnedShare> = lessons.iter().map(|_| LearnedShare::new(None)).collect();
            let mut left: Vec<usize> = lessons.iter().map(Vec::len).collect();
            let mut turns: Vec<usize> = Vec::new();
            for pick in order {
                let t = pick % lessons.len();
                if left[t] > 0 {
                    left[t] -= 1;
                    turns.push(t);
                }
            }
            for (t, n) in left.iter().enumerate() {
                turns.extend(std::iter::repeat_n(t, *n));
            }
            let mut next = vec![0usize; lessons.len()];
            let mut stored: Option<Overlay> = None;
            for t in turns {
                let learned = overlay(&lessons[t][next[t]]).on_grid();
                next[t] += 1;
                stored = Some(save(&mut tabs[t], &learned, &stored));
            }
            let last = |t: usize| overlay(lessons[t].last().expect("a lesson")).on_grid();
            let mut expected = Overlay::new();
            for t in 0..lessons.len() {
                expected.merge(&last(t));
            }
            prop_assert_eq!(stored.clone(), Some(expected));
            // Every tab, once it has seen the last save, suggests with the same total.
            for tab in tabs.iter_mut() {
                tab.observe(stored.as_ref());
                prop_assert_eq!(Some(tab.current()), stored.clone());
            }
            // One tab undoes everything it taught: exactly the others' learning stays.
            let u = undo % lessons.len();
            let base = tabs[u].base();
            tabs[u].set_learned(&base);
            let after = tabs[u].to_store(stored.as_ref());
            let mut others = Overlay::new();
            for t in (0..lessons.len()).filter(|&t| t != u) {
                others.merge(&last(t));
            }
            prop_assert_eq!(after, others);
        }
    }
}
