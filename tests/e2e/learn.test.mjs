// The widget learns from its annotator, through the JS API: a label given to one mention reaches the other
// mentions of the name (behind a proclitic too) as suggestions, a rejected suggestion takes its form's other
// suggestions with it (unless it only cut a longer name wrong), one undo takes the learned effect back with the edit, and settle() resolves with the
// suggestions reflecting every edit; two collections on the standalone page learn apart.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve, launch, openPage, span } from "./harness.mjs";

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

// A name no list knows (كريمزون), three times: once behind the proclitic ب, each in its own paragraph.
const TEXT = "وصل الوزير كريمزون إلى العاصمة أمس.\n\nوقال كريمزون إن الزيارة مهمة.\n\nوالتقى بكريمزون عدد من المسؤولين.";

/** Mounts a widget on `text` (its own storage key) in the standalone page; the instance is window.w. */
async function mounted(text, storageKey, { waitReady = true } = {}) {
  const opened = await openPage(browser, `${server.url}/index.html`);
  await opened.page.waitForFunction(() => window.sahifa?.entities);
  await opened.page.evaluate(async ({ text, storageKey, waitReady }) => {
    const { mount } = await import("./sahifa.js");
    const el = document.createElement("section");
    document.body.append(el);
    window.w = await mount(el, { text, storageKey });
    window.learned = [];
    window.w.on("learned", (d) => window.learned.push(d));
    if (waitReady) await new Promise((r) => window.w.on("ready", r));
  }, { text, storageKey, waitReady });
  return opened;
}

test("a label reaches the other mentions, settle() resolves with them, one undo takes them back", async () => {
  const { page, errors } = await mounted(TEXT, "learn-propagate");
  const first = span(TEXT, "كريمزون", 0);
  const r = await page.evaluate(async (first) => {
    const snapshot = () => JSON.stringify(window.w.entities());
    const before = snapshot();
    // Whatever the machine made of the name, the annotator says: a place.
    const id = window.w.addAnnotation({ ...first, type: "LOC" });
    await window.w.settle();
    const after = window.w.entities();
    window.w.undo();
    await window.w.settle();
    return { before, id, after, learned: window.learned, undone: snapshot() };
  }, first);
  const mine = r.after.find((e) => e.id === r.id);
  const others = r.after.filter((e) => e.id !== r.id && e.text.includes("كريمزون"));
  assert.deepEqual(others.map((e) => [e.start, e.end]), [1, 2].map((n) => {
    const s = span(TEXT, "كريمزون", n);
    return [s.start, s.end];
  }), "both other mentions, the ب left outside: " + JSON.stringify(r.after));
  for (const o of others) {
    assert.equal(o.type, "LOC");
    assert.equal(o.source, "extractor");
    assert.equal(o.status, "suggested", "a suggestion, for the annotator to review");
    assert.equal(o.entity, mine.entity, "the same entity");
  }
  assert.ok(r.learned.some((l) => l.edit === "add" && l.suggested + l.retyped >= 2), JSON.stringify(r.learned));
  assert.equal(r.undone, r.before, "undo takes the add and what it taught in one step");
  assert.deepEqual(errors, []);
});

test("a rejected suggestion takes its form's other suggestions with it and is not suggested again", async () => {
  const text = "زار الوزير مدينة موسكو أمس.\n\nوقال إن موسكو مدينة جميلة.\n\nثم غادر موسكو مساء.";
  const { page, errors } = await mounted(text, "learn-reject");
  const r = await page.evaluate(async () => {
    const moscow = () => window.w.entities().filter((e) => e.text === "موسكو");
    const before = moscow().length;
    window.w.reject(moscow()[0].id);
    await window.w.settle();
    const after = moscow().length;
    window.w.undo();
    return { before, after, undone: moscow().length, learned: window.learned };
  });
  assert.equal(r.before, 3, "the machine finds the city three times");
  assert.equal(r.after, 0, "rejecting one drops the others");
  assert.equal(r.undone, 3, "undo brings all three back");
  assert.ok(r.learned.some((l) => l.edit === "reject" && l.dropped === 2), JSON.stringify(r.learned));
  assert.deepEqual(errors, []);
});

test("a rejection that only cut a name wrong does not keep its form from being suggested again", async () => {
  const text = "زار الوزير مدينة موسكو أمس.\n\nوقال إن موسكو مدينة جميلة.\n\nثم غادر موسكو مساء.";
  const { page, errors } = await mounted(text, "learn-recut");
  const r = await page.evaluate(async (longer) => {
    const moscow = () => window.w.entities().filter((e) => e.text === "موسكو");
    window.w.reject(moscow()[0].id);
    const dropped = moscow().length;
    // The annotator meant the longer name: the rejection said where the name ends, not that موسكو is no place.
    window.w.addAnnotation({ ...longer, type: "LOC" });
    await window.w.settle();
    return { dropped, again: moscow().map((e) => [e.type, e.source, e.status ?? "suggested"]) };
  }, span(text, "مدينة موسكو"));
  assert.equal(r.dropped, 0, "the reject takes the other mentions' suggestions with it");
  assert.deepEqual(r.again, [["LOC", "extractor", "suggested"], ["LOC", "extractor", "suggested"]],
    "after settle() the other mentions are suggested again");
  assert.deepEqual(errors, []);
});

