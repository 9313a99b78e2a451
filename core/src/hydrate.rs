//! Reading back marks rendered ahead of time ([`crate::html::render`], `sahifa render`), so a widget
//! mounted on a CMS page adopts the marks the page already shows instead of extracting again.
//!
//! Why a core function and not DOM code: what makes a rendered page trustworthy is a decision (is this
//! render ours, of this text, complete, and does every mark make sense?), and decisions live in the core,
//! tested natively. The shell only reads attributes ([`Attributes`]) off the article element and its
//! primary marks (`mark[data-start]`) and hands them here. A render that cannot be trusted is an
//! [`HydrateError`] saying why, and the shell falls back to extracting the text as if nothing were marked:
//! a stale page (the text edited after it was rendered) costs an extraction, never wrong marks.

use crate::annotation::{Annotation, EntityType, Source, Status};
use crate::formats::{parse_source, parse_status};
use crate::offsets::OffsetMap;
use std::collections::HashSet;

/// The version of the render format, `data-sahifa-rendered` on the article element.
pub const RENDER_VERSION: u32 = 1;

/// The checksum of a text that a render carries (`data-sahifa-text`): CRC-32 of its UTF-8 bytes and its
/// length in code points, so an edited text is told apart from the one the marks were made for.
pub fn text_checksum(text: &str) -> String {
    format!("crc32:{:08x}:{}", crate::tagger::hash::crc32(text.as_bytes()), text.chars().count())
}

/// An element's attributes as the shell reads them (`getAttribute`): `None` when absent.
pub trait Attributes {
    fn attr(&self, name: &str) -> Option<String>;
}

/// The heading level a rendered paragraph carries ([`crate::html::render_with_headings`]: `role="heading"
/// aria-level="N"`, N from 1 to 6), or `None` for a body paragraph and for renders made before headings
/// were kept (every paragraph then reads as a body paragraph, as it did).
pub fn heading_level(paragraph: &impl Attributes) -> Option<u8> {
    if paragraph.attr("role").as_deref() != Some("heading") {
        return None;
    }
    paragraph
        .attr("aria-level")?
        .trim()
        .parse::<u8>()
        .ok()
        .filter(|l| (1..=6).contains(l))
}

/// Why a rendered article's marks cannot be adopted as they are.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HydrateError {
    #[error("the article carries no data-sahifa-rendered marker")]
    NotRendered,
    #[error("render format {found:?} is not the one this widget reads ({RENDER_VERSION})")]
    Version { found: String },
    #[error("the text changed since it was rendered (rendered for {rendered}, the page holds {now})")]
    Stale { rendered: String, now: String },
    #[error("the render wrote {said} marks but the page holds {found}")]
    Count { said: String, found: usize },
    #[error("mark {index}: {why}")]
    Mark { index: usize, why: String },
}

/// The annotations of a rendered article whose text content is `text`: `article` is the element carrying
/// the marker, `marks` its primary marks in any order, `is_label` says which labels the widget knows
/// besides the six built-in types. Pure: the same attributes always give the same annotations.
pub fn hydrate<A: Attributes>(
    text: &str,
    article: &impl Attributes,
    marks: &[A],
    is_label: impl Fn(&str) -> bool,
) -> Result<Vec<Annotation>, HydrateError> {
    let version = article.attr("data-sahifa-rendered").ok_or(HydrateError::NotRendered)?;
    if version.trim() != RENDER_VERSION.to_string() {
        return Err(HydrateError::Version { found: version });
    }
    let now = text_checksum(text);
    let rendered = article.attr("data-sahifa-text").unwrap_or_default();
    if rendered != now {
        return Err(HydrateError::Stale { rendered, now });
    }
    let said = article.attr("data-sahifa-marks").unwrap_or_default();
    if said.parse::<usize>().ok() != Some(marks.len()) {
        return Err(HydrateError::Count {
            said,
            found: marks.len(),
        });
    }
    let map = OffsetMap::new(text);
    let mut ids = HashSet::new();
    let mut out = Vec::with_capacity(marks.len());
    for (index, m) in marks.iter().enumerate() {
        let bad = |why: String| HydrateError::Mark { index, why };
        let a = annotation(m, &map, text, &is_label).map_err(bad)?;
        if !ids.insert(a.id.clone()) {
            return Err(bad(format!("id {:?} is used twice", a.id)));
        }
        out.push(a);
    }
    out.sort_by_key(|a| (a.start, std::cmp::Reverse(a.end)));
    Ok(out)
}

