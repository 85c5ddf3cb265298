//! Bar charts as inline SVG, drawn on the server: no script. Each chart
//! has a title and a description for screen readers, every bar its value
//! written beside it (colour is never the only signal), and the figures
//! are also in a table below it for anyone who would rather read them.

use super::esc;

/// Vertical bars over labels (claims per hour of a day).
pub fn columns(title: &str, bars: &[(String, i64)]) -> String {
    let max = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1);
    let (w, h, top, bottom) = (28.0_f64, 140.0_f64, 18.0_f64, 22.0_f64);
    let width = (bars.len().max(1) as f64) * w + 10.0;
    let mut out = open(title, bars, width, h + top + bottom);
    for (i, (label, n)) in bars.iter().enumerate() {
        let bh = (*n as f64) / (max as f64) * h;
        let x = 5.0 + i as f64 * w;
        let y = top + h - bh;
        out.push_str(&format!(
            "<rect x=\"{x}\" y=\"{y:.1}\" width=\"{bw}\" height=\"{bh:.1}\" fill=\"#0b3d91\"/>\
<text x=\"{cx}\" y=\"{ty:.1}\" font-size=\"10\" text-anchor=\"middle\">{n}</text>\
<text x=\"{cx}\" y=\"{ly}\" font-size=\"10\" text-anchor=\"middle\">{label}</text>",
            bw = w - 6.0,
            cx = x + (w - 6.0) / 2.0,
            ty = (y - 4.0).max(10.0),
            ly = top + h + 15.0,
            label = esc(label),
        ));
    }
    out.push_str("</svg>");
    out
}

/// Horizontal bars, one per label (claims per kiosk).
pub fn rows(title: &str, bars: &[(String, i64)]) -> String {
    let max = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1);
    let (label_w, bar_w, row_h) = (110.0_f64, 300.0_f64, 22.0_f64);
    let height = bars.len().max(1) as f64 * row_h + 6.0;
    let width = label_w + bar_w + 60.0;
    let mut out = open(title, bars, width, height);
    for (i, (label, n)) in bars.iter().enumerate() {
        let y = 3.0 + i as f64 * row_h;
        let bw = (*n as f64) / (max as f64) * bar_w;
        out.push_str(&format!(
            "<text x=\"{lx}\" y=\"{ty}\" font-size=\"12\" text-anchor=\"end\">{label}</text>\
<rect x=\"{label_w}\" y=\"{y}\" width=\"{bw:.1}\" height=\"{bh}\" fill=\"#0b3d91\"/>\
<text x=\"{vx:.1}\" y=\"{ty}\" font-size=\"12\">{n}</text>",
            lx = label_w - 6.0,
            ty = y + 14.0,
            bh = row_h - 6.0,
            vx = label_w + bw + 5.0,
            label = esc(label),
        ));
    }
    out.push_str("</svg>");
    out
}

/// The chart's opening tag, with its title and its description in words.
fn open(title: &str, bars: &[(String, i64)], width: f64, height: f64) -> String {
    format!(
        "<svg class=chart role=img aria-labelledby=\"{id}t {id}d\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\">\
<title id=\"{id}t\">{t}</title><desc id=\"{id}d\">{d}</desc>",
        id = ident(title),
        t = esc(title),
        d = esc(&describe(bars)),
    )
}

/// The chart in words, for a screen reader: the largest bars.
fn describe(bars: &[(String, i64)]) -> String {
    let total: i64 = bars.iter().map(|b| b.1).sum();
    let mut top: Vec<&(String, i64)> = bars.iter().collect();
    top.sort_by_key(|b| std::cmp::Reverse(b.1));
    let most: Vec<String> = top
        .iter()
        .take(3)
        .filter(|b| b.1 > 0)
        .map(|(l, n)| format!("{l}: {n}"))
        .collect();
    format!("{total} in all; most: {}", most.join(", "))
}

/// An id made from a title, for the chart's labels.
fn ident(title: &str) -> String {
    let s: String = title
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("c-{s}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_and_say_their_values() {
        let svg = columns("Claims, 23 Nov", &[("9".into(), 10), ("10".into(), 5)]);
        assert!(svg.contains("height=\"140.0\""), "{svg}");
        assert!(svg.contains("height=\"70.0\""), "{svg}");
        assert!(svg.contains(">10</text>") && svg.contains(">5</text>"));
        assert!(svg.contains("15 in all; most: 9: 10, 10: 5"));
        let svg = rows("By kiosk", &[("<K1>".into(), 3)]);
        assert!(svg.contains("&lt;K1&gt;") && !svg.contains("<K1>"));
    }
}
