//! The tornado: how far NPV swings when one input moves from its P10 to its P90 with the
//! others held, widest swing on top, so the inputs worth pinning down come first.

use super::layout::{self, Mark, Plot, Scale, Ticks};
use super::scene::{text_area, Align, Baseline, Font, Scene};
use super::style;
use super::{Chart, ChartError};
use serde::Serialize;

pub struct TornadoChart<'a> {
    pub base_npv: f64,
    pub bars: &'a [TornadoBar],
    pub currency: &'a str,
    /// What was held fixed, e.g. "plan held fixed".
    pub subtitle: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TornadoBar {
    /// A readable name of the input.
    pub input: String,
    /// NPV with this input at its P10, and at its P90.
    pub low_npv: f64,
    pub high_npv: f64,
    /// The input's value at its P10 and P90.
    pub low_value: f64,
    pub high_value: f64,
    /// Words for the two values when numbers would not say it ("does not happen" and
    /// "happens" for a risk event); `None` prints the values.
    pub value_words: Option<[String; 2]>,
}

impl TornadoBar {
    fn value_text(&self, low: bool) -> String {
        match &self.value_words {
            Some([l, h]) => (if low { l } else { h }).clone(),
            None => style::quantity(if low { self.low_value } else { self.high_value }),
        }
    }
}

const ROW: f64 = 34.0;

pub fn render(t: &TornadoChart) -> Result<Chart, ChartError> {
    let title = "What moves NPV most".to_string();
    let mut bars: Vec<&TornadoBar> = t
        .bars
        .iter()
        .filter(|b| b.low_npv.is_finite() && b.high_npv.is_finite())
        .collect();
    let subtitle = if t.base_npv.is_finite() {
        let mut s = format!(
            "NPV when each input moves from its P10 to its P90, the others at their base values; base NPV {}",
            style::money(t.base_npv, t.currency)
        );
        if !t.subtitle.is_empty() {
            s.push_str(&format!(" · {}", t.subtitle));
        }
        s
    } else {
        t.subtitle.clone()
    };
    if bars.is_empty() || !t.base_npv.is_finite() {
        let scene = layout::message(&title, &subtitle, "No uncertain inputs to show");
        return Chart::from_scene("tornado", title, &scene);
    }
    // Widest swing first; ties keep the caller's order.
    bars.sort_by(|a, b| {
        let swing = |x: &TornadoBar| (x.high_npv - x.low_npv).abs();
        swing(b).total_cmp(&swing(a))
    });

    let items = vec![
        (Mark::Swatch(style::LIGHT), "Input at its P10".to_string()),
        (Mark::Swatch(style::BASE), "Input at its P90".to_string()),
        (Mark::Line(style::INK, 2.0, false), "Base NPV".to_string()),
    ];
    let heading = layout::Heading::new(&title, &subtitle, &items);
    let plot_top = heading.bottom + 34.0;
    let height = plot_top + bars.len() as f64 * ROW + 70.0 + style::MARGIN;
    let mut scene = heading.scene(height);

    let plot = Plot {
        left: style::MARGIN + LABEL_WIDTH + 16.0,
        top: plot_top,
        right: layout::right_edge(),
        bottom: plot_top + bars.len() as f64 * ROW,
    };
    let xs = axis(&mut scene, t, &bars, &plot);
    let head = "Input (value at P10 and P90 beside each bar)";
    layout::column_head(
        &mut scene,
        head,
        style::MARGIN,
        plot.top - 10.0,
        Align::Start,
    );

    let base_x = xs.px(t.base_npv);
    for (i, b) in bars.iter().enumerate() {
        let y0 = plot.top + i as f64 * ROW;
        let mid = y0 + ROW / 2.0;
        let name_font = Font::new(style::NOTE, style::INK);
        layout::row_name(&mut scene, &b.input, name_font, LABEL_WIDTH, mid);
        draw_bar(&mut scene, &xs, t.base_npv, b, y0);
    }
    scene.segment(
        (base_x, plot.top - 4.0),
        (base_x, plot.bottom),
        style::INK,
        2.0,
    );
    Chart::from_scene("tornado", title, &scene)
}

const LABEL_WIDTH: f64 = 300.0;
const VALUE_FONT: Font = Font::new(style::NOTE, style::MUTED);

