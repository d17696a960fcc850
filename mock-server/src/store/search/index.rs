//! The inverted index: word → the records holding it, the fields it occurs in and its positions
//! in each record, plus the queue of record versions not yet visible (index lag).
//!
//! Text clauses are answered from the postings alone. A single word (or word prefix) is found
//! by the fields it occurs in; a run of words by positions. A record's words are numbered
//! field by field (the field in the top bits), with a gap after every value (one comment, one
//! identity), so consecutive numbers are consecutive words of one value — the same runs
//! [`super::analyze::holds_run`] finds in the text. The other clauses (status, dates, parties…)
//! are checked record by record with [`super::eval`].
//!
//! Phrases of common words would walk the positions of most records: `"the order"` has as
//! candidates every record holding both `the` and `order`. So a pair of adjacent words whose first
//! is one of [`COMMON_WORDS`] (a fixed list, whatever the account holds) is also posted as a
//! pair — the records and fields holding it, without positions — under the same rules as the
//! positions (one value, never across the gap between values). A run's pairs narrow its
//! candidates to the records holding each of them; a run of two words with a pair needs no
//! positions at all (as in Lucene's CommonGramsFilter).
//!
//! Every version of a record gets a new number, appended, so posting lists stay sorted without
//! ever being edited in the middle and a write costs only its own record's words. Replaced
//! versions stay in the lists, skipped, until they weigh as much as the live ones; then one pass
//! drops them and renumbers (`SearchIndex::compact`).
//!
//! Of a record's text the index keeps only the subject and the name (relevance and
//! `requester:Name` read them); the rest lives in the postings.

use super::Order;
use super::document::{Doc, DocKey, Field};
use super::eval::Plan;
use super::query::{Kind, Pred, Query, Text};
use crate::store::clock::Timestamp;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::ops::Bound;

/// A record version waiting for the index lag to pass; `None` removes the record.
#[derive(Debug, Clone)]
struct Staged {
    due: Timestamp,
    key: DocKey,
    doc: Option<Doc>,
}

/// A word as a key of the lists: up to [`Word::SHORT`] bytes held in place (nearly every word:
/// an id, a name, an email's local part, a phone number's digits), a longer one on the heap.
/// Ordered by its bytes, which is the order of the text, so that the map can be searched by
/// `&[u8]` (and a prefix's words found as a range).
#[derive(Clone)]
enum Word {
    Short { len: u8, bytes: [u8; Word::SHORT] },
    Long(Box<[u8]>),
}

impl Word {
    const SHORT: usize = 22;

    fn new(word: &str) -> Self {
        let bytes = word.as_bytes();
        if bytes.len() <= Self::SHORT {
            let mut short = [0; Self::SHORT];
            short[..bytes.len()].copy_from_slice(bytes);
            Word::Short {
                len: bytes.len() as u8,
                bytes: short,
            }
        } else {
            Word::Long(bytes.into())
        }
    }

    fn as_bytes(&self) -> &[u8] {
        match self {
            Word::Short { len, bytes } => &bytes[..*len as usize],
            Word::Long(bytes) => bytes,
        }
    }

    fn heap_bytes(&self) -> usize {
        match self {
            Word::Short { .. } => 0,
            Word::Long(bytes) => bytes.len(),
        }
    }
}

impl std::borrow::Borrow<[u8]> for Word {
    fn borrow(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl PartialEq for Word {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for Word {}

impl PartialOrd for Word {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Word {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_bytes().cmp(other.as_bytes())
    }
}

impl std::fmt::Debug for Word {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", String::from_utf8_lossy(self.as_bytes()))
    }
}

/// One word's postings: the record versions holding it, ascending, with the fields it occurs
/// in and its positions in each. A record's mask is the fields of its positions.
///
/// Most words of an account are held by one record version at one position (an id, an email's
/// local part, a phone number): those take no allocation at all ([`Postings::One`]). The second
/// version to hold the word moves it to one buffer ([`Postings::Many`]).
#[derive(Debug, Clone)]
enum Postings {
    /// One record version, holding the word at one position (whose field is the mask).
    One { number: u32, position: u32 },
    /// Anything else.
    Many(Many),
}

/// Postings in one allocation: a header `[records, capacity (+ SEVERAL), positions]`, then the
/// record numbers (`capacity` slots), then — only when some record holds the word at more than
/// one position (`SEVERAL`) — the masks (two to a slot) and where each record's positions end
/// (`capacity` slots), and last the positions. Without `SEVERAL` there is one position per
/// record, parallel to the numbers (`capacity` slots), and a record's mask is its position's
/// field. Grows by doubling whichever part is full, so appending stays amortized O(1).
#[derive(Debug, Clone)]
struct Many(Box<[u32]>);

const HEADER: usize = 3;
const SEVERAL: u32 = 1 << 31;

impl Many {
    fn records(&self) -> usize {
        self.0[0] as usize
    }

    fn capacity(&self) -> usize {
        (self.0[1] & !SEVERAL) as usize
    }

    fn several(&self) -> bool {
        self.0[1] & SEVERAL != 0
    }

    fn position_count(&self) -> usize {
        self.0[2] as usize
    }

    fn masks_start(&self) -> usize {
        HEADER + self.capacity()
    }

    fn ends_start(&self) -> usize {
        self.masks_start() + self.capacity().div_ceil(2)
    }

    fn positions_start(&self) -> usize {
        if self.several() {
            self.ends_start() + self.capacity()
        } else {
            HEADER + self.capacity()
        }
    }

    /// Room for positions.
    fn position_capacity(&self) -> usize {
        self.0.len() - self.positions_start()
    }

    /// The parts as slices.
    fn view(&self) -> View<'_> {
        let (count, capacity) = (self.records(), self.capacity());
        let numbers = &self.0[HEADER..HEADER + count];
        let start = self.positions_start();
        if self.several() {
            let (masks, ends) = (self.masks_start(), self.ends_start());
            View {
                numbers,
                masks: Some(&self.0[masks..masks + capacity.div_ceil(2)]),
                ends: Some(&self.0[ends..ends + count]),
                positions: &self.0[start..start + self.position_count()],
            }
        } else {
            View {
                numbers,
                masks: None,
                ends: None,
                positions: &self.0[start..start + count],
            }
        }
    }

    /// `records` (number, mask, positions: `count` of them holding `positions` in all) with room
    /// for `capacity` records and, when `several`, `position_capacity` positions.
    fn lay_out<'a>(
        records: impl Iterator<Item = (u32, u16, &'a [u32])>,
        (count, positions): (usize, usize),
        capacity: usize,
        position_capacity: usize,
        several: bool,
    ) -> Many {
        debug_assert!(count <= capacity && (several || positions == count));
        let length = if several {
            debug_assert!(positions <= position_capacity);
            HEADER + 2 * capacity + capacity.div_ceil(2) + position_capacity
        } else {
            HEADER + 2 * capacity
        };
        let too_many = "fewer than 2^31 postings and 2^32 positions of one word in an account";
        let mut buffer = vec![0; length].into_boxed_slice();
        buffer[0] = u32::try_from(count).expect(too_many);
        buffer[1] = u32::try_from(capacity)
            .ok()
            .filter(|c| c & SEVERAL == 0)
            .expect(too_many)
            | if several { SEVERAL } else { 0 };
        buffer[2] = u32::try_from(positions).expect(too_many);
        let mut many = Many(buffer);
        let (masks, ends, start) = (
            many.masks_start(),
            many.ends_start(),
            many.positions_start(),
        );
        let mut written = 0;
        for (at, (number, mask, held)) in records.enumerate() {
            many.0[HEADER + at] = number;
            if several {
                many.0[masks + at / 2] |= u32::from(mask) << (16 * (at % 2));
                many.0[start + written..start + written + held.len()].copy_from_slice(held);
                written += held.len();
                many.0[ends + at] = written as u32;
            } else {
                debug_assert_eq!(held.len(), 1);
                many.0[start + at] = held[0];
            }
        }
        debug_assert_eq!(written, if several { positions } else { 0 });
        many
    }
}

/// A list read in place: its parts as slices, found once per query rather than at every step.
#[derive(Debug, Clone, Copy)]
struct View<'a> {
    numbers: &'a [u32],
    /// Two to a slot; `None`: one position per record, whose field is its mask.
    masks: Option<&'a [u32]>,
    /// Where each record's positions end; `None`: one position per record.
    ends: Option<&'a [u32]>,
    positions: &'a [u32],
}

