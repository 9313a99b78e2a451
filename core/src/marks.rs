//! Nesting annotations into a tree for rendering.
//!
//! User annotations may nest or cross. HTML needs properly nested elements, so crossing spans are cut at
//! the boundary of the span they cross; each piece still knows which annotation it belongs to, and the first
//! piece is the mention's primary element.

/// One element to render: the annotation at `index` (into the caller's slice) covering `start..end`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkNode {
    pub index: usize,
    pub start: usize,
    pub end: usize,
    /// False for the second and later pieces of a span cut by a crossing one.
    pub primary: bool,
    /// How many marks enclose this one; drives the stacked underline offset.
    pub depth: usize,
    pub children: Vec<MarkNode>,
}

/// Builds the forest for `spans` (`(start, end)` pairs, any order) inside `lo..hi`; spans are clipped to
/// that window and empty ones dropped. Outer (longer) spans enclose inner ones that start at the same place.
pub fn nest(spans: &[(usize, usize)], lo: usize, hi: usize) -> Vec<MarkNode> {
    let mut order: Vec<usize> = (0..spans.len())
        .filter(|&i| spans[i].0.max(lo) < spans[i].1.min(hi))
        .collect();
    order.sort_by(|&a, &b| {
        spans[a]
            .0
            .cmp(&spans[b].0)
            .then(spans[b].1.cmp(&spans[a].1))
            .then(a.cmp(&b))
    });
    // Pieces waiting to be placed: (start, end, index, primary), kept sorted by the same order.
    let mut pending: Vec<(usize, usize, usize, bool)> = order
        .iter()
        .map(|&i| (spans[i].0.max(lo), spans[i].1.min(hi), i, true))
        .collect();
    pending.reverse(); // pop() takes the next in order
    let mut roots: Vec<MarkNode> = Vec::new();
    // Path of open nodes as indices into the tree: stack of child positions.
    let mut stack: Vec<(usize, usize)> = Vec::new(); // (end, depth) of open nodes
    let mut path: Vec<usize> = Vec::new();
    while let Some((s, e, idx, primary)) = pending.pop() {
        while let Some(&(open_end, _)) = stack.last() {
            if open_end <= s {
                stack.pop();
                path.pop();
            } else {
                break;
            }
        }
        let (e, rest) = match stack.last() {
            Some(&(open_end, _)) if e > open_end => (open_end, Some((open_end, e, idx, false))),
            _ => (e, None),
        };
        if let Some(piece) = rest {
            // Insert keeping pending sorted (pending is reversed: larger keys first).
            let key = |p: &(usize, usize, usize, bool)| (p.0, std::cmp::Reverse(p.1), p.2);
            let pos = pending
                .iter()
                .position(|p| key(p) < key(&piece))
                .unwrap_or(pending.len());
            pending.insert(pos, piece);
        }
        let depth = stack.len();
        let node = MarkNode {
            index: idx,
            start: s,
            end: e,
            primary,
            depth,
            children: Vec::new(),
        };
        let siblings = children_at(&mut roots, &path);
        siblings.push(node);
        path.push(siblings.len() - 1);
        stack.push((e, depth));
    }
    roots
}

fn children_at<'a>(roots: &'a mut Vec<MarkNode>, path: &[usize]) -> &'a mut Vec<MarkNode> {
    let mut cur = roots;
    for &i in path {
        cur = &mut cur[i].children;
    }
    cur
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat(nodes: &[MarkNode], out: &mut Vec<(usize, usize, usize, usize, bool)>) {
        for n in nodes {
            out.push((n.index, n.start, n.end, n.depth, n.primary));
            flat(&n.children, out);
        }
    }

    #[test]
    fn disjoint_spans_are_siblings() {
        let t = nest(&[(5, 8), (0, 3)], 0, 10);
        assert_eq!(t.iter().map(|n| n.index).collect::<Vec<_>>(), [1, 0]);
        assert!(t.iter().all(|n| n.children.is_empty()));
    }

    #[test]
    fn nested_spans_nest() {
        let t = nest(&[(2, 4), (0, 10)], 0, 10);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].index, 1);
        assert_eq!(t[0].children[0].index, 0);
        assert_eq!(t[0].children[0].depth, 1);
    }

    #[test]
    fn crossing_span_is_cut_into_pieces() {
        let t = nest(&[(0, 5), (3, 8)], 0, 10);
        let mut f = Vec::new();
        flat(&t, &mut f);
        assert_eq!(
            f,
            [(0, 0, 5, 0, true), (1, 3, 5, 1, true), (1, 5, 8, 0, false)]
        );
    }

    #[test]
    fn clips_to_window_and_drops_outside() {
        let t = nest(&[(0, 5), (8, 12), (20, 30)], 3, 10);
        let mut f = Vec::new();
        flat(&t, &mut f);
        assert_eq!(f, [(0, 3, 5, 0, true), (1, 8, 10, 0, true)]);
    }
}
