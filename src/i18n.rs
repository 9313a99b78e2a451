//! The widget's words, in Arabic and English: one catalogue, so a message cannot exist in one language only.
//!
//! Every string the interface shows is a [`Msg`] key with both texts side by side (the `catalogue!` macro
//! makes a key without its two texts a compile error, and a test checks they are filled and carry the same
//! `{0}`, `{1}`… placeholders). The core's refusals and import reasons are typed ([`Refused`],
//! [`LabelError`], [`OrphanReason`], [`FormatError`]); they are translated here by variant, never shown as
//! the core's English sentence in the Arabic interface. The article itself is always Arabic and RTL; only
//! the chrome (toolbar, panels, cards, messages) follows [`Lang`].

use sahifa_core::collection::{CollectionError, Progress, MAX_ARTICLES};
use sahifa_core::formats::OrphanReason;
use sahifa_core::formats::{FormatError, Location};
use sahifa_core::session::{LabelError, Refused, SnapshotError};
use sahifa_core::EntityType;
use std::fmt::Display;

/// The interface language: Arabic (the default) or English.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    Ar,
    En,
}

impl Lang {
    /// `"ar"` or `"en"` (also `"ar-EG"`, `"en-GB"`…); anything else is `None`.
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        let primary = s.split(['-', '_']).next().unwrap_or("");
        match primary {
            "ar" => Some(Lang::Ar),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Ar => "ar",
            Lang::En => "en",
        }
    }

    /// The chrome's direction.
    pub fn dir(self) -> &'static str {
        match self {
            Lang::Ar => "rtl",
            Lang::En => "ltr",
        }
    }

    /// The other language (the standalone page's toggle).
    pub fn other(self) -> Lang {
        match self {
            Lang::Ar => Lang::En,
            Lang::En => Lang::Ar,
        }
    }
}

macro_rules! catalogue {
    ($($key:ident => $ar:literal, $en:literal;)*) => {
        /// A message key; [`Msg::text`] gives it in a language.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Msg { $($key),* }

        impl Msg {
            /// Every key, for the catalogue's test.
            pub const ALL: &'static [Msg] = &[$(Msg::$key),*];

            /// The Arabic and English texts.
            fn pair(self) -> (&'static str, &'static str) {
                match self { $(Msg::$key => ($ar, $en)),* }
            }
        }
    };
}

