//! What every chart is built from: the title block, a legend, linear scales with round
//! ticks, axes and grids, and a placer that keeps labels from landing on one another.

use super::scene::{text_area, Align, Area, Baseline, Font, Scene};
use super::style::{self, Colour, TickFormat};

/// A linear map from values to pixels.
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    pub lo: f64,
    pub hi: f64,
    pub from: f64,
    pub to: f64,
}

impl Scale {
    pub fn new(lo: f64, hi: f64, from: f64, to: f64) -> Self {
        Scale { lo, hi, from, to }
    }

    pub fn px(&self, v: f64) -> f64 {
        if self.hi == self.lo {
            return (self.from + self.to) / 2.0;
        }
        self.from + (v - self.lo) / (self.hi - self.lo) * (self.to - self.from)
    }

    pub fn contains(&self, v: f64) -> bool {
        v >= self.lo.min(self.hi) && v <= self.lo.max(self.hi)
    }
}

/// A step of 1, 2 or 5 times a power of ten that cuts `span` into at most `max_ticks` parts.
pub fn nice_step(span: f64, max_ticks: usize) -> f64 {
    let span = if span.is_finite() && span > 0.0 {
        span
    } else {
        1.0
    };
    let raw = span / max_ticks.max(1) as f64;
    let power = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|&s| s >= raw * (1.0 - 1e-9))
        .unwrap_or(10.0 * power)
}

/// An axis range: `lo`..`hi` widened to whole steps, and its ticks.
#[derive(Debug, Clone)]
pub struct Ticks {
    pub lo: f64,
    pub hi: f64,
    pub step: f64,
    pub values: Vec<f64>,
}

impl Ticks {
    /// Round ticks covering `lo`..`hi`, at most about `max_ticks` of them. An empty range is
    /// widened around its value so that a single outcome still gets an axis.
    pub fn new(lo: f64, hi: f64, max_ticks: usize) -> Self {
        let (mut lo, mut hi) = if lo.is_finite() && hi.is_finite() {
            (lo.min(hi), lo.max(hi))
        } else {
            (0.0, 1.0)
        };
        if hi - lo <= f64::EPSILON * hi.abs().max(lo.abs()).max(1.0) {
            let pad = (hi.abs() * 0.1).max(1.0);
            lo -= pad;
            hi += pad;
        }
        let step = nice_step(hi - lo, max_ticks);
        // A bound already on a tick stays there (0 stays 0).
        let first = (lo / step + 1e-9).floor();
        let last = (hi / step - 1e-9).ceil();
        let values: Vec<f64> = (0..=(last - first) as i64)
            .map(|i| (first + i as f64) * step)
            .map(|v| if v.abs() < step * 1e-9 { 0.0 } else { v })
            .collect();
        Ticks {
            lo: first * step,
            hi: last * step,
            step,
            values,
        }
    }

    /// Ticks that stay inside `lo`..`hi` (for axes that must not widen, like 0-100%).
    pub fn within(lo: f64, hi: f64, step: f64) -> Self {
        let first = (lo / step - 1e-9).ceil();
        let last = (hi / step + 1e-9).floor();
        Ticks {
            lo,
            hi,
            step,
            values: (0..=((last - first).max(0.0)) as i64)
                .map(|i| (first + i as f64) * step)
                .collect(),
        }
    }

    pub fn format(&self) -> TickFormat {
        let largest = self
            .values
            .iter()
            .fold(0.0f64, |m, v| m.max(v.abs()))
            .max(self.step);
        TickFormat::new(largest, self.step)
    }
}

/// The plotting rectangle.
#[derive(Debug, Clone, Copy)]
pub struct Plot {
    pub left: f64,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
}

impl Plot {
    pub fn area(&self) -> Area {
        Area {
            x0: self.left,
            y0: self.top,
            x1: self.right,
            y1: self.bottom,
        }
    }
}

/// Title and subtitle at the top left; returns where the next element may start.
pub fn header(scene: &mut Scene, title: &str, subtitle: &str) -> f64 {
    let width = scene.width as f64 - 2.0 * style::MARGIN;
    let title_font = Font::new(style::TITLE, style::INK).bold();
    let mut y = style::MARGIN - 6.0;
    let title = title_font.fit(title, width);
    scene.text(
        title,
        style::MARGIN,
        y,
        title_font,
        Align::Start,
        Baseline::Top,
    );
    y += title_font.cap() + 16.0;
    if !subtitle.is_empty() {
        let font = Font::new(style::SUBTITLE, style::MUTED);
        for line in wrap(subtitle, font, width).iter().take(2) {
            scene.text(
                line.clone(),
                style::MARGIN,
                y,
                font,
                Align::Start,
                Baseline::Top,
            );
            y += font.cap() + 10.0;
        }
    }
    y + 8.0
}