impl<'a> View<'a> {
    fn mask(&self, at: usize) -> u16 {
        match self.masks {
            Some(masks) => (masks[at / 2] >> (16 * (at % 2))) as u16,
            None => field_bit(self.positions[at]),
        }
    }

    fn positions_of(&self, at: usize) -> &'a [u32] {
        match self.ends {
            Some(ends) => {
                let from = at.checked_sub(1).map_or(0, |i| ends[i] as usize);
                &self.positions[from..ends[at] as usize]
            }
            None => &self.positions[at..at + 1],
        }
    }
}

impl Postings {
    fn new(number: u32, mask: u16, positions: &[u32]) -> Self {
        match positions {
            [position] => Postings::One {
                number,
                position: *position,
            },
            _ => Postings::Many(Many::lay_out(
                [(number, mask, positions)].into_iter(),
                (1, positions.len()),
                1,
                positions.len(),
                true,
            )),
        }
    }

    /// The list's parts as slices: what a query walks.
    fn view(&self) -> View<'_> {
        match self {
            Postings::One { number, position } => View {
                numbers: std::slice::from_ref(number),
                masks: None,
                ends: None,
                positions: std::slice::from_ref(position),
            },
            Postings::Many(many) => many.view(),
        }
    }

    /// The record versions holding the word, ascending.
    fn numbers(&self) -> &[u32] {
        self.view().numbers
    }

    /// The fields (a mask of [`Field::bit`]s) the `at`th record holds the word in.
    fn mask(&self, at: usize) -> u16 {
        self.view().mask(at)
    }

    /// The `at`th record's positions of the word, ascending.
    fn positions_of(&self, at: usize) -> &[u32] {
        self.view().positions_of(at)
    }

    fn position_count(&self) -> usize {
        match self {
            Postings::One { .. } => 1,
            Postings::Many(many) => many.position_count(),
        }
    }

    /// Every record: number, mask, positions.
    fn records(&self) -> impl Iterator<Item = (u32, u16, &[u32])> {
        self.numbers()
            .iter()
            .enumerate()
            .map(|(at, number)| (*number, self.mask(at), self.positions_of(at)))
    }

    /// Appends a record version above every one the list holds.
    fn push(&mut self, number: u32, mask: u16, positions: &[u32]) {
        debug_assert!(self.numbers().last().is_some_and(|last| *last < number));
        debug_assert!(!positions.is_empty());
        let (count, held) = (self.numbers().len(), self.position_count());
        let (capacity, several, room) = match self {
            Postings::One { .. } => (1, false, 1),
            Postings::Many(many) => (many.capacity(), many.several(), many.position_capacity()),
        };
        let needs_several = several || positions.len() > 1;
        let fits = matches!(self, Postings::Many(_))
            && count < capacity
            && needs_several == several
            && (!several || held + positions.len() <= room);
        if !fits {
            let capacity = if count < capacity {
                capacity
            } else {
                2 * capacity
            };
            let room = match (needs_several, held + positions.len()) {
                (false, _) => capacity,
                (true, wanted) if wanted <= room => room,
                (true, wanted) => wanted.max(2 * room),
            };
            let grown = Many::lay_out(self.records(), (count, held), capacity, room, needs_several);
            *self = Postings::Many(grown);
        }
        let Postings::Many(many) = self else {
            unreachable!("grown above")
        };
        let start = many.positions_start();
        many.0[HEADER + count] = number;
        if needs_several {
            let masks = many.masks_start();
            many.0[masks + count / 2] |= u32::from(mask) << (16 * (count % 2));
            many.0[start + held..start + held + positions.len()].copy_from_slice(positions);
            let ends = many.ends_start();
            many.0[ends + count] = (held + positions.len()) as u32;
        } else {
            many.0[start + count] = positions[0];
        }
        many.0[0] += 1;
        many.0[2] += positions.len() as u32;
    }

    /// Keeps the records `renumbered` keeps, under their new numbers; `false` when it keeps
    /// none. A list that loses records is laid out anew, exactly as large as it needs (one
    /// record at one position: [`Postings::One`] again).
    fn renumber(&mut self, renumbered: &[u32]) -> bool {
        let kept = |number: u32| renumbered[number as usize] != u32::MAX;
        let (mut count, mut held, mut several) = (0, 0, false);
        for (_, _, positions) in self.records().filter(|r| kept(r.0)) {
            count += 1;
            held += positions.len();
            several |= positions.len() > 1;
        }
        if count == 0 {
            return false;
        }
        if count == self.numbers().len() {
            match self {
                Postings::One { number, .. } => *number = renumbered[*number as usize],
                Postings::Many(many) => {
                    for number in &mut many.0[HEADER..HEADER + count] {
                        *number = renumbered[*number as usize];
                    }
                }
            }
            return true;
        }
        let records = self
            .records()
            .filter(|r| kept(r.0))
            .map(|(number, mask, positions)| (renumbered[number as usize], mask, positions));
        *self = if held == 1 {
            let (number, _, positions) = records.last().expect("one record kept");
            Postings::One {
                number,
                position: positions[0],
            }
        } else {
            Postings::Many(Many::lay_out(records, (count, held), count, held, several))
        };
        true
    }

    fn heap_bytes(&self) -> usize {
        match self {
            Postings::One { .. } => 0,
            Postings::Many(many) => many.0.len() * 4,
        }
    }
}

