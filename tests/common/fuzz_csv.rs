//! CSV files for the importer property tests (tests/fuzz_import.rs): valid
//! attendee and session tables in the shape of the demo files, rendered
//! with chosen line ends, then mangled cell by cell and byte by byte the
//! way a spreadsheet, an editor or a truncated copy mangles them.

use proptest::prelude::*;
use proptest::sample::Index;

use super::fuzz::{Bytes, hostile_bytes};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Attendees,
    Sessions,
}

impl Table {
    pub fn file_name(self) -> &'static str {
        match self {
            Table::Attendees => "attendees.csv",
            Table::Sessions => "sessions.csv",
        }
    }
    pub fn header(self) -> &'static str {
        match self {
            Table::Attendees => "badge_id,first_name,last_name,degree,profession,email\n",
            Table::Sessions => {
                "session_id,title,starts_at,ends_at,credits,credit_types,track,room,acpe_uan\n"
            }
        }
    }
}

#[derive(Debug, Clone)]
pub struct Field {
    pub text: Bytes,
    pub quote: bool,
}

impl Field {
    pub fn new(s: &str) -> Field {
        Field {
            text: Bytes(s.as_bytes().to_vec()),
            quote: s.contains([',', '"', '\n', '\r']),
        }
    }
}

#[derive(Debug, Clone)]
enum CsvMut {
    Set {
        row: Index,
        col: Index,
        text: Bytes,
        quote: bool,
    },
    Drop {
        row: Index,
        col: Index,
    },
    Extra {
        row: Index,
        text: Bytes,
    },
    DupRow {
        row: Index,
    },
    DropRow {
        row: Index,
    },
    BlankRow {
        row: Index,
        text: &'static str,
    },
    Ending {
        row: Index,
        ending: &'static str,
    },
    Huge {
        row: Index,
        col: Index,
        len: usize,
        fill: u8,
        quote: bool,
    },
    HeaderCase {
        col: Index,
    },
}

#[derive(Debug, Clone)]
enum ByteMut {
    Insert { at: Index, bytes: Bytes },
    Replace { at: Index, byte: u8 },
    Truncate { at: Index },
    Bom,
}

const ENDINGS: &[&str] = &["\n", "\r\n", "\r", "\n\r", "", "\r\r\n"];

fn csv_mut() -> BoxedStrategy<CsvMut> {
    prop_oneof![
        6 => (any::<Index>(), any::<Index>(), hostile_bytes(), any::<bool>())
            .prop_map(|(row, col, text, quote)| CsvMut::Set { row, col, text: Bytes(text), quote }),
        2 => (any::<Index>(), any::<Index>()).prop_map(|(row, col)| CsvMut::Drop { row, col }),
        2 => (any::<Index>(), hostile_bytes()).prop_map(|(row, t)| CsvMut::Extra { row, text: Bytes(t) }),
        1 => any::<Index>().prop_map(|row| CsvMut::DupRow { row }),
        1 => any::<Index>().prop_map(|row| CsvMut::DropRow { row }),
        1 => (any::<Index>(), prop::sample::select(&["", " ", "\t", ",,,,", " , ", "\"\""][..]))
            .prop_map(|(row, text)| CsvMut::BlankRow { row, text }),
        2 => (any::<Index>(), prop::sample::select(ENDINGS))
            .prop_map(|(row, ending)| CsvMut::Ending { row, ending }),
        1 => (any::<Index>(), any::<Index>(), prop_oneof![70usize..200, 1_000usize..300_000],
              prop::sample::select(&[b'x', b' ', b'"', b',', 0xC3, 0xFF, b'\n', 0][..]), any::<bool>())
            .prop_map(|(row, col, len, fill, quote)| CsvMut::Huge { row, col, len, fill, quote }),
        1 => any::<Index>().prop_map(|col| CsvMut::HeaderCase { col }),
    ]
    .boxed()
}

fn byte_mut() -> BoxedStrategy<ByteMut> {
    prop_oneof![
        3 => (any::<Index>(), hostile_bytes()).prop_map(|(at, b)| ByteMut::Insert { at, bytes: Bytes(b) }),
        2 => (any::<Index>(), any::<u8>()).prop_map(|(at, byte)| ByteMut::Replace { at, byte }),
        1 => any::<Index>().prop_map(|at| ByteMut::Truncate { at }),
        1 => Just(ByteMut::Bom),
    ]
    .boxed()
}

const FIRST: &[&str] = &[
    "Amelia",
    "Siobhán",
    "花子",
    "José",
    "Zoë",
    "Łukasz",
    "Anne-Marie",
    "\"Bud\"",
    "",
];
const LAST: &[&str] = &[
    "Okafor",
    "田中",
    "Smith, Jr.",
    "van der Berg",
    "Nguyễn",
    "O'Brien",
];
const DEGREES: &[&str] = &["MD", "RN", "PharmD", "", "MD, PhD", "PA-C"];
const PROFESSIONS: &[&str] = &[
    "physician",
    "physician_assistant",
    "nurse",
    "pharmacist",
    "other",
];
const TITLES: &[&str] = &[
    "Biliary Tract Cancers: FGFR2, IDH1, and Immunotherapy",
    "Dose Adjustments in Renal and Hepatic Impairment",
    "The \"Right\" Dose",
    "Línea 1 / 線 2",
];

