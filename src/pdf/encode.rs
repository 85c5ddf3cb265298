//! Unicode → WinAnsi (cp1252), the only encoding the standard-14 fonts
//! draw without embedding: names keep their letters where cp1252 has them
//! and lose only the accent where it does not, so they stay readable.

/// Maps text to WinAnsi bytes for drawing.
///
/// Line feeds (and the Unicode line separators) are kept as 0x0A: `wrap`
/// treats them as hard breaks and never draws them. Invisible characters
/// (zero-width spaces, soft hyphens, combining accents after their letter)
/// are dropped, other whitespace becomes a space, letters outside cp1252 fall
/// back to their unaccented form, and anything else becomes '?'.
pub(super) fn encode(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        if let Some(byte) = winansi(c) {
            out.push(byte);
        } else if matches!(c, '\n' | '\u{85}' | '\u{2028}' | '\u{2029}') {
            out.push(b'\n');
        } else if is_invisible(c) {
            // Dropped.
        } else if let Some(bytes) = fallback(c) {
            out.extend_from_slice(bytes);
        } else if c.is_whitespace() {
            out.push(b' ');
        } else {
            out.push(b'?');
        }
    }
    out
}

/// The cp1252 byte for `c`, if cp1252 has one with a visible glyph.
fn winansi(c: char) -> Option<u8> {
    let byte = match c {
        // A soft hyphen would be drawn as a hyphen mid-word; we never
        // hyphenate, so it is dropped as invisible instead.
        '\u{AD}' => return None,
        // ASCII and Latin-1 map to themselves.
        ' '..='~' | '\u{A0}'..='\u{FF}' => return u8::try_from(c).ok(),
        // The cp1252 extras in 0x80–0x9F.
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        'Ž' => 0x8E,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        _ => return None,
    };
    Some(byte)
}

/// Characters that have no appearance of their own. Combining accents are
/// among them: the letter before them was already written, so "e\u{301}"
/// (a decomposed é, as macOS file names and some forms send it) becomes "e".
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\r' // the other half of CRLF
        | '\u{AD}' // soft hyphen
        | '\u{300}'..='\u{36F}' // combining diacritical marks
        | '\u{200B}'..='\u{200F}' // zero-width space/joiners, direction marks
        | '\u{202A}'..='\u{202E}' // bidi embeddings
        | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
        | '\u{2066}'..='\u{2069}' // bidi isolates
        | '\u{FE00}'..='\u{FE0F}' // variation selectors
        | '\u{FEFF}' // byte order mark
    )
}