catalogue! {
    // Toolbar.
    Tools => "أدوات", "Tools";
    Undo => "↶ تراجع", "↶ Undo";
    UndoTitle => "تراجع (Ctrl+Z)", "Undo (Ctrl+Z)";
    Redo => "↷ إعادة", "↷ Redo";
    RedoTitle => "إعادة (Ctrl+Shift+Z)", "Redo (Ctrl+Shift+Z)";
    Export => "تصدير", "Export";
    ExportColon => "تصدير:", "Export:";
    ExportScope => "ما يُصدَّر", "What to export";
    ScopeAll => "كل شيء", "Everything";
    ScopeAllTitle => "كل التعليقات، ومعها الاقتراحات المرفوضة موسومةً بالرفض", "Every annotation, rejected suggestions included and marked as rejected";
    ScopeReviewed => "المراجَع فقط", "Reviewed only";
    ScopeReviewedTitle => "تعليقاتك والاقتراحات المقبولة فقط", "Your annotations and accepted suggestions only";
    OpenFile => "فتح ملف…", "Open file…";
    PasteArticle => "لصق مقال", "Paste article";
    AddLabel => "+ تسمية", "+ Label";
    ArticleText => "نص المقال", "Article text";
    PastePlaceholder => "الصق نص المقال هنا", "Paste the article text here";
    ShowArticle => "عرض المقال", "Show article";
    LabelName => "اسم التسمية", "Label name";
    NamePlaceholder => "الاسم", "Name";
    Color => "اللون", "Colour";
    KeyOptional => "المفتاح (اختياري)", "Key (optional)";
    Add => "إضافة", "Add";
    SwitchLang => "English", "العربية";
    SwitchLangTitle => "Show the interface in English", "اعرض الواجهة بالعربية";
    // Banners and the status line.
    AutosaveFailed => "تعذّر الحفظ التلقائي ({0}). عملك محفوظ في الذاكرة؛ صدّره كي لا يضيع.", "Autosave failed ({0}). Your work is kept in memory; export it so it is not lost.";
    Conflicts => "عُدّل {0} من التعليقات هنا وفي نافذة أخرى معًا؛ احتُفظ بالنسختين كلتيهما. راجعهما واحذف ما لا تريد.", "{0} annotations were changed both here and in another tab; both versions were kept. Review them and delete what you do not want.";
    Unreadable => "تعذّرت قراءة العمل المحفوظ لهذا المقال، فحُفظ جانبًا ولن يُكتب فوقه. ", "The saved work for this article could not be read, so it was set aside and will not be overwritten. ";
    DownloadSaved => "تنزيل العمل المحفوظ", "Download the saved work";
    Close => "إغلاق", "Close";
    StillToCome => "يجري استخراج الكيانات في بقية المقال؛ تظهر علاماتها تباعًا.", "Finding entities in the rest of the article; their marks appear as they are found.";
    TaggerToCome => "علامات المُعلِّم الآلي في الطريق؛ هذه من القوائم والقواعد.", "The tagger's marks are still to come; these are from the lists and rules.";
    TaggerUnavailable => "تعذّر تحميل بيانات المُعلِّم الآلي ({0})؛ العلامات من القوائم والقواعد وحدها.", "The tagger's data could not be loaded ({0}); the marks are from the lists and rules alone.";
    ArticleLabel => "المقال: حدّد نصًا بالفأرة أو بـ Shift والأسهم لتعليمه", "The article: select text with the mouse, or Shift and the arrows, to mark it";
    SidePanel => "لوحة الكيانات", "Entities panel";
    OrphansLabel => "تعليقات لم يُعثر على مكانها", "Annotations that could not be placed";
    OrphansTitle => "لم يُعثر على مكان {0} من التعليقات المستوردة", "{0} imported annotations could not be placed";
    CloseList => "إغلاق القائمة", "Close the list";
    ArticleLoaded => "حُمِّل المقال الجديد", "The new article is loaded";
    ArticleLoadFailed => "تعذّر تحميل المقال: {0}", "Could not load the article: {0}";
    UnknownFileKind => "{0}: نوع ملف غير معروف (.txt .html .json .ann .conll .jsonl .csv)", "{0}: unknown kind of file (.txt .html .json .ann .conll .jsonl .csv)";
    ImportFailed => "{0}: {1} — لم يتغير شيء", "{0}: {1} — nothing changed";
    Imported => "{0}: أُضيف {1}، حُدِّث {2}، مكرر {3}، بلا مكان {4}", "{0}: {1} added, {2} updated, {3} duplicates, {4} not placed";
    BinaryFile => "يبدو أنه ملف ثنائي لا نص", "this looks like a binary file, not text";
    EmptyText => "النص فارغ", "the text is empty";
    NotHtml => "الملف ليس HTML", "the file is not HTML";
    // Picker.
    PickerLabel => "اختر نوع الكيان", "Choose the entity type";
    RawTitle => "R: التحديد كما هو أو بعد إزالة السوابق", "R: the selection as made, or without its proclitics";
    AsSelected => "كما حُدِّد", "As selected";
    NoClitics => "بلا سوابق", "Without proclitics";
    Clipped => "قُصّ التحديد عند نهاية الفقرة: لا تعبر العلامة فقرتين.", "The selection was cut at the end of its paragraph: a mark cannot cross two paragraphs.";
    PickerHint => "1–9 للتعليم مباشرة · الأسهم ثم Enter · Esc للإلغاء", "1–9 mark at once · arrows then Enter · Esc cancels";
    Cancel => "إلغاء", "Cancel";
    ArticleReading => "أي {0}: بعد لام الجر تُكتب «ال» بلا ألف (ل + {0})، فاللام الباقية لام التعريف", "That is {0}: after the preposition ل the article ال loses its alef (ل + {0}); the ل kept is the article's";
    // The mark's card.
    DetailsLabel => "تفاصيل العلامة", "Mark details";
    Type => "النوع", "Type";
    Entity => "الكيان", "Entity";
    Source => "المصدر", "Source";
    SrcSuggested => "اقتراح آلي", "Machine suggestion";
    SrcRejected => "اقتراح مرفوض", "Rejected suggestion";
    SrcAccepted => "آلي، مقبول", "Machine, accepted";
    SrcUser => "المستخدم", "The user";
    Note => "ملاحظة", "Note";
    NotePlaceholder => "اكتب ملاحظة…", "Write a note…";
    Accept => "قبول", "Accept";
    Reject => "رفض", "Reject";
    Delete => "حذف", "Delete";
    // Marks, read aloud.
    MarkMachine => "اقتراح آلي", "machine suggestion";
    MarkUser => "معتمد", "confirmed";
    MarkHasNote => "، عليه ملاحظة", ", has a note";
    // Legend and entity list.
    LegendLabel => "دليل الأنواع", "Type legend";
    ReviewProgress => "رُوجع {0}، وبقي {1} اقتراحًا للمراجعة", "{0} reviewed, {1} suggestions to review";
    HideType => "إخفاء هذا النوع", "Hide this type";
    ShowType => "إظهار هذا النوع", "Show this type";
    Entities => "الكيانات", "Entities";
    FilterLabel => "تصفية الكيانات", "Filter the entities";
    FilterPlaceholder => "تصفية…", "Filter…";
    ReviewAll => "مراجعة كل الإشارات", "Review every mention";
    AcceptAllTitle => "قبول كل اقتراحات هذا الكيان", "Accept all of this entity's suggestions";
    AcceptN => "قبول {0} اقتراحات", "Accept {0} suggestions";
    RejectAllTitle => "رفض كل اقتراحات هذا الكيان", "Reject all of this entity's suggestions";
    RejectN => "رفض {0} اقتراحات", "Reject {0} suggestions";
    MentionsSr => " إشارة", " mentions";
    PrevMention => "الإشارة السابقة (P)", "Previous mention (P)";
    NextMention => "الإشارة التالية (N)", "Next mention (N)";
    MentionOf => "الإشارة {0} من {1}", "Mention {0} of {1}";
    // Find in the article.
    FindLabel => "بحث في المقال", "Find in the article";
    FindPlaceholder => "بحث في المقال…", "Find in the article…";
    FindPrev => "المطابقة السابقة", "Previous match";
    FindNext => "المطابقة التالية", "Next match";
    FindCount => "{0} من {1}", "{0} of {1}";
    FindNone => "لا مطابقة", "No match";
    // Entity types.
    TypePer => "شخص", "Person";
    TypeLoc => "مكان", "Place";
    TypeOrg => "منظمة", "Organisation";
    TypeMisc => "اسم آخر", "Other name";
    TypeDate => "تاريخ", "Date";
    TypeNum => "عدد", "Number";
    // The core's refusals.
    NoSuchAnnotation => "لا تعليق بالمعرّف {0}", "no annotation with id {0}";
    EmptyRange => "مدى فارغ أو معكوس {0}..{1}", "empty or reversed range {0}..{1}";
    OutOfRange => "المدى {0}..{1} خارج المقال (فيه {2} محرفًا)", "range {0}..{1} is outside the article (it has {2} code points)";
    CrossesParagraph => "المدى {0}..{1} يعبر فاصل فقرتين؛ علِّم جزء كل فقرة وحده", "range {0}..{1} crosses a paragraph break; annotate each paragraph's part on its own";
    UnknownLabel => "تسمية غير معروفة {0}؛ التسميات المعروفة: {1}", "unknown label {0}; known labels: {1}";
    NotASuggestion => "{0} تعليق المستخدم، لا اقتراح آلي", "{0} is the user's annotation, not a machine suggestion";
    Duplicate => "{0} يعلّم {1}..{2} بالفعل بوصفه {3}", "{0} already marks {1}..{2} as {3}";
    NothingToUndo => "لا شيء للتراجع عنه", "nothing to undo";
    NothingToRedo => "لا شيء لإعادته", "nothing to redo";
    NothingToImport => "لا شيء للاستيراد", "nothing to import";
    Unchanged => "لم يتغير شيء", "nothing changed";
    Decided => "عُلِّم في المقال أو رُوجع شيء بالفعل: لا تُستبدل اقتراحات الآلة كلها.", "Marks were already made or reviewed: the machine's suggestions are not replaced wholesale.";
    // Label checks.
    BadLabelName => "{0} ليس اسم تسمية (1–40 حرفًا أو رقمًا أو '_' أو '-' أو '.'؛ بلا مسافات ولا وسوم)", "{0} is not a label name (1–40 letters, digits, '_', '-' or '.'; no spaces or markup)";
    BuiltinLabel => "{0} تسمية مدمجة", "{0} is a built-in label";
    BadColor => "اللون {0} ليس لون CSS", "the colour {0} is not a CSS colour";
    BadKey => "المفتاح {0} ليس حرفًا واحدًا أو رقمًا", "the key {0} is not a single letter or digit";
    KeyTaken => "المفتاح {0} يختار {1} بالفعل", "the key {0} already picks {1}";
    // Saved work.
    SnapshotUnreadable => "تتعذّر قراءة العمل المحفوظ ({0})", "the saved work cannot be read ({0})";
    SnapshotSchema => "العمل المحفوظ بالمخطط {0}، وهذه النسخة تقرأ المخطط {1}", "the saved work has schema {0}, this version reads schema {1}";
    SnapshotDoesNotFit => "العمل المحفوظ لا يطابق هذا المقال: التعليق {0} في {1}..{2} ليس {3} هنا", "the saved work does not fit this article: annotation {0} at {1}..{2} is not {3} here";
    // Import: why a span was not placed, and where a file is wrong.
    OrphanNoQuote => "إزاحات خارج النص ولا اقتباس يُعثر به على المدى", "offsets outside the text and no quote to find the span by";
    OrphanNotFound => "الاقتباس {0} غير موجود في النص، ولا بتجاهل الحركات والتطويل وصور الهمزة وأنظمة الأرقام", "quote {0} not found in the text, not even ignoring harakat, tatweel, hamza forms and digit scripts";
    OrphanCrossesParagraph => "المدى يعبر فاصل فقرتين", "the span crosses a paragraph break";
    OrphanLabelSpaces => "حول التسمية {0} مسافات", "the label {0} has spaces around it";
    AtLine => "السطر {0}", "line {0}";
    AtItem => "العنصر {0}", "item {0}";
    AtField => "الحقل '{0}'", "field '{0}'";
    // The collection panel (standalone page).
    CollRegion => "مجموعة المقالات", "Article collection";
    CollOpenFiles => "فتح مقالات…", "Open articles…";
    CollOpenFolder => "فتح مجلد…", "Open a folder…";
    CollExport => "تصدير المجموعة:", "Export the collection:";
    CollPrev => "→ السابق", "← Previous";
    CollNext => "التالي ←", "Next →";
    CollPrevTitle => "المقال السابق (Alt+PageUp)", "Previous article (Alt+PageUp)";
    CollNextTitle => "المقال التالي (Alt+PageDown)", "Next article (Alt+PageDown)";
    CollDone => "منجز", "Done";
    CollFilter => "تصفية حسب الحالة", "Filter by status";
    CollAll => "الكل", "All";
    CollFind => "بحث في المجموعة", "Find in the collection";
    CollList => "المقالات", "Articles";
    CollReading => "جارٍ قراءة الملفات…", "Reading the files…";
    StatusNew => "جديد", "New";
    StatusInProgress => "قيد العمل", "In progress";
    StatusDone => "منجز", "Done";
    CollCounts => "{0} مقالًا: جديد {1}، قيد العمل {2}، منجز {3}", "{0} articles: {1} new, {2} in progress, {3} done";
    CollHits => "وُجد في {0} مقالًا", "Found in {0} articles";
    CollQuota => "مساحة التخزين توشك أن تنفد: استُعمل {0} من {1} م.ب ({2}٪). صدّر المجموعة واحفظها.", "Storage is almost full: {0} of {1} MB used ({2}%). Export the collection and keep it.";
    // The collection's controller.
    CollDbFailed => "تعذّر فتح قاعدة بيانات المجموعة: {0}", "Could not open the collection's database: {0}";
    CollSaveFailed => "تعذّر حفظ المجموعة: {0}", "Could not save the collection: {0}";
    CollNoDb => "قاعدة بيانات المجموعة غير متاحة", "The collection's database is not available";
    CollUnknownKind => "نوع ملف غير معروف (.txt .html .jsonl .jsonld .conll .zip)", "unknown kind of file (.txt .html .jsonl .jsonld .conll .zip)";
    NotUtf8 => "ليس نصًا بترميز UTF-8", "not UTF-8 text";
    CollOpened => "أُضيف {0} مقالًا، حُدِّث {1}، بلا مكان {2}", "{0} articles added, {1} updated, {2} not placed";
    CollOpenFailed => " — تعذّر فتح: {0}", " — could not open: {0}";
    ListSep => "؛ ", "; ";
    CollDuplicateId => "المقال {0} موجود في المجموعة مرتين", "article {0} is in the collection twice";
    CollEmptyText => "المقال {0} فارغ", "article {0} is empty";
    CollTooMany => "أكثر من {0} مقال: لا تتسع المجموعة لأكثر من ذلك", "more than {0} articles: a collection holds at most that many";
    CollUnknownStatus => "حالة غير معروفة {0}: المتوقع new أو in-progress أو done", "unknown status {0}: expected new, in-progress or done";
    CollArticle => "المقال {0}: {1}", "article {0}: {1}";
    // Named collections.
    CollDefaultName => "مجموعة {0}", "Collection {0}";
    CollChoose => "المجموعة", "Collection";
    CollName => "اسم المجموعة", "Collection name";
    CollCreate => "مجموعة جديدة", "New collection";
    CollRename => "إعادة التسمية", "Rename";
    CollDelete => "حذف المجموعة…", "Delete collection…";
    CollDeleteConfirm => "حذف «{0}» بمقالاتها ({1}) وما تعلّمته؟ يمكنك تصديرها أولًا.", "Delete «{0}» with its {1} articles and what it learned? You can export it first.";
    CollDeleteYes => "احذفها", "Delete it";
    CollCancel => "إلغاء", "Cancel";
    CollUndoDelete => "تراجع عن الحذف", "Undo delete";
    CollCreated => "أُنشئت المجموعة «{0}»", "Collection «{0}» created";
    CollRenamed => "صار اسم المجموعة «{0}»", "The collection is now named «{0}»";
    CollRemoved => "حُذفت المجموعة «{0}»؛ يمكن التراجع حتى إعادة تحميل الصفحة", "Collection «{0}» deleted; it can be restored until the page is reloaded";
    CollRestored => "استُعيدت المجموعة «{0}»", "Collection «{0}» restored";
    CollMerged => "دُمج عمل من نافذة أخرى على هذه المجموعة", "Work from another tab on this collection was merged in";
    CollEmptyName => "للمجموعة اسم لا بد منه", "a collection needs a name";
    CollNameTaken => "توجد مجموعة باسم {0}", "a collection named {0} exists already";
    CollNoSuch => "لا توجد مجموعة {0}", "no collection {0}";
}