/// One pair's postings ([`COMMON_WORDS`]): the record versions holding it, ascending, with the
/// fields it occurs in. No positions: a run's positions are walked on its words' lists.
#[derive(Debug, Clone, Default)]
struct PairPostings {
    numbers: Vec<u32>,
    masks: Vec<u16>,
}

impl PairPostings {
    /// Keeps the records `renumbered` keeps, under their new numbers.
    fn renumber(&mut self, renumbered: &[u32]) {
        let mut kept = 0;
        for at in 0..self.numbers.len() {
            let number = renumbered[self.numbers[at] as usize];
            if number != u32::MAX {
                self.numbers[kept] = number;
                self.masks[kept] = self.masks[at];
                kept += 1;
            }
        }
        self.numbers.truncate(kept);
        self.masks.truncate(kept);
    }

    fn heap_bytes(&self) -> usize {
        self.numbers.capacity() * 4 + self.masks.capacity() * 2
    }
}

/// The words that begin a posted pair: the 100 most frequent English words (the Oxford English
/// Corpus's list, whose verbs are lemmas) and the forms of `be`, `have` and `do`, as the analyzer
/// writes them. Fixed, so that what is posted never depends on what an account holds. Sorted.
pub const COMMON_WORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "am", "an", "and", "any", "are", "as", "at", "back",
    "be", "because", "been", "but", "by", "can", "come", "could", "day", "did", "do", "does",
    "even", "first", "for", "from", "get", "give", "go", "good", "had", "has", "have", "he", "her",
    "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "just", "know", "like",
    "look", "make", "me", "most", "my", "new", "no", "not", "now", "of", "on", "one", "only", "or",
    "other", "our", "out", "over", "people", "say", "see", "she", "so", "some", "take", "than",
    "that", "the", "their", "them", "then", "there", "these", "they", "think", "this", "time",
    "to", "two", "up", "us", "use", "want", "was", "way", "we", "well", "were", "what", "when",
    "which", "who", "will", "with", "work", "would", "year", "you", "your",
];

/// Does a posted pair begin with `word`? Asked for every word a record holds, so the common words
/// are looked up as integers (each packed into a `u64`, see [`packed`]) rather than by string
/// comparisons (the binary search over strings was 13% of seeding a small world).
fn is_common(word: &str) -> bool {
    static PACKED: std::sync::LazyLock<Vec<u64>> = std::sync::LazyLock::new(|| {
        let mut packed: Vec<u64> = COMMON_WORDS.iter().filter_map(|w| packed(w)).collect();
        packed.sort_unstable();
        packed
    });
    packed(word).is_some_and(|p| PACKED.binary_search(&p).is_ok())
}

/// A word of at most 7 bytes as one integer: its bytes, then its length in the last byte (so
/// that no two words share one).
fn packed(word: &str) -> Option<u64> {
    let bytes = word.as_bytes();
    if bytes.len() > 7 {
        return None;
    }
    let mut out = [0u8; 8];
    out[..bytes.len()].copy_from_slice(bytes);
    out[7] = bytes.len() as u8;
    Some(u64::from_le_bytes(out))
}

/// The key of the pair `first second` (words hold no spaces).
fn pair_key<'a>(first: &str, second: &str, key: &'a mut String) -> &'a str {
    key.clear();
    key.push_str(first);
    key.push(' ');
    key.push_str(second);
    key
}

/// A word's position in a record: its field in the top bits, then its place in the field,
/// counting a gap after every value. A field's places saturate at [`LAST_PLACE`]: words past
/// 2^28 in one field (a gigabyte of text in one ticket) all share the last place.
const FIELD_SHIFT: u32 = 28;
const LAST_PLACE: u32 = (1 << FIELD_SHIFT) - 1;
const _: () = assert!(Field::ALL.len() <= 1 << (32 - FIELD_SHIFT));

/// The [`Field::bit`] of the field a position is in.
fn field_bit(position: u32) -> u16 {
    1 << (position >> FIELD_SHIFT)
}

/// What ranking and the common filters read of every record version, kept apart from the
/// entries so that walking thousands of matches reads 40 bytes each rather than a whole entry.
#[derive(Debug, Clone, Copy)]
struct Meta {
    key: DocKey,
    created_at: Timestamp,
    updated_at: Timestamp,
    /// Not replaced or removed.
    live: bool,
    /// What this version weighs in the lists: its postings and pairs, plus one.
    weight: u32,
}

/// Replaced versions are dropped from the lists once they weigh more than the live ones and
/// more than this.
const COMPACT_FLOOR: usize = 1 << 16;

/// One account's search index.
#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    /// Record versions by number, their text cut down to subject and name; `None` once
    /// replaced or removed.
    entries: Vec<Option<Doc>>,
    /// The same versions' [`Meta`], by number.
    meta: Vec<Meta>,
    /// The number of each visible record's version.
    numbers: HashMap<DocKey, u32>,
    postings: BTreeMap<Word, Postings>,
    /// Pairs of adjacent words whose first is common, by `"first second"`.
    pairs: HashMap<Box<str>, PairPostings>,
    staged: Vec<Staged>,
    /// The weight of the visible versions and of the replaced ones still in the lists.
    live: usize,
    dead: usize,
    /// The last event-log entry this index has taken in; `None` until the first sync (which
    /// rebuilds).
    pub(super) seen_seq: Option<u64>,
}

/// What an index holds, and roughly what it costs in memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexStats {
    /// Visible records.
    pub records: usize,
    /// Distinct words in the lists.
    pub vocabulary: usize,
    /// (word, record version) pairs.
    pub postings: usize,
    /// Word positions.
    pub positions: usize,
    /// Heap bytes of the records as kept (subject, name, attributes).
    pub doc_bytes: usize,
    /// Heap bytes of the postings, positions, pairs and record numbering.
    pub posting_bytes: usize,
    /// Distinct pairs in the lists ([`COMMON_WORDS`]).
    pub pairs: usize,
    /// (pair, record version) pairs.
    pub pair_postings: usize,
    /// Heap bytes of the pairs, a part of `posting_bytes`.
    pub pair_bytes: usize,
}

impl SearchIndex {
    /// Counts and a heap estimate from lengths and capacities: the allocator's own overhead
    /// and the map's spare node slots are not counted.
    pub fn stats(&self) -> IndexStats {
        use std::mem::size_of;
        let doc_bytes = self.entries.capacity() * size_of::<Option<Doc>>()
            + self.meta.capacity() * size_of::<Meta>()
            + self
                .entries
                .iter()
                .flatten()
                .map(Doc::heap_bytes)
                .sum::<usize>();
        let posting_bytes = self
            .postings
            .iter()
            .map(|(word, list)| {
                size_of::<(Word, Postings)>() + word.heap_bytes() + list.heap_bytes()
            })
            .sum::<usize>()
            + self.numbers.capacity() * (size_of::<(DocKey, u32)>() + 1);
        let pair_bytes = self.pairs.capacity() * (size_of::<(Box<str>, PairPostings)>() + 1)
            + self
                .pairs
                .iter()
                .map(|(pair, list)| pair.len() + list.heap_bytes())
                .sum::<usize>();
        IndexStats {
            records: self.len(),
            vocabulary: self.postings.len(),
            postings: self.postings.values().map(|l| l.numbers().len()).sum(),
            positions: self.postings.values().map(Postings::position_count).sum(),
            doc_bytes,
            posting_bytes: posting_bytes + pair_bytes,
            pairs: self.pairs.len(),
            pair_postings: self.pairs.values().map(|l| l.numbers.len()).sum(),
            pair_bytes,
        }
    }