test("settle() resolves after a long article's suggestions are all in", async () => {
  const para = "وصل الوزير كريمزون إلى موسكو أمس والتقى الرئيس.";
  const text = Array.from({ length: 1500 }, () => para).join("\n\n");
  const { page, errors } = await mounted(text, "learn-long", { waitReady: false });
  const r = await page.evaluate(async () => {
    const early = window.w.entities().length;
    await window.w.settle();
    const n = window.w.entities().filter((e) => e.text === "موسكو").length;
    return { early, n, settledTwice: await window.w.settle().then(() => true) };
  });
  assert.ok(r.early < 1500, `still extracting when settle() was called (${r.early} marks)`);
  assert.equal(r.n, 1500, "every paragraph's suggestion is in when settle() resolves");
  assert.equal(r.settledTwice, true);
  assert.deepEqual(errors, []);
});

test("online learning: what is learned is exported, survives reload, is undone with its edit, imported and reset", async () => {
  const { page, errors } = await mounted(TEXT, "learn-online");
  const first = span(TEXT, "كريمزون", 0);
  const r = await page.evaluate(async (first) => {
    const bytes = () => Array.from(window.w.exportLearning());
    const empty = bytes();
    window.w.addAnnotation({ ...first, type: "ORG" });
    await window.w.settle();
    const taught = bytes();
    window.w.undo();
    await window.w.settle();
    const undone = bytes();
    window.w.redo();
    await window.w.settle();
    const redone = bytes();
    let refused = null;
    try { window.w.importLearning(new Uint8Array([1, 2, 3])); } catch (e) { refused = e.message; }
    const flipped = Uint8Array.from(redone); flipped[20] ^= 1;
    let corrupt = null;
    try { window.w.importLearning(flipped); } catch (e) { corrupt = e.message; }
    const stored = localStorage.getItem("sahifa:learned:v1");
    return { empty, taught, undone, redone, refused, corrupt, stored: stored?.length ?? 0 };
  }, first);
  const magic = Array.from(Buffer.from("SAHIFALO"));
  assert.deepEqual(r.empty.slice(0, 8), magic, "versioned bytes with a magic header");
  assert.ok(r.taught.length > r.empty.length, "the correction taught the tagger something");
  assert.deepEqual(r.undone, r.empty, "undo takes the learned weights back with the edit");
  assert.deepEqual(r.redone, r.taught, "redo brings them again, the same");
  assert.match(r.refused, /importLearning: not Sahifa learned weights/);
  assert.match(r.corrupt, /importLearning: .*(corrupted|truncated)/);
  assert.ok(r.stored > 0, "kept in storage");

  // A reload of the page (same storage): the collection's learned weights are still there.
  await page.reload();
  await page.waitForFunction(() => window.sahifa?.entities);
  const after = await page.evaluate(async (text) => {
    const { mount } = await import("./sahifa.js");
    const el = document.createElement("section");
    document.body.append(el);
    const w = await mount(el, { text: "نص آخر في مقال آخر.", storageKey: "learn-other" });
    await w.settle();
    const kept = Array.from(w.exportLearning());
    w.importLearning(Uint8Array.from(kept));
    await w.settle();
    const doubled = w.exportLearning().length;
    w.resetLearning();
    await w.settle();
    return { kept, doubled, reset: Array.from(w.exportLearning()), stored: localStorage.getItem("sahifa:learned:v1") };
  }, TEXT);
  assert.deepEqual(after.kept, r.taught, "the learned weights survive a reload and reach another article");
  assert.equal(after.doubled, r.taught.length, "importing the same weights adds to the same rows");
  assert.deepEqual(after.reset, r.empty, "reset forgets everything learned");
  assert.equal(after.stored, null, "and clears the stored weights");
  assert.deepEqual(errors, []);
});