impl Msg {
    /// The message in `lang`, placeholders unfilled.
    pub fn text(self, lang: Lang) -> &'static str {
        let (ar, en) = self.pair();
        match lang {
            Lang::Ar => ar,
            Lang::En => en,
        }
    }

    /// The message in `lang` with `{0}`, `{1}`… replaced by `args`.
    pub fn fill(self, lang: Lang, args: &[&dyn Display]) -> String {
        let mut out = self.text(lang).to_string();
        for (i, a) in args.iter().enumerate() {
            out = out.replace(&format!("{{{i}}}"), &a.to_string());
        }
        out
    }
}

/// An entity type's name in `lang`.
pub fn type_name(t: EntityType, lang: Lang) -> &'static str {
    match t {
        EntityType::Per => Msg::TypePer,
        EntityType::Loc => Msg::TypeLoc,
        EntityType::Org => Msg::TypeOrg,
        EntityType::Misc => Msg::TypeMisc,
        EntityType::Date => Msg::TypeDate,
        EntityType::Num => Msg::TypeNum,
    }
    .text(lang)
}

/// A label's display name: a built-in type's name in `lang`, a user's label as written.
pub fn label_name(name: &str, lang: Lang) -> String {
    match name.parse::<EntityType>() {
        Ok(t) => type_name(t, lang).to_string(),
        Err(_) => name.to_string(),
    }
}

