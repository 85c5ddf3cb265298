//! The CE office's web interface at the hub, in one place: the pages as
//! HTML (`pages`) and the figures behind the overview and deadlines
//! (`figures`). `http::office` serves them under `/admin` and
//! `db::office` is what they read from PostgreSQL and the void they make.

pub mod figures;
pub mod pages;

pub use figures::{FRESH_FOR, Figures, FiguresCache};