    /// Replaces everything with `docs`, visible at once.
    pub fn rebuild(&mut self, docs: impl IntoIterator<Item = Doc>) {
        let seen = self.seen_seq;
        *self = Self::default();
        self.seen_seq = seen;
        for doc in docs {
            self.put(doc.key, Some(doc));
        }
    }

    /// Makes `doc` (or the record's absence) visible at `due`.
    pub fn stage(&mut self, key: DocKey, doc: Option<Doc>, due: Timestamp, now: Timestamp) {
        if due <= now && self.staged.iter().all(|s| s.key != key) {
            self.put(key, doc);
        } else {
            self.staged.push(Staged { due, key, doc });
        }
    }

    /// Applies, in write order, every staged version whose time has come.
    pub fn catch_up(&mut self, now: Timestamp) {
        if self.staged.iter().all(|s| s.due > now) {
            return;
        }
        let staged = std::mem::take(&mut self.staged);
        let mut waiting = Vec::new();
        for item in staged {
            // A later version of a record never overtakes an earlier one still waiting.
            let blocked = waiting.iter().any(|w: &Staged| w.key == item.key);
            if item.due <= now && !blocked {
                self.put(item.key, item.doc);
            } else {
                waiting.push(item);
            }
        }
        self.staged = waiting;
    }

    /// Record versions written but not yet visible.
    pub fn lagging(&self) -> usize {
        self.staged.len()
    }

    /// Visible records.
    pub fn len(&self) -> usize {
        self.numbers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Distinct words in the lists (until the next compaction, also words only replaced
    /// versions held).
    pub fn vocabulary(&self) -> usize {
        self.postings.len()
    }

    fn put(&mut self, key: DocKey, doc: Option<Doc>) {
        if let Some(old) = self.numbers.remove(&key)
            && self.entries[old as usize].take().is_some()
        {
            let meta = &mut self.meta[old as usize];
            meta.live = false;
            self.live -= meta.weight as usize;
            self.dead += meta.weight as usize;
        }
        if let Some(doc) = doc {
            let number = u32::try_from(self.entries.len())
                .expect("fewer than 2^32 record versions between compactions");
            let (created_at, updated_at) = (doc.created_at, doc.updated_at);
            let (doc, weight) = self.add(number, doc);
            self.live += weight as usize;
            self.entries.push(Some(doc));
            self.meta.push(Meta {
                key,
                created_at,
                updated_at,
                live: true,
                weight,
            });
            self.numbers.insert(key, number);
        }
        if self.dead > self.live.max(COMPACT_FLOOR) {
            self.compact();
        }
    }

    /// Appends a version's postings and pairs under `number`: what the index keeps of the
    /// record, and its weight in the lists.
    fn add(&mut self, number: u32, mut doc: Doc) -> (Doc, u32) {
        let mut words: Vec<(&str, u32, Field)> = Vec::new();
        let mut pairs: Vec<(&str, &str, Field)> = Vec::new();
        for (field, text) in &doc.text {
            let base = (*field as u32) << FIELD_SHIFT;
            let mut place: u32 = 0;
            for value in text.split('\n') {
                let mut previous: Option<(&str, u32)> = None;
                for word in value.split(' ').filter(|w| !w.is_empty()) {
                    // A pair where the positions would find one: the next place of one value.
                    if let Some((first, at)) = previous
                        && at + 1 == place
                        && is_common(first)
                    {
                        pairs.push((first, word, *field));
                    }
                    previous = Some((word, place));
                    words.push((word, base | place, *field));
                    place = (place + 1).min(LAST_PLACE);
                }
                // No run crosses from one value to the next.
                place = (place + 1).min(LAST_PLACE);
            }
        }
        words.sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        let mut postings = 0;
        let mut positions: Vec<u32> = Vec::new();
        for group in words.chunk_by(|a, b| a.0 == b.0) {
            let word = group[0].0;
            let mask = group.iter().fold(0, |mask, w| mask | w.2.bit());
            positions.clear();
            positions.extend(group.iter().map(|w| w.1));
            match self.postings.get_mut(word.as_bytes()) {
                Some(list) => list.push(number, mask, &positions),
                None => {
                    let list = Postings::new(number, mask, &positions);
                    self.postings.insert(Word::new(word), list);
                }
            }
            postings += 1;
        }
        pairs.sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        let mut key = String::new();
        for group in pairs.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
            let key = pair_key(group[0].0, group[0].1, &mut key);
            let mask = group.iter().fold(0, |mask, w| mask | w.2.bit());
            let list = match self.pairs.get_mut(key) {
                Some(list) => list,
                None => self.pairs.entry(key.into()).or_default(),
            };
            list.numbers.push(number);
            list.masks.push(mask);
            postings += 1;
        }
        drop(words);
        drop(pairs);
        if doc
            .text
            .iter()
            .any(|(field, _)| !matches!(field, Field::Subject | Field::Name))
        {
            let kept = std::mem::take(&mut doc.text).into_vec().into_iter();
            doc.text = kept
                .filter(|(field, _)| matches!(field, Field::Subject | Field::Name))
                .collect();
        }
        let weight = u32::try_from(postings + 1).expect("fewer than 2^32 words in one record");
        (doc, weight)
    }

    /// Drops replaced versions from the lists and numbers the visible ones 0, 1, 2… in their
    /// order, which keeps every list sorted.
    fn compact(&mut self) {
        let mut renumbered = vec![u32::MAX; self.entries.len()];
        let mut next = 0;
        for (old, entry) in self.entries.iter().enumerate() {
            if entry.is_some() {
                renumbered[old] = next;
                next += 1;
            }
        }
        self.entries.retain(Option::is_some);
        self.meta.retain(|m| m.live);
        for number in self.numbers.values_mut() {
            *number = renumbered[*number as usize];
        }
        self.postings.retain(|_, list| list.renumber(&renumbered));
        self.pairs.retain(|_, list| {
            list.renumber(&renumbered);
            !list.numbers.is_empty()
        });
        self.dead = 0;
    }

    /// The visible user records (for resolving `requester:` values), their text cut down to
    /// the name.
    pub fn user_docs(&self) -> impl Iterator<Item = &Doc> {
        self.meta
            .iter()
            .zip(&self.entries)
            .filter(|(m, _)| m.live && matches!(m.key, DocKey::User(_)))
            .filter_map(|(_, e)| e.as_ref())
    }

    /// The visible records holding the run `words` (no prefix) in `field`: what residue asks
    /// of the index to find records it still finds by text they no longer hold.
    pub fn holding(&self, words: &[String], field: Field) -> Vec<DocKey> {
        self.run(words, false, field.bit())
            .into_iter()
            .filter(|n| self.meta[*n as usize].live)
            .map(|n| self.meta[n as usize].key)
            .collect()
    }

    /// How many visible records match `plan`.
    pub fn count(&self, plan: &Plan<'_>) -> usize {
        self.matching_numbers(plan).len()
    }

    /// How many visible records match `plan`, and the first `first` of them in `order`
    /// ([`super::first_in_order`]). Relevance's count of terms in a subject or name comes from
    /// the postings too.
    pub fn ranked<'a>(
        &'a self,
        plan: &Plan<'_>,
        order: Order,
        first: usize,
    ) -> (usize, Vec<&'a Doc>) {
        let numbers = self.matching_numbers(plan);
        let strong = match order.field {
            None => self.strong_sets(plan.query),
            Some(_) => Vec::new(),
        };
        let mut cursors = vec![0; strong.len()];
        let keyed = numbers.iter().map(|&number| {
            let mut hits = 0;
            for (set, at) in strong.iter().zip(&mut cursors) {
                *at = seek(set, *at, number);
                if set.get(*at) == Some(&number) {
                    hits += 1;
                }
            }
            let meta = &self.meta[number as usize];
            let key = super::sort_key(
                order,
                hits,
                meta.key,
                (meta.created_at, meta.updated_at),
                || &self.doc(number).attrs,
            );
            (key, number)
        });
        let top = super::first_in_order(keyed, first);
        (
            numbers.len(),
            top.into_iter().map(|n| self.doc(n)).collect(),
        )
    }