/// Why the core refused an action, in `lang`.
pub fn refused(r: &Refused, lang: Lang) -> String {
    use Msg as M;
    match r {
        Refused::NoSuchAnnotation(id) => M::NoSuchAnnotation.fill(lang, &[&format!("{id:?}")]),
        Refused::EmptyRange { start, end } => M::EmptyRange.fill(lang, &[start, end]),
        Refused::OutOfRange { start, end, len } => M::OutOfRange.fill(lang, &[start, end, len]),
        Refused::CrossesParagraph { start, end } => M::CrossesParagraph.fill(lang, &[start, end]),
        Refused::UnknownLabel { name, known } => {
            M::UnknownLabel.fill(lang, &[&format!("{name:?}"), known])
        }
        Refused::Label(e) => label_error(e, lang),
        Refused::NotASuggestion(id) => M::NotASuggestion.fill(lang, &[&format!("{id:?}")]),
        Refused::Duplicate {
            id,
            start,
            end,
            label,
        } => M::Duplicate.fill(lang, &[&format!("{id:?}"), start, end, label]),
        Refused::Snapshot(e) => snapshot_error(e, lang),
        Refused::NothingToUndo => M::NothingToUndo.text(lang).into(),
        Refused::NothingToRedo => M::NothingToRedo.text(lang).into(),
        Refused::EmptyImport => M::NothingToImport.text(lang).into(),
        Refused::Unchanged => M::Unchanged.text(lang).into(),
        Refused::Decided => M::Decided.text(lang).into(),
    }
}