test("two collections do not share what they learn, and the single-article key is left alone", async () => {
  const { page, errors } = await openPage(browser, `${server.url}/index.html`);
  /** Opens `name` (the text TEXT) as the collection's article; what the machine suggests on the name then. */
  const openArticle = (name) => page.evaluate(async ({ name, text }) => {
    await window.sahifa.collection.ready();
    window.sahifa.collection.open([{ name, data: text }]);
    await window.sahifa.settle();
    return window.sahifa.entities().filter((e) => e.text.includes("كريمزون")).map((e) => `${e.start}-${e.type}-${e.source}`);
  }, { name, text: TEXT });
  const learning = () => page.evaluate(() => Array.from(window.sahifa.exportLearning()));
  const stored = () => page.evaluate(() => Object.fromEntries(
    Object.keys(localStorage).filter((k) => k.startsWith("sahifa:learned:")).map((k) => [k, localStorage.getItem(k)])));
  await page.waitForFunction(() => window.sahifa?.collection);

  // Collection A: the annotator says the name is an organisation, at each mention; the collection learns it.
  const untaught = await openArticle("a.txt");
  const empty = await learning();
  await page.evaluate(async (spans) => {
    for (const s of spans) window.sahifa.addAnnotation({ ...s, type: "ORG" });
    await window.sahifa.settle();
  }, [0, 1, 2].map((n) => span(TEXT, "كريمزون", n)));
  const taught = await learning();
  assert.ok(taught.length > empty.length, "collection A learned from the correction");
  const afterA = await stored();
  const keysA = Object.keys(afterA);
  assert.equal(keysA.length, 1, JSON.stringify(keysA));
  assert.match(keysA[0], /^sahifa:learned:v1:collection:/, "under the collection's own key, not the site's");

  // Collection B: the database is gone (another collection, made afresh in the same browser profile).
  await page.goto(`${server.url}/sahifa.css`);
  await page.evaluate(() => new Promise((ok, fail) => {
    const r = indexedDB.deleteDatabase("sahifa");
    r.onsuccess = ok; r.onerror = () => fail(r.error); r.onblocked = () => fail(new Error("blocked"));
  }));
  await page.goto(`${server.url}/index.html`);
  await page.waitForFunction(() => window.sahifa?.collection);
  const inB = await openArticle("b.txt");
  assert.deepEqual(await learning(), empty, "collection B starts with nothing learned");
  assert.deepEqual(inB, untaught, "the same text gets the same suggestions as before A learned anything");
  // Which is a real difference: A's weights, brought into B on purpose, change those suggestions.
  const shared = await page.evaluate(async (taught) => {
    window.sahifa.importLearning(Uint8Array.from(taught));
    await window.sahifa.settle();
    const seen = window.sahifa.entities().filter((e) => e.text.includes("كريمزون")).map((e) => `${e.start}-${e.type}-${e.source}`);
    window.sahifa.resetLearning();
    await window.sahifa.settle();
    return seen;
  }, taught);
  assert.notDeepEqual(shared, untaught, "A's learning would have changed B's suggestions: " + JSON.stringify({ shared, untaught }));

  // What B learns is kept under another key; A's learning is untouched, the site's key never written. B is
  // taught what A was (a correction is a lesson only where the tagger itself guessed otherwise, and which
  // guess it makes is the model's: A's correction is shown above to teach this model something).
  await page.evaluate(async (spans) => {
    for (const s of spans) window.sahifa.addAnnotation({ ...s, type: "ORG" });
    await window.sahifa.settle();
  }, [0, 1, 2].map((n) => span(TEXT, "كريمزون", n)));
  assert.notDeepEqual(await learning(), empty, "collection B learned from its own correction");
  const afterB = await stored();
  assert.equal(Object.keys(afterB).length, 2, JSON.stringify(Object.keys(afterB)));
  assert.equal(afterB[keysA[0]], afterA[keysA[0]], "collection A's learning is unchanged");
  assert.ok(!("sahifa:learned:v1" in afterB), "the single-article widget's key is not written");
  assert.deepEqual(errors, []);
});

test("what one article of a collection taught is kept when the next article teaches something else", async () => {
  const { page, errors } = await openPage(browser, `${server.url}/index.html`);
  await page.waitForFunction(() => window.sahifa?.collection);
  // a.txt and c.txt hold the same unknown name; b.txt another one.
  const other = "استقبل المدير زورافسكي الوفد أمس.\n\nوقال زورافسكي إن اللقاء كان مفيدا.";
  const onName = () => page.evaluate(async () => {
    await window.sahifa.settle();
    return window.sahifa.entities().filter((e) => e.text.includes("كريمزون")).map((e) => `${e.start}-${e.type}-${e.source}`);
  });
  await page.evaluate(async (files) => {
    await window.sahifa.collection.ready();
    window.sahifa.collection.open(files);
  }, [{ name: "a.txt", data: TEXT }, { name: "b.txt", data: other }, { name: "c.txt", data: TEXT }]);
  await page.evaluate(() => window.sahifa.collection.go(2));
  const untaught = await onName();

  // Article a: the name is an organisation, at each mention.
  await page.evaluate(() => window.sahifa.collection.go(0));
  await onName();
  await page.evaluate(async (spans) => {
    for (const s of spans) window.sahifa.addAnnotation({ ...s, type: "ORG" });
    await window.sahifa.settle();
  }, [0, 1, 2].map((n) => span(TEXT, "كريمزون", n)));
  // Article b: another name, a person.
  await page.evaluate(() => window.sahifa.collection.go(1));
  await onName();
  await page.evaluate(async (s) => {
    window.sahifa.addAnnotation({ ...s, type: "PER" });
    await window.sahifa.settle();
  }, span(other, "زورافسكي", 0));
  // Article c, untouched: what a taught still reaches it after b taught something else.
  await page.evaluate(() => window.sahifa.collection.go(2));
  const taught = await onName();
  assert.notDeepEqual(taught, untaught, "a's lesson survived b's: " + JSON.stringify({ taught, untaught }));
  assert.ok(taught.some((t) => t.includes("-ORG-")), JSON.stringify(taught));
  assert.deepEqual(errors, []);
});
