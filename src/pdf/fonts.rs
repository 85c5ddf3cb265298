//! The fonts a certificate is drawn with: the Noto families, found by file
//! name under the configured font folders and read once when the hub
//! starts. A name is drawn in the first family, in a fixed order, that has
//! its letters: Noto Sans (Latin, Greek, Cyrillic, Vietnamese), then one
//! family per script, then Noto Sans CJK (Han, Kana, Hangul).
//!
//! Debian ships them as `fonts-noto-core` and `fonts-noto-cjk` (OFL, so
//! embedding is allowed); the required ones missing is an error naming
//! those packages, so a hub never starts unable to print a name.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where the fonts are looked for when `[certificate] fonts` is not set.
pub const SYSTEM_FONT_DIRS: &[&str] = &["/usr/share/fonts", "/usr/local/share/fonts"];

/// One family: its regular and bold files, and whether the hub refuses to
/// start without it (the scripts issue 13 names; the rest are welcome).
struct FamilyFiles {
    regular: &'static str,
    bold: &'static str,
    required: bool,
}

const fn family(regular: &'static str, bold: &'static str, required: bool) -> FamilyFiles {
    FamilyFiles {
        regular,
        bold,
        required,
    }
}

/// The fallback order. Noto Sans comes first so Latin text (and the
/// punctuation every script shares) is drawn in one face; CJK comes last
/// because its collection also covers Latin and would otherwise win.
const FAMILIES: &[FamilyFiles] = &[
    family("NotoSans-Regular.ttf", "NotoSans-Bold.ttf", true),
    family(
        "NotoSansArabic-Regular.ttf",
        "NotoSansArabic-Bold.ttf",
        true,
    ),
    family(
        "NotoSansHebrew-Regular.ttf",
        "NotoSansHebrew-Bold.ttf",
        true,
    ),
    family(
        "NotoSansDevanagari-Regular.ttf",
        "NotoSansDevanagari-Bold.ttf",
        true,
    ),
    family("NotoSansThai-Regular.ttf", "NotoSansThai-Bold.ttf", true),
    family(
        "NotoSansArmenian-Regular.ttf",
        "NotoSansArmenian-Bold.ttf",
        false,
    ),
    family(
        "NotoSansGeorgian-Regular.ttf",
        "NotoSansGeorgian-Bold.ttf",
        false,
    ),
    family(
        "NotoSansBengali-Regular.ttf",
        "NotoSansBengali-Bold.ttf",
        false,
    ),
    family(
        "NotoSansGujarati-Regular.ttf",
        "NotoSansGujarati-Bold.ttf",
        false,
    ),
    family(
        "NotoSansGurmukhi-Regular.ttf",
        "NotoSansGurmukhi-Bold.ttf",
        false,
    ),
    family(
        "NotoSansKannada-Regular.ttf",
        "NotoSansKannada-Bold.ttf",
        false,
    ),
    family(
        "NotoSansMalayalam-Regular.ttf",
        "NotoSansMalayalam-Bold.ttf",
        false,
    ),
    family("NotoSansOriya-Regular.ttf", "NotoSansOriya-Bold.ttf", false),
    family("NotoSansTamil-Regular.ttf", "NotoSansTamil-Bold.ttf", false),
    family(
        "NotoSansTelugu-Regular.ttf",
        "NotoSansTelugu-Bold.ttf",
        false,
    ),
    family(
        "NotoSansSinhala-Regular.ttf",
        "NotoSansSinhala-Bold.ttf",
        false,
    ),
    family("NotoSansKhmer-Regular.ttf", "NotoSansKhmer-Bold.ttf", false),
    family("NotoSansLao-Regular.ttf", "NotoSansLao-Bold.ttf", false),
    family(
        "NotoSansMyanmar-Regular.ttf",
        "NotoSansMyanmar-Bold.ttf",
        false,
    ),
    family(
        "NotoSansEthiopic-Regular.ttf",
        "NotoSansEthiopic-Bold.ttf",
        false,
    ),
    // A collection; face 0 is the Japanese one, which covers Han, Kana and
    // Hangul alike.
    family("NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc", true),
];

/// Regular or bold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Weight {
    Regular,
    Bold,
}