/// Words of `text` in lines no wider than `width`.
pub fn wrap(text: &str, font: Font, width: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if font.width(&candidate) <= width || line.is_empty() {
            line = candidate;
        } else {
            lines.push(std::mem::take(&mut line));
            line = word.to_string();
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
        .into_iter()
        .map(|l| font.fit(&l, width))
        .collect::<Vec<_>>()
}

/// How a legend entry is drawn.
#[derive(Debug, Clone, Copy)]
pub enum Mark {
    /// A filled square (bars, bands).
    Swatch(Colour),
    /// A line, solid or dashed.
    Line(Colour, f64, bool),
    /// A dot on a line: a delivery window, a range.
    Whisker(Colour),
    /// An upright whisker with a cap: how far above the bar a quantile reaches.
    Cap(Colour),
    Dot(Colour),
    Ring(Colour),
    Diamond(Colour),
    /// An arrow pointing right (runs past the end of the plan).
    Arrow(Colour),
}

/// A row of legend entries starting at (x, y), wrapping before `right`; returns the y below it.
pub fn legend(scene: &mut Scene, x: f64, y: f64, right: f64, items: &[(Mark, String)]) -> f64 {
    let font = Font::new(style::NOTE, style::INK);
    let row = 24.0;
    let (mut cx, mut cy) = (x, y);
    for (mark, label) in items {
        let width = 30.0 + font.width(label) + 24.0;
        if cx + width > right && cx > x {
            cx = x;
            cy += row;
        }
        let mid = cy + row / 2.0 - 2.0;
        draw_mark(scene, *mark, cx + 10.0, mid);
        scene.text(
            label.clone(),
            cx + 30.0,
            mid,
            font,
            Align::Start,
            Baseline::Middle,
        );
        cx += width;
    }
    cy + row + 6.0
}

pub fn draw_mark(scene: &mut Scene, mark: Mark, x: f64, y: f64) {
    match mark {
        Mark::Swatch(c) => scene.rect(x - 8.0, y - 7.0, x + 8.0, y + 7.0, c),
        Mark::Line(c, w, dashed) => {
            if dashed {
                scene.dashed((x - 10.0, y), (x + 10.0, y), c, w, 5.0, 3.0);
            } else {
                scene.segment((x - 10.0, y), (x + 10.0, y), c, w);
            }
        }
        Mark::Whisker(c) => {
            scene.segment((x - 10.0, y), (x + 10.0, y), c, 2.0);
            scene.segment((x + 10.0, y - 5.0), (x + 10.0, y + 5.0), c, 2.0);
            scene.circle(x - 8.0, y, 4.0, c);
        }
        Mark::Cap(c) => {
            scene.segment((x, y - 8.0), (x, y + 8.0), c, 2.0);
            scene.segment((x - 5.0, y - 8.0), (x + 5.0, y - 8.0), c, 2.0);
        }
        Mark::Dot(c) => scene.circle(x, y, 6.0, c),
        Mark::Ring(c) => scene.ring(x, y, 6.0, c, 2.0),
        Mark::Diamond(c) => scene.diamond(x, y, 8.0, c),
        Mark::Arrow(c) => arrow_right(scene, x - 10.0, x + 10.0, y, c),
    }
}

/// A line ending in an arrowhead at `to`.
pub fn arrow_right(scene: &mut Scene, from: f64, to: f64, y: f64, colour: Colour) {
    scene.segment((from, y), (to - 6.0, y), colour, 2.0);
    scene.polygon(
        vec![(to, y), (to - 9.0, y - 6.0), (to - 9.0, y + 6.0)],
        colour,
    );
}

/// The width of the widest y tick label, which `y_axis` draws to the left of the plot: the
/// room a chart leaves between its margin and the plot.
pub fn widest_tick_label(ticks: &Ticks, label: &dyn Fn(f64) -> String) -> f64 {
    let font = Font::new(style::TICK, style::MUTED);
    ticks
        .values
        .iter()
        .map(|&v| font.width(&label(v)))
        .fold(0.0, f64::max)
}

/// The plot of a chart of fixed height with a y axis: from just right of its widest tick label
/// to `right`, and from `top` down to the room the x axis needs under it.
pub fn plot_right_of_ticks(
    scene: &Scene,
    ticks: &Ticks,
    label: &dyn Fn(f64) -> String,
    top: f64,
    right: f64,
) -> Plot {
    Plot {
        left: style::MARGIN + widest_tick_label(ticks, label) + 14.0,
        top,
        right,
        bottom: scene.height as f64 - style::MARGIN - 64.0,
    }
}

/// Horizontal grid lines and their labels to the left of the plot, and the axis title above
/// the labels (read first, like a table header).
pub fn y_axis(scene: &mut Scene, plot: &Plot, scale: &Scale, ticks: &Ticks, title: &str) {
    let format = ticks.format();
    y_axis_with(scene, plot, scale, ticks, title, &|v| format.format(v));
}

pub fn y_axis_with(
    scene: &mut Scene,
    plot: &Plot,
    scale: &Scale,
    ticks: &Ticks,
    title: &str,
    label: &dyn Fn(f64) -> String,
) {
    let font = Font::new(style::TICK, style::MUTED);
    for &v in &ticks.values {
        let y = scale.px(v);
        if y < plot.top - 0.5 || y > plot.bottom + 0.5 {
            continue;
        }
        scene.segment((plot.left, y), (plot.right, y), style::GRID, 1.0);
        scene.text(
            label(v),
            plot.left - 10.0,
            y,
            font,
            Align::End,
            Baseline::Middle,
        );
    }
    let title_font = Font::new(style::LABEL, style::INK);
    scene.text(
        title,
        style::MARGIN,
        plot.top - 16.0,
        title_font,
        Align::Start,
        Baseline::Bottom,
    );
}

/// Vertical grid lines, tick labels under the plot and the axis title under them.
pub fn x_axis(scene: &mut Scene, plot: &Plot, scale: &Scale, ticks: &Ticks, title: &str) {
    let format = ticks.format();
    x_axis_with(
        scene,
        plot,
        scale,
        ticks,
        title,
        &|v| format.format(v),
        true,
    );
}

pub fn x_axis_with(
    scene: &mut Scene,
    plot: &Plot,
    scale: &Scale,
    ticks: &Ticks,
    title: &str,
    label: &dyn Fn(f64) -> String,
    grid: bool,
) {
    let font = Font::new(style::TICK, style::MUTED);
    let mut last_right = f64::NEG_INFINITY;
    for &v in &ticks.values {
        let x = scale.px(v);
        if x < plot.left - 0.5 || x > plot.right + 0.5 {
            continue;
        }
        if grid {
            scene.segment((x, plot.top), (x, plot.bottom), style::GRID, 1.0);
        }
        scene.segment(
            (x, plot.bottom),
            (x, plot.bottom + 5.0),
            style::REFERENCE,
            1.0,
        );
        let text = label(v);
        let area = text_area(
            &text,
            x,
            plot.bottom + 10.0,
            font,
            Align::Middle,
            Baseline::Top,
        );
        // Ticks were chosen to fit; this only guards against a label wider than its room.
        if area.x0 > last_right + 6.0 {
            scene.text(
                text,
                x,
                plot.bottom + 10.0,
                font,
                Align::Middle,
                Baseline::Top,
            );
            last_right = area.x1;
        }
    }
    scene.segment(
        (plot.left, plot.bottom),
        (plot.right, plot.bottom),
        style::REFERENCE,
        1.0,
    );
    let title_font = Font::new(style::LABEL, style::INK);
    scene.text(
        title,
        (plot.left + plot.right) / 2.0,
        plot.bottom + 40.0,
        title_font,
        Align::Middle,
        Baseline::Top,
    );
}

/// How many round ticks fit along `length` pixels when labels are about `label_width` wide.
pub fn tick_budget(length: f64, label_width: f64) -> usize {
    ((length / (label_width + 40.0)).floor() as usize).clamp(2, 10)
}

/// Remembers the boxes already used so that later labels can avoid them.
#[derive(Debug, Default)]
pub struct Placer {
    taken: Vec<Area>,
}

impl Placer {
    pub fn new() -> Self {
        Placer::default()
    }

    pub fn take(&mut self, area: Area) {
        self.taken.push(area);
    }

    /// Takes `steps + 1` small squares (`half` from their centres) evenly along a segment, so
    /// that labels keep off a line.
    pub fn take_line(&mut self, from: (f64, f64), to: (f64, f64), steps: usize, half: f64) {
        for k in 0..=steps {
            let t = k as f64 / steps.max(1) as f64;
            let (x, y) = (from.0 + (to.0 - from.0) * t, from.1 + (to.1 - from.1) * t);
            self.taken.push(Area {
                x0: x - half,
                y0: y - half,
                x1: x + half,
                y1: y + half,
            });
        }
    }

    pub fn free(&self, area: &Area) -> bool {
        !self.taken.iter().any(|t| t.overlaps(area))
    }

    /// The first candidate position (x, y, align, baseline) where `text` fits inside `bounds`
    /// without touching anything placed before; it is then taken.
    pub fn place(
        &mut self,
        text: &str,
        font: Font,
        candidates: &[(f64, f64, Align, Baseline)],
        bounds: &Area,
    ) -> Option<(f64, f64, Align, Baseline)> {
        for &(x, y, align, baseline) in candidates {
            let area = text_area(text, x, y, font, align, baseline);
            if area.inside(bounds) && self.free(&area.grow(2.0)) {
                self.taken.push(area);
                return Some((x, y, align, baseline));
            }
        }
        None
    }
}

/// The right edge of everything a chart draws.
pub fn right_edge() -> f64 {
    style::WIDTH as f64 - style::MARGIN
}

/// The title block and legend, drawn before the chart's height is known: a chart of rows grows
/// with them, and its rows start below however many lines the legend took.
pub struct Heading {
    probe: Scene,
    /// Where the legend ends.
    pub bottom: f64,
}

impl Heading {
    pub fn new(title: &str, subtitle: &str, items: &[(Mark, String)]) -> Self {
        let mut probe = Scene::new(style::WIDTH, style::HEIGHT);
        let top = header(&mut probe, title, subtitle);
        let bottom = legend(&mut probe, style::MARGIN, top, right_edge(), items);
        Heading { probe, bottom }
    }

    /// The chart, `height` tall (never less than the shortest chart), with the heading on it.
    pub fn scene(self, height: f64) -> Scene {
        let mut scene = Scene::new(style::WIDTH, height.max(style::MIN_HEIGHT).ceil() as u32);
        scene.shapes = self.probe.shapes;
        scene
    }
}

/// A column's head, standing on `y` like a table's.
pub fn column_head(scene: &mut Scene, text: &str, x: f64, y: f64, align: Align) {
    let font = Font::new(style::NOTE, style::MUTED).bold();
    scene.text(text, x, y, font, align, Baseline::Bottom);
}

/// A row's name at the left margin, cut to `width`, centred on `mid`.
pub fn row_name(scene: &mut Scene, name: &str, font: Font, width: f64, mid: f64) {
    scene.text(
        font.fit(name, width),
        style::MARGIN,
        mid,
        font,
        Align::Start,
        Baseline::Middle,
    );
}

/// A shaded band across the whole width, from `y0` to `y1`, behind a row or a group's head.
pub fn band(scene: &mut Scene, y0: f64, y1: f64) {
    scene.rect(style::MARGIN - 6.0, y0, right_edge() + 6.0, y1, style::BAND);
}

/// A dashed upright line through the rows at `x`, reaching up into the column heads.
pub fn dashed_marker(scene: &mut Scene, plot: &Plot, x: f64, colour: Colour, width: f64) {
    scene.dashed(
        (x, plot.top - 4.0),
        (x, plot.bottom),
        colour,
        width,
        6.0,
        4.0,
    );
}

/// A chart with nothing to plot says why, in the same frame as the others.
pub fn message(title: &str, subtitle: &str, text: &str) -> Scene {
    let mut scene = Scene::new(style::WIDTH, 360);
    let top = header(&mut scene, title, subtitle);
    let bottom = scene.height as f64 - style::MARGIN;
    scene.outline(
        style::MARGIN,
        top,
        scene.width as f64 - style::MARGIN,
        bottom,
        style::GRID,
        1.0,
    );
    scene.text(
        text,
        scene.width as f64 / 2.0,
        (top + bottom) / 2.0,
        Font::new(style::SUBTITLE, style::MUTED),
        Align::Middle,
        Baseline::Middle,
    );
    scene
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        let t = Ticks::new(-1.3e6, 8.7e6, 6);
        assert_eq!(t.step, 2e6);
        assert_eq!(t.values, vec![-2e6, 0.0, 2e6, 4e6, 6e6, 8e6, 10e6]);
        assert!(t.lo <= -1.3e6 && t.hi >= 8.7e6);
        let flat = Ticks::new(5.0, 5.0, 5);
        assert!(flat.lo < 5.0 && flat.hi > 5.0);
        let pct = Ticks::within(0.0, 1.0, 0.2);
        assert_eq!(pct.values.len(), 6);
    }

    #[test]
    fn scales_map_ends_to_ends() {
        let s = Scale::new(0.0, 10.0, 100.0, 300.0);
        assert_eq!(s.px(0.0), 100.0);
        assert_eq!(s.px(10.0), 300.0);
        assert_eq!(s.px(5.0), 200.0);
        let flipped = Scale::new(0.0, 10.0, 500.0, 100.0);
        assert_eq!(flipped.px(10.0), 100.0);
    }
}