/// The NPV axis under the bars, with room at both ends for the input values written beyond
/// them; returns its scale.
fn axis(scene: &mut Scene, t: &TornadoChart, bars: &[&TornadoBar], plot: &Plot) -> Scale {
    let (lo, hi) = bars.iter().fold((t.base_npv, t.base_npv), |(lo, hi), b| {
        (
            lo.min(b.low_npv).min(b.high_npv),
            hi.max(b.low_npv).max(b.high_npv),
        )
    });
    let end_room = bars
        .iter()
        .flat_map(|b| [b.value_text(true), b.value_text(false)])
        .map(|v| VALUE_FONT.width(&v))
        .fold(0.0, f64::max)
        + 12.0;
    let inner = (plot.left + end_room, plot.right - end_room);
    let ticks = Ticks::new(lo, hi, layout::tick_budget(inner.1 - inner.0, 50.0));
    // Ticks are round; the scale keeps the bars inside the inner band.
    let span = (hi - lo).max(f64::EPSILON * hi.abs().max(1.0));
    let per_px = span / (inner.1 - inner.0).max(1.0);
    let xs = Scale::new(
        lo - (inner.0 - plot.left) * per_px,
        hi + (plot.right - inner.1) * per_px,
        plot.left,
        plot.right,
    );
    let visible = Ticks {
        values: ticks
            .values
            .iter()
            .copied()
            .filter(|&v| xs.contains(v))
            .collect(),
        ..ticks
    };
    layout::x_axis(scene, plot, &xs, &visible, &format!("NPV ({})", t.currency));
    xs
}

/// One input's two bars out from the base NPV, and the input's values at their ends.
fn draw_bar(scene: &mut Scene, xs: &Scale, base: f64, b: &TornadoBar, y0: f64) {
    let mid = y0 + ROW / 2.0;
    let base_x = xs.px(base);
    let (bar_top, bar_bottom) = (y0 + 6.0, y0 + ROW - 6.0);
    // The side that reaches further is drawn first so that the nearer one stays visible
    // when both lie on the same side of the base.
    let mut sides = [
        (b.low_npv, b.value_text(true), style::LIGHT),
        (b.high_npv, b.value_text(false), style::BASE),
    ];
    sides.sort_by(|a, c| (c.0 - base).abs().total_cmp(&(a.0 - base).abs()));
    for (npv, _, colour) in &sides {
        let (npv, colour) = (*npv, *colour);
        let x = xs.px(npv);
        if (x - base_x).abs() >= 0.5 {
            scene.rect(base_x, bar_top, x, bar_bottom, colour);
        }
    }
    // Each end's input value just beyond it; when both ends are on one side, the nearer
    // value goes on the base side of the line instead.
    let [far, near] = sides;
    let same_side = (far.0 - base) * (near.0 - base) > 0.0;
    let mut used = Vec::new();
    for (k, (npv, text, _)) in [&far, &near].into_iter().enumerate() {
        let (npv, text) = (*npv, text.clone());
        let x = xs.px(npv);
        let rightwards = if k == 1 && same_side {
            npv < base
        } else {
            npv >= base
        };
        let (lx, align) = if k == 1 && same_side {
            if rightwards {
                (base_x + 6.0, Align::Start)
            } else {
                (base_x - 6.0, Align::End)
            }
        } else if rightwards {
            (x + 6.0, Align::Start)
        } else {
            (x - 6.0, Align::End)
        };
        let area = text_area(&text, lx, mid, VALUE_FONT, align, Baseline::Middle);
        if used.iter().any(|u: &super::scene::Area| u.overlaps(&area)) {
            continue;
        }
        used.push(area);
        scene.text(text, lx, mid, VALUE_FONT, align, Baseline::Middle);
    }
}

/// The chart of a sensitivity run: its `top` widest swings.
pub fn from_sensitivity(
    s: &crate::analysis::sensitivity::Sensitivity,
    top: usize,
) -> Result<Chart, ChartError> {
    use crate::analysis::sensitivity::Mode;
    let bars: Vec<TornadoBar> = s
        .bars
        .iter()
        .filter(|b| b.swing > 0.0)
        .take(top)
        .map(|b| TornadoBar {
            input: b.label.clone(),
            low_npv: b.low_npv,
            high_npv: b.high_npv,
            low_value: b.low_value,
            high_value: b.high_value,
            value_words: (b.kind == crate::analysis::sensitivity::InputKind::Risk).then(|| {
                let word = |v: f64| {
                    if v > 0.5 {
                        "happens"
                    } else {
                        "does not happen"
                    }
                };
                [
                    word(b.low_value).to_string(),
                    word(b.high_value).to_string(),
                ]
            }),
        })
        .collect();
    render(&TornadoChart {
        base_npv: s.base_npv,
        bars: &bars,
        currency: &s.currency,
        subtitle: match s.mode {
            Mode::HoldPlan => "plan held fixed".into(),
            Mode::Reoptimize => "plan re-optimized at each point".into(),
        },
    })
}