/// A valid attendees table: header first, then the rows.
pub fn attendee_table() -> BoxedStrategy<Vec<Vec<Field>>> {
    // The required columns, and two a roster often carries beside them.
    let columns: Vec<&'static str> = cekiosk::import::ATTENDEE_COLUMNS
        .into_iter()
        .chain(["organization", "country"])
        .collect();
    (
        Just(columns).prop_shuffle(),
        0u32..1_000_000,
        prop::collection::vec(
            (
                0..FIRST.len(),
                0..LAST.len(),
                0..DEGREES.len(),
                0..PROFESSIONS.len(),
                any::<bool>(),
            ),
            0..14,
        ),
    )
        .prop_map(|(columns, base, rows)| {
            let mut table = vec![columns.iter().map(|c| Field::new(c)).collect::<Vec<_>>()];
            for (i, (f, l, d, p, email)) in rows.into_iter().enumerate() {
                let badge = format!("A{:07}", base + i as u32 * 7);
                let email = if email {
                    format!("{}@example.org", badge.to_lowercase())
                } else {
                    String::new()
                };
                let row = columns
                    .iter()
                    .map(|c| {
                        Field::new(match *c {
                            "badge_id" => &badge,
                            "first_name" => FIRST[f],
                            "last_name" => LAST[l],
                            "degree" => DEGREES[d],
                            "profession" => PROFESSIONS[p],
                            "email" => &email,
                            "organization" => "Siteman Cancer Center, Washington University",
                            _ => "United States",
                        })
                    })
                    .collect();
                table.push(row);
            }
            table
        })
        .boxed()
}

/// A valid session catalog for the demo event (2026-11-23 to 27, Chicago).
pub fn session_table() -> BoxedStrategy<Vec<Vec<Field>>> {
    let columns: Vec<&'static str> = cekiosk::import::SESSION_FILE_COLUMNS.to_vec();
    (
        Just(columns).prop_shuffle(),
        prop::collection::vec(
            (
                0u32..5,
                28u32..68,
                1u32..=16,
                any::<Index>(),
                1u8..16,
                0..TITLES.len(),
                any::<bool>(),
            ),
            0..14,
        ),
    )
        .prop_map(|(columns, rows)| {
            let mut table = vec![columns.iter().map(|c| Field::new(c)).collect::<Vec<_>>()];
            for (i, (day, start_q, dur_q, credit_idx, mask, title, uan)) in
                rows.into_iter().enumerate()
            {
                let at = |q: u32| format!("2026-11-{}T{:02}:{:02}", 23 + day, q / 4, (q % 4) * 15);
                let credits = credit_idx.index(dur_q as usize + 1) as u32;
                // A session eligible for MOC is eligible for AMA (the
                // import refuses MOC alone).
                let mask = if mask & 0b1000 != 0 { mask | 1 } else { mask };
                let codes: Vec<&str> = ["AMA", "ANCC", "ACPE", "MOC"]
                    .iter()
                    .enumerate()
                    .filter(|(b, _)| mask & (1 << b) != 0)
                    .map(|(_, c)| *c)
                    .collect();
                let uan = if uan {
                    format!("JA0000534-0000-26-{i:03}-L01-P;JA0000534-0000-26-{i:03}-L01-T")
                } else {
                    String::new()
                };
                let row = columns
                    .iter()
                    .map(|c| {
                        Field::new(&match *c {
                            "session_id" => format!("S{i:03}"),
                            "title" => TITLES[title].to_string(),
                            "starts_at" => at(start_q),
                            "ends_at" => at(start_q + dur_q),
                            "credits" => cekiosk::domain::format_quarters(credits),
                            "credit_types" => codes.join(";"),
                            "track" => "Lung".to_string(),
                            "room" => "S100".to_string(),
                            _ => uan.clone(),
                        })
                    })
                    .collect();
                table.push(row);
            }
            table
        })
        .boxed()
}

pub fn render(table: &[Vec<Field>], endings: &[&str]) -> Vec<u8> {
    let mut out = Vec::new();
    for (row, ending) in table.iter().zip(endings) {
        for (i, f) in row.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            if f.quote {
                out.push(b'"');
                for &b in &f.text.0 {
                    if b == b'"' {
                        out.push(b'"');
                    }
                    out.push(b);
                }
                out.push(b'"');
            } else {
                out.extend_from_slice(&f.text.0);
            }
        }
        out.extend_from_slice(ending.as_bytes());
    }
    out
}