/// A WinAnsi stand-in for a character cp1252 lacks: the base letter of
/// accented Latin letters (Latin Extended-A, the Latin Extended-B letters
/// used in Vietnamese, Romanian and pinyin, and Vietnamese in Latin Extended
/// Additional), and plain forms of common typographic characters. A name
/// printed as "Lukasz" is still the attendee's name; "?ukasz" is not.
pub(super) fn fallback(c: char) -> Option<&'static [u8]> {
    let bytes: &[u8] = match c {
        // Latin Extended-A, U+0100–U+017F (Œœ Šš Ÿ Žž are in cp1252).
        'Ā' | 'Ă' | 'Ą' => b"A",
        'ā' | 'ă' | 'ą' => b"a",
        'Ć' | 'Ĉ' | 'Ċ' | 'Č' => b"C",
        'ć' | 'ĉ' | 'ċ' | 'č' => b"c",
        'Ď' | 'Đ' => b"D",
        'ď' | 'đ' => b"d",
        'Ē' | 'Ĕ' | 'Ė' | 'Ę' | 'Ě' => b"E",
        'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => b"e",
        'Ĝ' | 'Ğ' | 'Ġ' | 'Ģ' => b"G",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => b"g",
        'Ĥ' | 'Ħ' => b"H",
        'ĥ' | 'ħ' => b"h",
        'Ĩ' | 'Ī' | 'Ĭ' | 'Į' | 'İ' => b"I",
        'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => b"i",
        'Ĳ' => b"IJ",
        'ĳ' => b"ij",
        'Ĵ' => b"J",
        'ĵ' => b"j",
        'Ķ' => b"K",
        'ķ' | 'ĸ' => b"k",
        'Ĺ' | 'Ļ' | 'Ľ' | 'Ŀ' | 'Ł' => b"L",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => b"l",
        'Ń' | 'Ņ' | 'Ň' | 'Ŋ' => b"N",
        'ń' | 'ņ' | 'ň' | 'ŋ' => b"n",
        'ŉ' => b"'n",
        'Ō' | 'Ŏ' | 'Ő' => b"O",
        'ō' | 'ŏ' | 'ő' => b"o",
        'Ŕ' | 'Ŗ' | 'Ř' => b"R",
        'ŕ' | 'ŗ' | 'ř' => b"r",
        'Ś' | 'Ŝ' | 'Ş' => b"S",
        'ś' | 'ŝ' | 'ş' | 'ſ' => b"s",
        'Ţ' | 'Ť' | 'Ŧ' => b"T",
        'ţ' | 'ť' | 'ŧ' => b"t",
        'Ũ' | 'Ū' | 'Ŭ' | 'Ů' | 'Ű' | 'Ų' => b"U",
        'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => b"u",
        'Ŵ' => b"W",
        'ŵ' => b"w",
        'Ŷ' => b"Y",
        'ŷ' => b"y",
        'Ź' | 'Ż' => b"Z",
        'ź' | 'ż' => b"z",
        // Latin Extended-B: Vietnamese horned O/U, pinyin tone marks,
        // Romanian comma-below S/T.
        'Ǎ' => b"A",
        'ǎ' => b"a",
        'Ǐ' => b"I",
        'ǐ' => b"i",
        'Ơ' | 'Ǒ' => b"O",
        'ơ' | 'ǒ' => b"o",
        'Ư' | 'Ǔ' | 'Ǖ' | 'Ǘ' | 'Ǚ' | 'Ǜ' => b"U",
        'ư' | 'ǔ' | 'ǖ' | 'ǘ' | 'ǚ' | 'ǜ' => b"u",
        'Ș' => b"S",
        'ș' => b"s",
        'Ț' => b"T",
        'ț' => b"t",
        // Latin Extended Additional: Vietnamese vowels with tone marks.
        '\u{1EA0}'..='\u{1EF9}' => return vietnamese(c),
        // Spaces that must not break a line stay non-breaking.
        '\u{2007}' | '\u{202F}' => b"\xA0",
        // Dashes, primes, slashes and ligatures pasted from word processors.
        '\u{2010}' | '\u{2011}' | '\u{2043}' | '\u{2212}' => b"-",
        '\u{2012}' => b"\x96",
        '\u{2015}' => b"\x97",
        '\u{2032}' => b"'",
        '\u{2033}' => b"\"",
        '\u{2044}' | '\u{2215}' => b"/",
        'ﬀ' => b"ff",
        'ﬁ' => b"fi",
        'ﬂ' => b"fl",
        'ﬃ' => b"ffi",
        'ﬄ' => b"ffl",
        _ => return None,
    };
    Some(bytes)
}

/// Base vowel of a Vietnamese letter in U+1EA0–U+1EF9. That block is laid out
/// as capital/small pairs (capital at the even code point) grouped by vowel,
/// so a table of ranges is enough.
fn vietnamese(c: char) -> Option<&'static [u8]> {
    const GROUPS: [(u32, u32, &[u8], &[u8]); 6] = [
        (0x1EA0, 0x1EB7, b"A", b"a"), // Ạ Ả Ấ Ầ Ẩ Ẫ Ậ Ắ Ằ Ẳ Ẵ Ặ
        (0x1EB8, 0x1EC7, b"E", b"e"), // Ẹ Ẻ Ẽ Ế Ề Ể Ễ Ệ
        (0x1EC8, 0x1ECB, b"I", b"i"), // Ỉ Ị
        (0x1ECC, 0x1EE3, b"O", b"o"), // Ọ Ỏ Ố Ồ Ổ Ỗ Ộ Ớ Ờ Ở Ỡ Ợ
        (0x1EE4, 0x1EF1, b"U", b"u"), // Ụ Ủ Ứ Ừ Ử Ữ Ự
        (0x1EF2, 0x1EF9, b"Y", b"y"), // Ỳ Ỵ Ỷ Ỹ
    ];
    let code = u32::from(c);
    GROUPS
        .iter()
        .find(|&&(first, last, _, _)| (first..=last).contains(&code))
        .map(|&(_, _, upper, lower)| if code % 2 == 0 { upper } else { lower })
}
