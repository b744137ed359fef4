//! The per-day bar chart, drawn on the server as SVG (no chart library in the browser): one bar
//! per day of the range, its height the day's collected amount against the range's largest. The
//! template writes the numbers into `<rect>` attributes; each bar carries its value in minor
//! units (`data-minor`) and a `<title>` people see on hover.

/// The drawing's coordinate box (the SVG scales to the page's width).
const WIDTH: i64 = 720;
const HEIGHT: i64 = 200;
/// Room under the bars (the day labels are HTML under the drawing: text in a stretched SVG
/// would be distorted).
const AXIS: i64 = 4;

/// One bar.
pub struct Bar {
    pub x: i64,
    pub y: i64,
    pub width: i64,
    pub height: i64,
    /// The day's collected amount, minor units.
    pub minor: i64,
    /// The day (`YYYY-MM-DD`).
    pub day: String,
    /// "day: amount", for the bar's `<title>`.
    pub title: String,
}

/// The chart as the template draws it.
pub struct Chart {
    pub width: i64,
    pub height: i64,
    /// The baseline's y.
    pub base: i64,
    pub bars: Vec<Bar>,
    /// The first and last day's labels, under the axis.
    pub first: String,
    pub last: String,
}

/// A chart of `days`: (day, label shown to people, collected in minor units, the amount as text).
pub fn chart(days: &[(String, String, i64, String)]) -> Chart {
    let base = HEIGHT - AXIS;
    let n = days.len().max(1) as i64;
    let slot = WIDTH / n;
    let gap = (slot / 5).max(1);
    let top = days.iter().map(|d| d.2).max().unwrap_or(0).max(1);
    let bars = days
        .iter()
        .enumerate()
        .map(|(i, (day, label, minor, amount))| {
            // Integer arithmetic: a bar's height in drawing units, never a float of money.
            let height = (*minor).max(0) * (base - 8) / top;
            Bar {
                x: i as i64 * slot + gap / 2,
                y: base - height,
                width: (slot - gap).max(1),
                height,
                minor: *minor,
                day: day.clone(),
                title: format!("{label}: {amount}"),
            }
        })
        .collect();
    let label = |d: Option<&(String, String, i64, String)>| d.map(|d| d.1.clone()).unwrap_or_default();
    Chart { width: WIDTH, height: HEIGHT, base, bars, first: label(days.first()), last: label(days.last()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_largest_day_fills_the_height_and_an_empty_day_has_a_flat_bar() {
        let day = |d: &str, minor: i64| (d.to_owned(), d.to_owned(), minor, minor.to_string());
        let c = chart(&[day("2026-12-01", 500), day("2026-12-02", 0), day("2026-12-03", 1000)]);
        assert_eq!(c.bars.len(), 3);
        assert_eq!(c.bars[2].height, c.base - 8);
        assert_eq!(c.bars[0].height, (c.base - 8) / 2);
        assert_eq!((c.bars[1].height, c.bars[1].y), (0, c.base));
        assert!(c.bars.windows(2).all(|w| w[0].x + w[0].width <= w[1].x), "bars do not overlap");
    }
}