fn mutate_table(
    mut table: Vec<Vec<Field>>,
    ending: &'static str,
    muts: &[CsvMut],
    bytes: &[ByteMut],
) -> Vec<u8> {
    let mut endings: Vec<&str> = vec![ending; table.len()];
    for m in muts {
        let rows = table.len();
        if rows == 0 {
            break;
        }
        match m {
            CsvMut::Set {
                row,
                col,
                text,
                quote,
            } => {
                let r = &mut table[row.index(rows)];
                if !r.is_empty() {
                    let c = col.index(r.len());
                    r[c] = Field {
                        text: text.clone(),
                        quote: *quote,
                    };
                }
            }
            CsvMut::Drop { row, col } => {
                let r = &mut table[row.index(rows)];
                if !r.is_empty() {
                    let c = col.index(r.len());
                    r.remove(c);
                }
            }
            CsvMut::Extra { row, text } => table[row.index(rows)].push(Field {
                text: text.clone(),
                quote: false,
            }),
            CsvMut::DupRow { row } => {
                let i = row.index(rows);
                let copy = table[i].clone();
                table.insert(i + 1, copy);
                endings.insert(i + 1, endings[i]);
            }
            CsvMut::DropRow { row } => {
                let i = row.index(rows);
                table.remove(i);
                endings.remove(i);
            }
            CsvMut::BlankRow { row, text } => {
                let i = row.index(rows + 1);
                table.insert(i, vec![Field::new(text)]);
                endings.insert(i, ending);
            }
            CsvMut::Ending { row, ending } => endings[row.index(rows)] = ending,
            CsvMut::Huge {
                row,
                col,
                len,
                fill,
                quote,
            } => {
                let r = &mut table[row.index(rows)];
                if !r.is_empty() {
                    let c = col.index(r.len());
                    r[c] = Field {
                        text: Bytes(vec![*fill; *len]),
                        quote: *quote,
                    };
                }
            }
            CsvMut::HeaderCase { col } => {
                let r = &mut table[0];
                if !r.is_empty() {
                    let c = col.index(r.len());
                    let upper = String::from_utf8_lossy(&r[c].text.0).to_uppercase();
                    r[c] = Field::new(&format!(" {upper} "));
                }
            }
        }
    }
    let mut out = render(&table, &endings);
    for m in bytes {
        match m {
            ByteMut::Insert { at, bytes } => {
                let i = at.index(out.len() + 1);
                out.splice(i..i, bytes.0.iter().copied());
            }
            ByteMut::Replace { at, byte } => {
                if !out.is_empty() {
                    let i = at.index(out.len());
                    out[i] = *byte;
                }
            }
            ByteMut::Truncate { at } => {
                let i = at.index(out.len() + 1);
                out.truncate(i);
            }
            ByteMut::Bom => {
                out.splice(0..0, *b"\xEF\xBB\xBF");
            }
        }
    }
    out
}

#[derive(Debug, Clone)]
pub struct CsvCase {
    pub table: Table,
    pub bytes: Bytes,
    /// For an unmutated valid file: how many rows it holds.
    pub pristine: Option<usize>,
}

fn structured(table: Table) -> BoxedStrategy<CsvCase> {
    let base = match table {
        Table::Attendees => attendee_table(),
        Table::Sessions => session_table(),
    };
    (
        base,
        prop::sample::select(&["\n", "\r\n"][..]),
        prop_oneof![
            1 => Just(Vec::new()),
            6 => prop::collection::vec(csv_mut(), 1..6),
        ],
        prop_oneof![
            3 => Just(Vec::new()),
            1 => prop::collection::vec(byte_mut(), 1..3),
        ],
    )
        .prop_map(move |(t, ending, muts, bytes)| {
            let pristine = (muts.is_empty() && bytes.is_empty()).then(|| t.len() - 1);
            CsvCase {
                table,
                bytes: Bytes(mutate_table(t, ending, &muts, &bytes)),
                pristine,
            }
        })
        .boxed()
}

fn raw_csv() -> BoxedStrategy<CsvCase> {
    const JUNK: &[u8] = b",,\"\"\n\r\r\n a0;\0\xff\xef\xbb\xbf\xc3@.-:T";
    let table = prop_oneof![Just(Table::Attendees), Just(Table::Sessions)];
    prop_oneof![
        2 => (table.clone(), prop::collection::vec(any::<u8>(), 0..1500))
            .prop_map(|(table, b)| (table, b)),
        2 => (table.clone(), prop::collection::vec(any::<u8>(), 0..1500))
            .prop_map(|(table, b)| {
                let mut v = table.header().as_bytes().to_vec();
                v.extend(b);
                (table, v)
            }),
        2 => (table, prop::collection::vec(prop::sample::select(JUNK), 0..1500))
            .prop_map(|(table, b)| {
                let mut v = table.header().as_bytes().to_vec();
                v.extend(b);
                (table, v)
            }),
    ]
    .prop_map(|(table, bytes)| CsvCase {
        table,
        bytes: Bytes(bytes),
        pristine: None,
    })
    .boxed()
}

pub fn csv_case() -> BoxedStrategy<CsvCase> {
    prop_oneof![
        1 => raw_csv(),
        2 => structured(Table::Attendees),
        2 => structured(Table::Sessions),
    ]
    .boxed()
}