    fn doc(&self, number: u32) -> &Doc {
        self.entries[number as usize]
            .as_ref()
            .expect("matching returns visible records")
    }

    /// The visible records matching `plan`, ascending.
    /// A query without clauses (blank, or only `order_by:`) finds nothing (INFERRED).
    fn matching_numbers(&self, plan: &Plan<'_>) -> Vec<u32> {
        let clauses = &plan.query.clauses;
        if clauses.is_empty() {
            return Vec::new();
        }
        let mut required: Option<Vec<u32>> = None;
        for clause in clauses.iter().filter(|c| !c.negated) {
            if let Pred::Text(text) = &clause.pred {
                let found = self.text_matches(text);
                let both = match required {
                    None => found,
                    Some(have) => intersect(&have, &found),
                };
                if both.is_empty() {
                    return Vec::new();
                }
                required = Some(both);
            }
        }
        let excluded: Vec<Vec<u32>> = clauses
            .iter()
            .filter(|c| c.negated)
            .filter_map(|c| match &c.pred {
                Pred::Text(text) => Some(self.text_matches(text)),
                _ => None,
            })
            .collect();
        let kind = plan.query.kind();
        let others = plan.has_other_than_text();
        let keep = |number: &u32| -> bool {
            let meta = &self.meta[*number as usize];
            meta.live
                && kind_allows(kind, meta.key)
                && excluded.iter().all(|x| x.binary_search(number).is_err())
                && (!others || plan.matches_besides_text(self.doc(*number)))
        };
        match required {
            Some(numbers) => numbers.into_iter().filter(keep).collect(),
            None => (0..self.entries.len() as u32).filter(keep).collect(),
        }
    }

    /// For each of the query's positive text clauses, the records (ascending) whose subject or
    /// name holds it, or whose id it names: what [`super::StrongTerms`] finds in the text.
    fn strong_sets(&self, query: &Query) -> Vec<Vec<u32>> {
        query
            .clauses
            .iter()
            .filter(|c| !c.negated)
            .filter_map(|c| match &c.pred {
                Pred::Text(text) => Some(text),
                _ => None,
            })
            .map(|text| {
                let fields = Field::Subject.bit() | Field::Name.bit();
                let mut strong = self.run(&text.words, text.prefix, fields);
                if let Some(id) = text.ticket_id
                    && let Some(number) = self.numbers.get(&DocKey::Ticket(id))
                {
                    strong.push(*number);
                    strong.sort_unstable();
                    strong.dedup();
                }
                strong
            })
            .collect()
    }

    /// The records satisfying the text clause `text` (what [`super::eval::text_holds`] finds in
    /// their text), ascending: the run of words in a field the clause searches, a phone
    /// number's digits, a ticket's id. May include replaced versions, which
    /// [`SearchIndex::matching_numbers`] never keeps.
    fn text_matches(&self, text: &Text) -> Vec<u32> {
        let fields = text.field.map_or(ANY_FIELD, Field::bit);
        let mut found = self.run(&text.words, text.prefix, fields);
        if let Some(digits) = &text.digits
            && matches!(text.field, None | Some(Field::Phone))
            && let Some(list) = self.postings.get(digits.as_bytes())
        {
            let phone = Field::Phone.bit();
            found.extend(
                list.records()
                    .filter(|(_, mask, _)| *mask & phone != 0)
                    .map(|(n, _, _)| n),
            );
        }
        if let Some(id) = text.ticket_id {
            found.extend(self.numbers.get(&DocKey::Ticket(id)));
        }
        if text.digits.is_some() || text.ticket_id.is_some() {
            found.sort_unstable();
            found.dedup();
        }
        found
    }