/// One font file read into memory, ready for shaping and for embedding.
pub(super) struct Face {
    pub(super) data: Arc<Vec<u8>>,
    /// Face in a collection (0 for a plain font file).
    pub(super) index: u32,
    pub(super) font: krilla::text::Font,
}

struct Family {
    regular: usize,
    bold: Option<usize>,
}

/// Every face a certificate may use, in fallback order. Read once and
/// shared (they are tens of megabytes with CJK).
pub struct Fonts {
    pub(super) faces: Vec<Face>,
    families: Vec<Family>,
}

impl std::fmt::Debug for Fonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Fonts({} faces)", self.faces.len())
    }
}

/// Why the fonts could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum FontError {
    #[error(
        "certificate fonts: {missing} not found under {dirs}; install the Debian packages \
         fonts-noto-core and fonts-noto-cjk (or set [certificate] fonts)"
    )]
    Missing { missing: String, dirs: String },
    #[error("certificate fonts: cannot read {path}: {message}")]
    Unreadable { path: PathBuf, message: String },
}

impl Fonts {
    /// The font folders in force: the configured one, or the system's.
    pub fn dirs(configured: Option<&Path>) -> Vec<PathBuf> {
        match configured {
            Some(dir) => vec![dir.to_path_buf()],
            None => SYSTEM_FONT_DIRS.iter().map(PathBuf::from).collect(),
        }
    }

    /// Finds and reads the fonts under `dirs` (searched recursively; the
    /// first file of a name wins). Every required family must be there.
    pub fn load(dirs: &[PathBuf]) -> Result<Fonts, FontError> {
        let mut found = BTreeMap::new();
        for dir in dirs {
            walk(dir, &mut found, 0);
        }
        let missing: Vec<&str> = FAMILIES
            .iter()
            .filter(|f| f.required && !found.contains_key(f.regular))
            .map(|f| f.regular)
            .collect();
        if !missing.is_empty() {
            let dirs: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
            return Err(FontError::Missing {
                missing: missing.join(", "),
                dirs: dirs.join(", "),
            });
        }
        let mut faces = Vec::new();
        let mut families = Vec::new();
        for family in FAMILIES {
            let Some(regular) = found.get(family.regular) else {
                continue;
            };
            faces.push(read(regular)?);
            let regular = faces.len() - 1;
            let bold = match found.get(family.bold) {
                Some(path) => {
                    faces.push(read(path)?);
                    Some(faces.len() - 1)
                }
                None => None,
            };
            families.push(Family { regular, bold });
        }
        Ok(Fonts { faces, families })
    }

    /// The faces to try for `weight`, in fallback order (a family without
    /// a bold face lends its regular one).
    pub(super) fn order(&self, weight: Weight) -> impl Iterator<Item = usize> + '_ {
        self.families.iter().map(move |f| match weight {
            Weight::Regular => f.regular,
            Weight::Bold => f.bold.unwrap_or(f.regular),
        })
    }
}

/// Records every file under `dir` by name. Unreadable folders are skipped
/// (a system font folder may hold anything); links are not followed past
/// a sane depth.
fn walk(dir: &Path, found: &mut BTreeMap<String, PathBuf>, depth: usize) {
    if depth > 8 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    // Sorted, so which of two same-named files wins does not depend on
    // the order the file system lists them in.
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(&path, found, depth + 1);
        } else if let Some(name) = path.file_name().and_then(|n| n.to_str()) {
            found.entry(name.to_string()).or_insert(path);
        }
    }
}

fn read(path: &Path) -> Result<Face, FontError> {
    let unreadable = |message: String| FontError::Unreadable {
        path: path.to_path_buf(),
        message,
    };
    let data = Arc::new(std::fs::read(path).map_err(|e| unreadable(e.to_string()))?);
    let index = 0;
    // The face must parse for shaping as well as for embedding.
    rustybuzz::Face::from_slice(&data, index)
        .ok_or_else(|| unreadable("not a TrueType/OpenType font".into()))?;
    let shared: Arc<dyn AsRef<[u8]> + Send + Sync> = data.clone();
    let font = krilla::text::Font::new(shared.into(), index)
        .ok_or_else(|| unreadable("not a font krilla can embed".into()))?;
    Ok(Face { data, index, font })
}