/// Why a label definition is refused, in `lang`.
pub fn label_error(e: &LabelError, lang: Lang) -> String {
    use Msg as M;
    match e {
        LabelError::BadName(n) => M::BadLabelName.fill(lang, &[&format!("{n:?}")]),
        LabelError::Builtin(n) => M::BuiltinLabel.fill(lang, &[n]),
        LabelError::BadColor(c) => M::BadColor.fill(lang, &[&format!("{c:?}")]),
        LabelError::BadKey { key } => M::BadKey.fill(lang, &[&format!("{key:?}")]),
        LabelError::KeyTaken { key, other } => M::KeyTaken.fill(lang, &[&format!("{key:?}"), other]),
    }
}

/// Why saved work cannot be restored, in `lang`.
pub fn snapshot_error(e: &SnapshotError, lang: Lang) -> String {
    use Msg as M;
    match e {
        // The parser's own detail (a JSON position) stays as it is, inside the translated sentence.
        SnapshotError::Unreadable(why) => M::SnapshotUnreadable.fill(lang, &[why]),
        SnapshotError::Schema { found, expected } => M::SnapshotSchema.fill(lang, &[found, expected]),
        SnapshotError::DoesNotFit {
            id,
            start,
            end,
            text,
        } => M::SnapshotDoesNotFit.fill(lang, &[&format!("{id:?}"), start, end, &format!("{text:?}")]),
    }
}