    /// Record versions holding `words` consecutively in one value of one of `fields` (a mask of
    /// [`Field::bit`]s; [`ANY_FIELD`]: a record has only the fields a bare term searches), the
    /// last word possibly a prefix. Ascending; may include replaced versions.
    fn run(&self, words: &[String], prefix: bool, fields: u16) -> Vec<u32> {
        if words.is_empty() {
            return Vec::new();
        }
        // The lists each word of the run may come from: its own, or for a prefix every word's
        // it begins.
        let mut slots: Vec<Vec<View<'_>>> = Vec::with_capacity(words.len());
        for (i, word) in words.iter().enumerate() {
            let lists: Vec<View<'_>> = if prefix && i + 1 == words.len() {
                self.postings
                    .range::<[u8], _>((Bound::Included(word.as_bytes()), Bound::Unbounded))
                    .take_while(|(w, _)| w.as_bytes().starts_with(word.as_bytes()))
                    .map(|(_, list)| list.view())
                    .collect()
            } else {
                self.postings
                    .get(word.as_bytes())
                    .map(Postings::view)
                    .into_iter()
                    .collect()
            };
            if lists.is_empty() {
                return Vec::new();
            }
            slots.push(lists);
        }
        // The run's pairs: each word but the last of a prefix, where the word before is common.
        // A pair no record holds means no record holds the run.
        let whole = if prefix { words.len() - 1 } else { words.len() };
        let mut pairs: Vec<&PairPostings> = Vec::new();
        let mut paired = vec![false; words.len()];
        let mut key = String::new();
        for i in 1..whole {
            if is_common(&words[i - 1]) {
                let Some(list) = self.pairs.get(pair_key(&words[i - 1], &words[i], &mut key))
                else {
                    return Vec::new();
                };
                pairs.push(list);
                paired[i - 1] = true;
                paired[i] = true;
            }
        }
        // The candidates: the records of each pair and of each word in no pair (with it in one of
        // the fields; a pair's words are in its fields). One word, or two in a pair, need
        // nothing more.
        let pair_sets = pairs.iter().map(|list| {
            if fields == ANY_FIELD {
                Cow::Borrowed(list.numbers.as_slice())
            } else {
                Cow::Owned(
                    list.numbers
                        .iter()
                        .zip(&list.masks)
                        .filter(|(_, m)| **m & fields != 0)
                        .map(|(n, _)| *n)
                        .collect(),
                )
            }
        });
        let word_sets = slots
            .iter()
            .zip(&paired)
            .filter(|(_, paired)| !**paired)
            .map(|(lists, _)| match lists.as_slice() {
                [list] if fields == ANY_FIELD => Cow::Borrowed(list.numbers),
                _ => {
                    let mut numbers: Vec<u32> = lists
                        .iter()
                        .flat_map(|list| {
                            let numbers = list.numbers.iter().enumerate();
                            // A bare term's fields are all a record has: no mask to read.
                            numbers.filter(|(at, _)| {
                                fields == ANY_FIELD || list.mask(*at) & fields != 0
                            })
                        })
                        .map(|(_, n)| *n)
                        .collect();
                    if lists.len() > 1 {
                        numbers.sort_unstable();
                        numbers.dedup();
                    }
                    Cow::Owned(numbers)
                }
            });
        let sets: Vec<Cow<'_, [u32]>> = pair_sets.chain(word_sets).collect();
        let mut by_size: Vec<&[u32]> = sets.iter().map(|s| s.as_ref()).collect();
        by_size.sort_by_key(|s| s.len());
        let Some((smallest, others)) = by_size.split_first() else {
            return Vec::new();
        };
        let mut candidates = smallest.to_vec();
        for set in others {
            if candidates.is_empty() {
                break;
            }
            candidates = intersect(&candidates, set);
        }
        if slots.len() == 1 || (slots.len() == 2 && pairs.len() == 1) {
            return candidates;
        }
        // Then the positions: some start p with word i at p + i for every i. A word with one
        // list is read in place; a prefix's lists are merged into `merged`.
        let mut cursors: Vec<Vec<usize>> = slots.iter().map(|l| vec![0; l.len()]).collect();
        let mut merged: Vec<Vec<u32>> = vec![Vec::new(); slots.len()];
        let mut walked: Vec<usize> = Vec::with_capacity(slots.len());
        let mut found = Vec::new();
        'records: for number in candidates {
            for (slot, lists) in slots.iter().enumerate() {
                let single = lists.len() == 1;
                if !single {
                    merged[slot].clear();
                }
                for (list, cursor) in lists.iter().zip(&mut cursors[slot]) {
                    let numbers = list.numbers;
                    *cursor = seek(numbers, *cursor, number);
                    let here =
                        numbers.get(*cursor) == Some(&number) && list.mask(*cursor) & fields != 0;
                    if single && !here {
                        continue 'records;
                    }
                    if !single && here {
                        merged[slot].extend_from_slice(list.positions_of(*cursor));
                    }
                }
                if !single {
                    if merged[slot].is_empty() {
                        continue 'records;
                    }
                    merged[slot].sort_unstable();
                }
            }
            let positions = |slot: usize| -> &[u32] {
                match slots[slot].as_slice() {
                    [list] => list.positions_of(cursors[slot][0]),
                    _ => &merged[slot],
                }
            };
            // Each start the rarest word allows, in order; every other word's positions are
            // walked once alongside (a merge: sequential reads, where binary searches would
            // wait on memory at every step).
            let rarest = (0..slots.len())
                .min_by_key(|slot| positions(*slot).len())
                .expect("a run has words");
            walked.clear();
            walked.resize(slots.len(), 0);
            let holds = positions(rarest).iter().any(|&q| {
                let Some(start) = q.checked_sub(rarest as u32) else {
                    return false;
                };
                if field_bit(start) & fields == 0 {
                    return false;
                }
                (0..slots.len()).all(|slot| {
                    if slot == rarest {
                        return true;
                    }
                    let Some(wanted) = start.checked_add(slot as u32) else {
                        return false;
                    };
                    let here = positions(slot);
                    let at = &mut walked[slot];
                    while here.get(*at).is_some_and(|p| *p < wanted) {
                        *at += 1;
                    }
                    wanted >> FIELD_SHIFT == start >> FIELD_SHIFT && here.get(*at) == Some(&wanted)
                })
            });
            if holds {
                found.push(number);
            }
        }
        found
    }
}

/// A field mask with every field: a bare term searches all the fields a record has.
const ANY_FIELD: u16 = u16::MAX;

/// May a record of this key be returned by a query restricted to `kind`?
pub fn kind_allows(kind: Option<Kind>, key: DocKey) -> bool {
    matches!(
        (kind, key),
        (None, _) | (Some(Kind::Ticket), DocKey::Ticket(_)) | (Some(Kind::User), DocKey::User(_))
    )
}

/// The first index at or after `from` whose number is not below `target` (galloping: the
/// callers walk a list in order).
fn seek(numbers: &[u32], from: usize, target: u32) -> usize {
    let from = from.min(numbers.len());
    let rest = &numbers[from..];
    let (mut low, mut high) = (0, 1);
    while high < rest.len() && rest[high] < target {
        low = high;
        high *= 2;
    }
    let high = high.min(rest.len());
    from + low + rest[low..high].partition_point(|n| *n < target)
}