fn annotation(
    m: &impl Attributes,
    map: &OffsetMap,
    text: &str,
    is_label: &impl Fn(&str) -> bool,
) -> Result<Annotation, String> {
    let get = |name: &str| m.attr(name).ok_or_else(|| format!("no {name}"));
    let nonempty = |name: &str| get(name).and_then(|v| if v.is_empty() { Err(format!("empty {name}")) } else { Ok(v) });
    let offset = |name: &str| {
        let v = get(name)?;
        v.parse::<usize>().map_err(|_| format!("{name} {v:?} is not an offset"))
    };
    let (start, end) = (offset("data-start")?, offset("data-end")?);
    let range = map
        .byte_range(start, end)
        .filter(|_| start < end)
        .ok_or_else(|| format!("{start}..{end} is not a span of the text"))?;
    let label = nonempty("data-type")?;
    if label.parse::<EntityType>().is_err() && !is_label(&label) {
        return Err(format!("label {label:?} is not one the widget knows"));
    }
    let source = get("data-source")?;
    let source: Source = parse_source(&source).ok_or_else(|| format!("data-source {source:?}"))?;
    let status = get("data-status")?;
    let status: Status = parse_status(&status).ok_or_else(|| format!("data-status {status:?}"))?;
    if status == Status::Rejected || (source == Source::User && status != Status::Accepted) {
        return Err(format!("a {} annotation cannot be shown as {status:?}", source.as_str()));
    }
    let confidence = match m.attr("data-confidence") {
        None => None,
        // A JSON number, as the render writes it; serde_json's parser rather than `str::parse`, whose table
        // of powers of five is about 19 kB of the widget's gzipped wasm.
        Some(c) => Some(
            serde_json::from_str::<f32>(&c)
                .ok()
                .filter(|c| c.is_finite())
                .ok_or_else(|| format!("data-confidence {c:?}"))?,
        ),
    };
    Ok(Annotation {
        id: nonempty("data-id")?,
        start,
        end,
        label,
        text: text[range].to_string(),
        entity: nonempty("data-entity")?,
        canonical: m.attr("data-canonical").unwrap_or_default(),
        source,
        status,
        note: m.attr("data-note"),
        confidence,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::html::render;

    /// An element read from rendered HTML: its attributes by name.
    struct El(Vec<(String, String)>);

    impl Attributes for El {
        fn attr(&self, name: &str) -> Option<String> {
            self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone())
        }
    }

    /// The attributes of every start tag named `tag` in `html` (the renderer's own output: double quotes).
    fn tags(html: &str, tag: &str) -> Vec<El> {
        let open = format!("<{tag} ");
        html.match_indices(&open)
            .map(|(i, _)| {
                let inner = &html[i + open.len()..];
                let inner = &inner[..inner.find('>').unwrap()];
                El(crate::html::tests::attrs(inner))
            })
            .collect()
    }

    #[test]
    fn heading_levels_read_back_and_old_renders_have_none() {
        let text = "عنوان\n\nفقرة أولى\n\nعنوان فرعي";
        let html = crate::html::render_with_headings(text, &[], &[Some(1), None, Some(3)]);
        let levels: Vec<Option<u8>> = tags(&html, "p").iter().map(heading_level).collect();
        assert_eq!(levels, [Some(1), None, Some(3)]);
        let old: Vec<Option<u8>> = tags(&render(text, &[]), "p").iter().map(heading_level).collect();
        assert_eq!(old, [None, None, None]);
        let odd = El(vec![("role".into(), "heading".into()), ("aria-level".into(), "9".into())]);
        assert_eq!(heading_level(&odd), None, "levels outside 1..6 are not headings");
    }

    /// What a shell reads off a rendered page: the article element and its primary marks.
    fn read(html: &str) -> (El, Vec<El>) {
        let article = tags(html, "article").remove(0);
        let marks = tags(html, "mark").into_iter().filter(|m| m.attr("data-start").is_some()).collect();
        (article, marks)
    }

    fn sorted(mut v: Vec<Annotation>) -> Vec<Annotation> {
        v.sort_by_key(|a| (a.start, std::cmp::Reverse(a.end)));
        v
    }

    #[test]
    fn the_seed_articles_render_hydrates_to_its_extraction() {
        let text = crate::SEED_ARTICLE;
        let found = crate::extract(text);
        let (article, marks) = read(&render(text, &found));
        let back = hydrate(text, &article, &marks, |_| false).expect("hydrates");
        assert_eq!(back, sorted(found));
    }

    #[test]
    fn reviewed_work_with_notes_and_custom_labels_comes_back_exactly() {
        let text = "زار \"أحمد\" & علي باريس\n\nفقرة ثانية عن مصر";
        let mut a = Annotation::user("u1", 4, 10, "شخصية", "\"أحمد\"");
        a.entity = "شخصية:احمد".into();
        a.note = Some("ملاحظة \"مقتبسة\" <هنا>".into());
        let mut b = Annotation::user("x2", 17, 22, "LOC", "باريس");
        b.entity = "LOC:باريس".into();
        b.canonical = "باريس".into();
        b.confidence = Some(0.8123457);
        let mut c = b.clone();
        (c.id, c.source, c.status, c.start, c.end, c.text) =
            ("x3".into(), Source::Extractor, Status::Suggested, 38, 41, "مصر".into());
        let mut rejected = c.clone();
        (rejected.id, rejected.status, rejected.start, rejected.end, rejected.text) =
            ("x4".into(), Status::Rejected, 24, 28, "فقرة".into());
        let html = render(text, &[a.clone(), b.clone(), c.clone(), rejected]);
        let (article, marks) = read(&html);
        assert_eq!(marks.len(), 3, "a rejected suggestion is not shown, so not rendered");
        let back = hydrate(text, &article, &marks, |l| l == "شخصية").expect("hydrates");
        assert_eq!(back, vec![a, b, c]);
        let err = hydrate(text, &article, &marks, |_| false).unwrap_err();
        assert!(matches!(&err, HydrateError::Mark { why, .. } if why.contains("شخصية")), "{err}");
    }

    #[test]
    fn a_stale_render_is_refused() {
        let text = crate::SEED_ARTICLE;
        let (article, marks) = read(&render(text, &crate::extract(text)));
        let edited = text.replacen("موسكو", "باريس", 1);
        let err = hydrate(&edited, &article, &marks, |_| false).unwrap_err();
        assert!(matches!(err, HydrateError::Stale { .. }), "{err}");
        // Same length, one letter changed: still told apart.
        let mut chars: Vec<char> = text.chars().collect();
        chars[5] = if chars[5] == 'ا' { 'ب' } else { 'ا' };
        let same_len: String = chars.into_iter().collect();
        assert!(matches!(hydrate(&same_len, &article, &marks, |_| false), Err(HydrateError::Stale { .. })));
    }

    #[test]
    fn a_foreign_or_tampered_render_says_why() {
        let text = "زار أحمد باريس";
        let mut a = Annotation::user("u1", 4, 8, "PER", "أحمد");
        a.entity = "PER:احمد".into();
        let (article, marks) = read(&render(text, &[a]));
        assert_eq!(hydrate(text, &El(vec![]), &marks, |_| false), Err(HydrateError::NotRendered));
        let mut v2 = El(article.0.clone());
        v2.0.iter_mut().find(|(n, _)| n == "data-sahifa-rendered").unwrap().1 = "2".into();
        assert!(matches!(hydrate(text, &v2, &marks, |_| false), Err(HydrateError::Version { .. })));
        assert!(matches!(hydrate(text, &article, &marks[..0], |_| false), Err(HydrateError::Count { .. })));
        let tamper = |name: &str, value: Option<&str>| {
            let mut m = El(marks[0].0.clone());
            m.0.retain(|(n, _)| n != name);
            if let Some(v) = value {
                m.0.push((name.into(), v.into()));
            }
            match hydrate(text, &article, &[m], |_| false) {
                Err(HydrateError::Mark { index: 0, why }) => why,
                other => panic!("{name}={value:?}: {other:?}"),
            }
        };
        assert!(tamper("data-start", None).contains("no data-start"));
        assert!(tamper("data-end", Some("99")).contains("not a span"));
        assert!(tamper("data-end", Some("4")).contains("not a span"));
        assert!(tamper("data-start", Some("-1")).contains("not an offset"));
        assert!(tamper("data-source", Some("robot")).contains("robot"));
        assert!(tamper("data-status", Some("rejected")).contains("cannot be shown"));
        assert!(tamper("data-status", Some("suggested")).contains("cannot be shown"));
        assert!(tamper("data-entity", Some("")).contains("empty data-entity"));
        assert!(tamper("data-confidence", Some("NaN")).contains("data-confidence"));
        let twice = [El(marks[0].0.clone()), El(marks[0].0.clone())];
        let mut two = El(article.0.clone());
        two.0.iter_mut().find(|(n, _)| n == "data-sahifa-marks").unwrap().1 = "2".into();
        assert!(matches!(hydrate(text, &two, &twice, |_| false), Err(HydrateError::Mark { index: 1, why }) if why.contains("twice")));
    }

    #[test]
    fn checksums_tell_texts_apart() {
        assert_eq!(text_checksum("abc"), "crc32:352441c2:3");
        assert_ne!(text_checksum("ab"), text_checksum("abc"));
        assert_eq!(text_checksum("مصر").rsplit(':').next(), Some("3"), "length in code points");
    }
}