/// Why an imported annotation could not be placed, in `lang`.
pub fn orphan_reason(r: &OrphanReason, lang: Lang) -> String {
    use Msg as M;
    match r {
        OrphanReason::NoQuote => M::OrphanNoQuote.text(lang).into(),
        OrphanReason::NotFound(q) => M::OrphanNotFound.fill(lang, &[&format!("«{q}»")]),
        OrphanReason::CrossesParagraph => M::OrphanCrossesParagraph.text(lang).into(),
        OrphanReason::LabelSpaces(l) => M::OrphanLabelSpaces.fill(lang, &[&format!("{l:?}")]),
        OrphanReason::BadLabel(e) => label_error(e, lang),
    }
}

/// An article's status in a collection, in `lang`.
pub fn progress(p: Progress, lang: Lang) -> &'static str {
    match p {
        Progress::New => Msg::StatusNew,
        Progress::InProgress => Msg::StatusInProgress,
        Progress::Done => Msg::StatusDone,
    }
    .text(lang)
}

/// Why a collection could not be read or changed, in `lang`; the reader's own detail (English, naming the
/// file's fields) follows it, as in [`format_error`].
pub fn collection_error(e: &CollectionError, lang: Lang) -> String {
    use Msg as M;
    match e {
        CollectionError::DuplicateId { id } => M::CollDuplicateId.fill(lang, &[&format!("{id:?}")]),
        CollectionError::EmptyText { id } => M::CollEmptyText.fill(lang, &[&format!("{id:?}")]),
        CollectionError::TooMany => M::CollTooMany.fill(lang, &[&MAX_ARTICLES]),
        CollectionError::UnknownStatus(s) => M::CollUnknownStatus.fill(lang, &[&format!("{s:?}")]),
        CollectionError::Article { id, reason } => M::CollArticle.fill(lang, &[&format!("{id:?}"), reason]),
        CollectionError::Line { line, reason } => format!("{}: {reason}", M::AtLine.fill(lang, &[line])),
        CollectionError::Input(reason) => reason.clone(),
        CollectionError::EmptyName => M::CollEmptyName.text(lang).into(),
        CollectionError::NameTaken(n) => M::CollNameTaken.fill(lang, &[&format!("«{n}»")]),
        CollectionError::NoCollection(id) => M::CollNoSuch.fill(lang, &[&format!("{id:?}")]),
    }
}