/// Both sorted lists' common numbers.
fn intersect(a: &[u32], b: &[u32]) -> Vec<u32> {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let mut out = Vec::with_capacity(small.len());
    let mut at = 0;
    for &n in small {
        at = seek(large, at, n);
        if at == large.len() {
            break;
        }
        if large[at] == n {
            out.push(n);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::search::analyze::{holds_run, normalize, words};
    use crate::store::search::document::Attrs;
    use crate::store::tickets::Status;
    use proptest::prelude::{TestCaseError, prop_assert, prop_assert_eq};

    fn ticket(id: i64, subject: &str, comments: &[&str]) -> Doc {
        let mut text = Vec::new();
        for (field, value) in [
            (Field::Subject, normalize([subject])),
            (Field::Description, normalize(comments.first().copied())),
            (Field::Comment, normalize(comments.iter().copied())),
        ] {
            if !value.is_empty() {
                text.push((field, value.into_boxed_str()));
            }
        }
        Doc {
            key: DocKey::Ticket(id),
            text: text.into(),
            created_at: 0,
            updated_at: 0,
            attrs: Attrs::Ticket {
                status: Status::Open,
                priority: None,
                ticket_type: None,
                requester_id: 1,
                submitter_id: 1,
                assignee_id: None,
                organization_id: None,
                channel: "api".into(),
                solved_at: None,
                tags: Box::default(),
            },
        }
    }

    fn text(field: Option<Field>, query: &str, prefix: bool) -> Text {
        Text {
            field,
            words: words(query).collect(),
            prefix,
            digits: None,
            ticket_id: None,
        }
    }

    /// The visible records the index finds for `text`, by id.
    fn found(index: &SearchIndex, text: &Text) -> Vec<i64> {
        let mut ids: Vec<i64> = index
            .text_matches(text)
            .into_iter()
            .filter_map(|n| index.entries[n as usize].as_ref())
            .map(|doc| match doc.key {
                DocKey::Ticket(id) | DocKey::User(id) => id,
            })
            .collect();
        ids.sort_unstable();
        ids
    }

    /// What a scan of the same records' text finds.
    fn scanned(docs: &[Doc], text: &Text) -> Vec<i64> {
        let fields = [Field::Subject, Field::Description, Field::Comment];
        let mut ids: Vec<i64> = docs
            .iter()
            .filter(|d| {
                fields
                    .iter()
                    .filter(|f| text.field.is_none_or(|want| want == **f))
                    .any(|f| {
                        d.field(*f)
                            .is_some_and(|t| holds_run(t, &text.words, text.prefix))
                    })
            })
            .map(|d| match d.key {
                DocKey::Ticket(id) | DocKey::User(id) => id,
            })
            .collect();
        ids.sort_unstable();
        ids
    }

    fn world() -> Vec<Doc> {
        vec![
            ticket(
                1,
                "Tip-Top Mops",
                &["where is my order", "the order shipped"],
            ),
            ticket(2, "Order question", &["my", "order number 42"]),
            ticket(
                3,
                "Desktop",
                &["topology of the order", "ends with jane", "roe starts"],
            ),
            ticket(
                4,
                "Jane Roe",
                &["jane.roe@example.org wrote", "order order order"],
            ),
            // Pairs of common words: at the end of one value and the start of the next, in runs
            // of several, repeated, in the subject only.
            ticket(
                5,
                "The order of the day",
                &["it ends with the", "order starts here", "of the the order"],
            ),
            ticket(6, "my", &["the", "order", "it is the order of it"]),
            ticket(7, "Is it the ordering", &["the the the", "of theorder"]),
        ]
    }

    fn queries() -> Vec<Text> {
        vec![
            text(None, "order", false),
            text(None, "ord", true),
            text(None, "top", true),
            text(None, "my order", false),
            text(None, "the order", false),
            text(None, "jane roe", false),
            text(None, "jane ro", true),
            text(None, "jane.roe@example.org", true),
            text(None, "order order", false),
            text(None, "order order order order", false),
            text(Some(Field::Subject), "order", false),
            text(Some(Field::Description), "the order", false),
            text(Some(Field::Comment), "the order", false),
            text(Some(Field::Comment), "order n", true),
            // Runs with pairs (a common word, then any word).
            text(None, "of the order", false),
            text(None, "the the order", false),
            text(None, "the the", false),
            text(None, "the the the", false),
            text(None, "the the the the", false),
            text(None, "with the order", false),
            text(None, "ends with the", false),
            text(None, "the order of the", false),
            text(None, "it is the order of it", false),
            text(None, "the day", false),
            text(None, "my order", true),
            text(None, "the ord", true),
            text(None, "the order", true),
            text(None, "of the", true),
            text(None, "of the o", true),
            text(None, "of the the ord", true),
            text(None, "is the order o", true),
            text(None, "the", true),
            text(Some(Field::Subject), "the order", false),
            text(Some(Field::Subject), "the ord", true),
            text(Some(Field::Subject), "of the day", false),
            text(Some(Field::Description), "of the", false),
            text(Some(Field::Comment), "of the", false),
            text(Some(Field::Comment), "the order of", false),
        ]
    }

    #[test]
    fn runs_found_by_position_are_the_runs_the_text_holds() {
        let docs = world();
        let mut index = SearchIndex::default();
        index.rebuild(docs.clone());
        for query in queries() {
            assert_eq!(found(&index, &query), scanned(&docs, &query), "{query:?}");
        }
    }

    #[test]
    fn pairs_begin_with_a_common_word_and_stay_in_one_value() {
        let mut index = SearchIndex::default();
        index.rebuild(world());
        let holding = |pair: &str| -> Vec<u32> {
            index
                .pairs
                .get(pair)
                .map(|l| l.numbers.clone())
                .unwrap_or_default()
        };
        // Tickets 1, 3, 5 and 6 are versions 0, 2, 4 and 5.
        assert_eq!(holding("the order"), [0, 2, 4, 5]);
        assert_eq!(holding("the the"), [4, 6]);
        assert_eq!(holding("the theorder"), Vec::<u32>::new());
        assert_eq!(holding("with the"), [4]);
        assert_eq!(
            holding("order order"),
            Vec::<u32>::new(),
            "order is not common"
        );
        // "the" ends a comment of ticket 5, "order" starts the next.
        let five = &index.pairs["the order"];
        assert_eq!(five.masks[2], Field::Subject.bit() | Field::Comment.bit());
        let stats = index.stats();
        assert_eq!(stats.pairs, index.pairs.len());
        assert!(stats.pair_postings >= 4 && stats.pair_bytes > 0);
        assert!(COMMON_WORDS.is_sorted());
        assert!(COMMON_WORDS.iter().all(|w| words(w).eq([*w])));
        assert!(COMMON_WORDS.iter().all(|w| is_common(w)));
        for other in [
            "",
            "th",
            "thee",
            "them\u{0}",
            "order",
            "abouts",
            "wouldn't",
            "ab",
            "yourself",
        ] {
            assert!(!is_common(other), "{other:?}");
        }
    }

    #[test]
    fn replaced_versions_are_skipped_then_compacted_away() {
        let mut docs = world();
        let mut index = SearchIndex::default();
        index.rebuild(docs.clone());
        docs[0] = ticket(1, "Renamed", &["nothing about it"]);
        docs[2] = ticket(3, "Desktop", &["my order at last"]);
        index.put(docs[0].key, Some(docs[0].clone()));
        index.put(docs[2].key, Some(docs[2].clone()));
        index.put(docs[3].key, None);
        docs.remove(3);
        assert!(index.dead > 0);
        for query in queries() {
            assert_eq!(found(&index, &query), scanned(&docs, &query), "{query:?}");
        }
        index.compact();
        assert_eq!(index.dead, 0);
        assert_eq!(index.entries.len(), 6, "only the visible versions remain");
        assert!(index.entries.iter().all(Option::is_some));
        assert!(index.meta.iter().all(|m| m.live));
        assert_eq!(index.meta.len(), 6);
        let pair_records = index.pairs.values().flat_map(|l| &l.numbers);
        assert!(
            pair_records
                .into_iter()
                .all(|n| index.meta[*n as usize].live)
        );
        for query in queries() {
            assert_eq!(found(&index, &query), scanned(&docs, &query), "{query:?}");
        }
    }

    #[test]
    fn a_word_held_once_costs_its_map_slot_alone() {
        use std::mem::size_of;
        assert_eq!(size_of::<Postings>(), 16);
        assert_eq!(size_of::<Word>(), 24);
        let mut index = SearchIndex::default();
        index.rebuild([ticket(1, "Jane", &[])]);
        let stats = index.stats();
        assert_eq!(
            (stats.vocabulary, stats.postings, stats.positions),
            (1, 1, 1)
        );
        let slot = size_of::<(Word, Postings)>() + index.numbers.capacity() * 25;
        assert_eq!(stats.posting_bytes, slot, "no allocation for the word");
    }

    /// A record's positions for the model below: `count` places in fields, ascending.
    fn positions(fields: &[(u8, u32)]) -> (u16, Vec<u32>) {
        let mut positions: Vec<u32> = fields
            .iter()
            .map(|(field, place)| (u32::from(*field % 10) << FIELD_SHIFT) | place)
            .collect();
        positions.sort_unstable();
        positions.dedup();
        let mask = positions.iter().fold(0, |mask, p| mask | field_bit(*p));
        (mask, positions)
    }

    fn holds(list: &Postings, model: &[(u32, u16, Vec<u32>)]) -> Result<(), TestCaseError> {
        let numbers: Vec<u32> = model.iter().map(|r| r.0).collect();
        prop_assert_eq!(list.numbers(), numbers.as_slice());
        for (at, (_, mask, positions)) in model.iter().enumerate() {
            prop_assert_eq!(list.mask(at), *mask);
            prop_assert_eq!(list.positions_of(at), positions.as_slice());
        }
        let held: usize = model.iter().map(|r| r.2.len()).sum();
        prop_assert_eq!(list.position_count(), held);
        let one = matches!(list, Postings::One { .. });
        prop_assert_eq!(one, list.heap_bytes() == 0);
        if let Postings::Many(many) = list {
            prop_assert_eq!(many.several(), model.iter().any(|r| r.2.len() > 1));
        }
        Ok(())
    }

    proptest::proptest! {
        /// Postings hold what was appended — one record at one place, then more, a record at
        /// several places — and after a compaction exactly what it kept, under the new numbers.
        #[test]
        fn postings_hold_what_was_appended_and_what_compaction_keeps(
            records in proptest::collection::vec(
                (1..4u32, proptest::collection::vec((0..10u8, 0..50u32), 1..4)),
                1..40,
            ),
            keep in proptest::collection::vec(proptest::bool::weighted(0.4), 200),
            more in proptest::collection::vec(proptest::collection::vec((0..10u8, 0..50u32), 1..3), 0..6),
        ) {
            let mut model: Vec<(u32, u16, Vec<u32>)> = Vec::new();
            let mut list: Option<Postings> = None;
            let mut number = 0;
            for (gap, places) in &records {
                number += gap;
                let (mask, held) = positions(places);
                match &mut list {
                    None => list = Some(Postings::new(number, mask, &held)),
                    Some(list) => list.push(number, mask, &held),
                }
                model.push((number, mask, held));
                holds(list.as_ref().expect("pushed"), &model)?;
            }
            let mut list = list.expect("at least one record");
            let mut renumbered = vec![u32::MAX; number as usize + 1];
            let mut next = 0;
            for (old, slot) in renumbered.iter_mut().enumerate() {
                if keep[old] {
                    *slot = next;
                    next += 1;
                }
            }
            model.retain(|r| keep[r.0 as usize]);
            for record in &mut model {
                record.0 = renumbered[record.0 as usize];
            }
            prop_assert_eq!(list.renumber(&renumbered), !model.is_empty());
            if model.is_empty() {
                return Ok(());
            }
            holds(&list, &model)?;
            for (number, places) in (next + 3..).zip(&more) {
                let (mask, held) = positions(places);
                list.push(number, mask, &held);
                model.push((number, mask, held));
                holds(&list, &model)?;
            }
        }

        /// The index against a scan while words come and go: many of them held by one record
        /// only (one place, then several), then by a second, then replaced, removed and
        /// compacted away.
        #[test]
        fn words_held_once_then_again_then_replaced_agree_with_a_scan(
            steps in proptest::collection::vec(
                (0..6i64, proptest::option::of((
                    proptest::collection::vec(0..40usize, 1..4),
                    proptest::collection::vec(proptest::collection::vec(0..40usize, 1..6), 0..3),
                )), proptest::bool::weighted(0.15)),
                1..30,
            ),
            probes in proptest::collection::vec((0..40usize, 0..40usize, 0..6u8), 1..12),
        ) {
            // Rare words (`u0`…`u29`, each likely in one record) and a few common ones.
            let vocabulary: Vec<String> = (0..30)
                .map(|i| format!("u{i}"))
                .chain(["the", "order", "of", "jane", "u1x", "ro"].map(str::to_owned))
                .chain((0..4).map(|i| format!("u{i}{i}")))
                .collect();
            let say = |picks: &[usize]| -> String {
                picks.iter().map(|i| vocabulary[*i].as_str()).collect::<Vec<_>>().join(" ")
            };
            let mut index = SearchIndex::default();
            let mut docs: std::collections::BTreeMap<i64, Doc> = Default::default();
            for (id, doc, compact) in &steps {
                let key = DocKey::Ticket(*id);
                match doc {
                    Some((subject, comments)) => {
                        let comments: Vec<String> = comments.iter().map(|c| say(c)).collect();
                        let comments: Vec<&str> = comments.iter().map(String::as_str).collect();
                        let doc = ticket(*id, &say(subject), &comments);
                        docs.insert(*id, doc.clone());
                        index.put(key, Some(doc));
                    }
                    None => {
                        docs.remove(id);
                        index.put(key, None);
                    }
                }
                if *compact {
                    index.compact();
                    prop_assert!(index.entries.iter().all(Option::is_some));
                }
                let visible: Vec<Doc> = docs.values().cloned().collect();
                for (first, second, shape) in &probes {
                    let query = match shape {
                        0 => text(None, &vocabulary[*first], false),
                        1 => text(None, &vocabulary[*first][..2.min(vocabulary[*first].len())], true),
                        2 => text(None, &say(&[*first, *second]), false),
                        // In one field: a record's mask, not only its numbers.
                        field => {
                            let field = [Field::Subject, Field::Description, Field::Comment]
                                [usize::from(field - 3)];
                            text(Some(field), &vocabulary[*first], *second % 2 == 0)
                        }
                    };
                    prop_assert_eq!(found(&index, &query), scanned(&visible, &query), "{:?}", query);
                }
            }
            index.compact();
            let stats = index.stats();
            prop_assert_eq!(stats.records, docs.len());
            prop_assert_eq!(index.vocabulary() == 0, docs.is_empty());
        }
    }
}