/// Where an import file is wrong, in `lang`; the format's own detail (which the format modules write in
/// English, naming fields and values of the file) follows it.
pub fn format_error(e: &FormatError, lang: Lang) -> String {
    let at = |l: &Location| match l {
        Location::Line(n) => Some(Msg::AtLine.fill(lang, &[n])),
        Location::Item(n) => Some(Msg::AtItem.fill(lang, &[n])),
        Location::None => None,
    };
    match e {
        FormatError::Input { reason } => reason.clone(),
        FormatError::Record { location, reason } => match at(location) {
            Some(at) => format!("{at}: {reason}"),
            None => reason.clone(),
        },
        FormatError::Field {
            location,
            field,
            reason,
        } => {
            let field = Msg::AtField.fill(lang, &[field]);
            match at(location) {
                Some(at) => format!("{at}, {field}: {reason}"),
                None => format!("{field}: {reason}"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placeholders(s: &str) -> Vec<usize> {
        let mut found: Vec<usize> = (0..10).filter(|i| s.contains(&format!("{{{i}}}"))).collect();
        found.sort();
        found
    }

    #[test]
    fn every_key_exists_in_both_languages_with_the_same_placeholders() {
        let arabic = |s: &str| s.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c));
        for &m in Msg::ALL {
            let (ar, en) = (m.text(Lang::Ar), m.text(Lang::En));
            assert!(!ar.trim().is_empty() && !en.trim().is_empty(), "{m:?} is empty in a language");
            assert_eq!(placeholders(ar), placeholders(en), "{m:?}: the placeholders differ");
            // The language switch names the other language; every other message is in its own.
            if m != Msg::SwitchLang && m != Msg::SwitchLangTitle {
                assert!(arabic(ar) || !ar.chars().any(char::is_alphabetic), "{m:?}: Arabic text {ar:?} has no Arabic");
                // English may quote Arabic (the ل of للأرمن), but is written in English.
                let latin = en.chars().filter(char::is_ascii_alphabetic).count();
                let letters = en.chars().filter(|c| c.is_alphabetic()).count();
                assert!(letters == 0 || latin * 2 > letters, "{m:?}: English text {en:?} is mostly Arabic");
                assert!(letters == 0 || ar != en, "{m:?}: the same text in both languages");
            }
        }
    }

    #[test]
    fn placeholders_are_filled_in_order() {
        assert_eq!(
            Msg::Imported.fill(Lang::En, &[&"a.csv", &1, &2, &3, &4]),
            "a.csv: 1 added, 2 updated, 3 duplicates, 4 not placed"
        );
    }

    #[test]
    fn core_refusals_are_translated_not_passed_through() {
        let r = Refused::CrossesParagraph { start: 3, end: 9 };
        assert_eq!(refused(&r, Lang::En), r.to_string(), "English says what the core says");
        let ar = refused(&r, Lang::Ar);
        assert!(ar.contains("3..9") && ar.contains("فقرتين"), "{ar}");
        let o = OrphanReason::NotFound("باريس".into());
        assert!(orphan_reason(&o, Lang::Ar).starts_with("الاقتباس"));
        assert!(orphan_reason(&o, Lang::En).starts_with("quote"));
    }

    #[test]
    fn collection_errors_are_translated_and_english_says_what_the_core_says() {
        let errors = [
            CollectionError::DuplicateId { id: "a".into() },
            CollectionError::EmptyText { id: "a".into() },
            CollectionError::TooMany,
            CollectionError::UnknownStatus("x".into()),
            CollectionError::Article { id: "a".into(), reason: "no text".into() },
            CollectionError::Line { line: 2, reason: "field 'text': must be a string".into() },
        ];
        for e in &errors {
            assert_eq!(collection_error(e, Lang::En), e.to_string());
            let ar = collection_error(e, Lang::Ar);
            assert!(ar.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)), "{ar}");
        }
        assert_eq!(progress(Progress::InProgress, Lang::En), "In progress");
    }

    #[test]
    fn languages_parse_from_tags() {
        assert_eq!(Lang::parse("en-GB"), Some(Lang::En));
        assert_eq!(Lang::parse(" AR "), Some(Lang::Ar));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::En.dir(), "ltr");
    }
}
