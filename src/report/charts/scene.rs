//! A chart is first laid out as a list of shapes in pixels, then painted twice by plotters:
//! once into an SVG string, once into an RGB buffer that becomes a PNG. One layout for both
//! means the SVG and the PNG always say the same thing, and every label position is decided
//! once, with the same measured text widths.

use super::style::{Colour, WHITE};
use super::ChartError;
use plotters::backend::{BitMapBackend, DrawingBackend, SVGBackend};
use plotters::coord::Shift;
use plotters::drawing::{DrawingArea, IntoDrawingArea};
use plotters::element::{Circle, PathElement, Polygon, Rectangle, Text};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, FontDesc, FontFamily, FontStyle, RGBAColor, ShapeStyle, TextStyle};
use std::sync::OnceLock;

/// Text is measured and drawn with DejaVu Sans, embedded in the binary, so a PNG renders the
/// same on a machine without any font installed. The SVG names the generic family, and any
/// viewer's sans-serif is narrower than DejaVu, so measured labels still fit.
const FAMILY: FontFamily<'static> = FontFamily::SansSerif;

/// DejaVu Sans's metrics, per pixel of text size (ascent + descent = 1): its em and the height
/// of its capitals.
const EM: f64 = 2048.0 / 2384.0;
const CAP: f64 = 1493.0 / 2384.0;
/// PNGs are drawn at this multiple of their size, then averaged down.
const SUPERSAMPLE: usize = 2;

/// Chinese, Japanese and Korean characters, which DejaVu Sans lacks, are drawn one by one
/// from Droid Sans Fallback (Apache 2.0, assets/fonts/README.md), embedded too. plotters
/// draws a string with one font, so text is split into runs by the font that has each
/// character. Characters neither font has (emoji) are left out rather than drawn as empty
/// boxes.
const FALLBACK: &[u8] = include_bytes!("../../../assets/fonts/DroidSansFallback.ttf");
const FALLBACK_FAMILY: FontFamily<'static> = FontFamily::Name("roadmap fallback");

/// The faces text is drawn with, parsed once, for telling which one has a character.
struct Faces {
    regular: ab_glyph::FontRef<'static>,
    bold: ab_glyph::FontRef<'static>,
    fallback: ab_glyph::FontRef<'static>,
    /// Size of fallback text that gives it DejaVu's em: plotters sizes text by the font's
    /// height (ascent + descent), which is a larger share of the em in the fallback font.
    fallback_scale: f64,
}

fn faces() -> Result<&'static Faces, ChartError> {
    static FACES: OnceLock<Result<Faces, String>> = OnceLock::new();
    FACES
        .get_or_init(|| {
            use ab_glyph::Font as _;
            let name = FAMILY.as_str();
            plotters::style::register_font(name, FontStyle::Normal, dejavu::sans::regular())
                .map_err(|_| "the embedded DejaVu Sans font does not load".to_string())?;
            plotters::style::register_font(name, FontStyle::Bold, dejavu::sans::bold())
                .map_err(|_| "the embedded DejaVu Sans Bold font does not load".to_string())?;
            plotters::style::register_font(FALLBACK_FAMILY.as_str(), FontStyle::Normal, FALLBACK)
                .map_err(|_| "the embedded Droid Sans Fallback font does not load".to_string())?;
            let parse = |bytes: &'static [u8], what: &str| {
                ab_glyph::FontRef::try_from_slice(bytes)
                    .map_err(|_| format!("the embedded {what} font does not load"))
            };
            let regular = parse(dejavu::sans::regular(), "DejaVu Sans")?;
            let bold = parse(dejavu::sans::bold(), "DejaVu Sans Bold")?;
            let fallback = parse(FALLBACK, "Droid Sans Fallback")?;
            let em_share = |f: &ab_glyph::FontRef| {
                f64::from(f.units_per_em().unwrap_or(1.0)) / f64::from(f.height_unscaled())
            };
            let fallback_scale = em_share(&regular) / em_share(&fallback);
            Ok(Faces {
                regular,
                bold,
                fallback,
                fallback_scale,
            })
        })
        .as_ref()
        .map_err(|e| ChartError::Font(e.clone()))
}

fn fonts() -> Result<(), ChartError> {
    faces().map(|_| ())
}

/// Which embedded font draws a character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Face {
    Main,
    Fallback,
}

impl Faces {
    fn face(&self, c: char, bold: bool) -> Option<Face> {
        use ab_glyph::Font as _;
        // Joiners and variation selectors only shape emoji, which are left out: alone they
        // would draw as blanks.
        if matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{206F}' | '\u{FE00}'..='\u{FE0F}')
        {
            return None;
        }
        let main = if bold { &self.bold } else { &self.regular };
        if main.glyph_id(c).0 != 0 {
            Some(Face::Main)
        } else if self.fallback.glyph_id(c).0 != 0 {
            Some(Face::Fallback)
        } else {
            None
        }
    }

    /// `text` split into runs of one face each; characters no face has are left out.
    fn runs(&self, text: &str, bold: bool) -> Vec<(Face, String)> {
        let mut runs: Vec<(Face, String)> = Vec::new();
        for c in text.chars() {
            let Some(face) = self.face(c, bold) else {
                continue;
            };
            match runs.last_mut() {
                Some((f, run)) if *f == face => run.push(c),
                _ => runs.push((face, c.to_string())),
            }
        }
        runs
    }
}

/// `text` as the charts draw it: characters no embedded font has (emoji) left out, and the
/// spaces around them closed up. Text every character of which can be drawn is unchanged.
pub fn drawable(text: &str, bold: bool) -> String {
    let Ok(faces) = faces() else {
        return text.to_string();
    };
    if text.chars().all(|c| faces.face(c, bold).is_some()) {
        return text.to_string();
    }
    let kept: String = text
        .chars()
        .filter(|&c| faces.face(c, bold).is_some())
        .collect();
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether a label has something to read once undrawable characters are left out: a name of
/// emoji alone does not, and its id should stand in.
pub fn readable(text: &str) -> bool {
    drawable(text, false).chars().any(char::is_alphanumeric)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Start,
    Middle,
    End,
}

/// Where a text's anchor point sits vertically: the top of its capitals, their middle, or
/// the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Baseline {
    Top,
    Middle,
    Bottom,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Font {
    pub size: f64,
    pub bold: bool,
    pub colour: Colour,
}

impl Font {
    pub const fn new(size: f64, colour: Colour) -> Self {
        Font {
            size,
            bold: false,
            colour,
        }
    }

    pub const fn bold(self) -> Self {
        Font { bold: true, ..self }
    }

    fn desc(&self) -> FontDesc<'static> {
        let style = if self.bold {
            FontStyle::Bold
        } else {
            FontStyle::Normal
        };
        FontDesc::new(FAMILY, self.size, style)
    }

    /// The fallback font's description at the size that matches this font's em.
    fn fallback_desc(&self, faces: &Faces) -> FontDesc<'static> {
        FontDesc::new(
            FALLBACK_FAMILY,
            self.size * faces.fallback_scale,
            FontStyle::Normal,
        )
    }

    /// Width in pixels of `text` in this font, as drawn: each run in the font that has its
    /// characters, characters no font has left out.
    pub fn width(&self, text: &str) -> f64 {
        let estimate = || text.chars().count() as f64 * self.size * 0.6;
        let Ok(faces) = faces() else {
            // Without the font nothing is drawn; a generous estimate keeps layout sane.
            return estimate();
        };
        let measure = |desc: FontDesc<'static>, run: &str| {
            desc.box_size(run)
                .map(|(w, _)| w as f64)
                .unwrap_or_else(|_| run.chars().count() as f64 * self.size * 0.6)
        };
        if text
            .chars()
            .all(|c| faces.face(c, self.bold) == Some(Face::Main))
        {
            return measure(self.desc(), text);
        }
        faces
            .runs(&drawable(text, self.bold), self.bold)
            .iter()
            .map(|(face, run)| match face {
                Face::Main => measure(self.desc(), run),
                Face::Fallback => measure(self.fallback_desc(faces), run),
            })
            .sum()
    }

    /// Height of the capitals: what the eye reads as the text's height.
    pub fn cap(&self) -> f64 {
        self.size * CAP
    }

    /// `text` cut to `max_width` pixels with an ellipsis, so that long names never run into
    /// the next column.
    pub fn fit(&self, text: &str, max_width: f64) -> String {
        if self.width(text) <= max_width {
            return text.to_string();
        }
        let chars: Vec<char> = text.chars().collect();
        let (mut lo, mut hi) = (0, chars.len());
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            let candidate: String = chars[..mid]
                .iter()
                .collect::<String>()
                .trim_end()
                .to_string();
            if self.width(&format!("{candidate}…")) <= max_width {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        let kept: String = chars[..lo].iter().collect();
        format!("{}…", kept.trim_end())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    Rect {
        x0: f64,
        y0: f64,
        x1: f64,
        y1: f64,
        fill: Option<Colour>,
        stroke: Option<(Colour, f64)>,
    },
    Line {
        points: Vec<(f64, f64)>,
        colour: Colour,
        width: f64,
    },
    Polygon {
        points: Vec<(f64, f64)>,
        fill: Colour,
    },
    Circle {
        x: f64,
        y: f64,
        radius: f64,
        fill: Option<Colour>,
        stroke: Option<(Colour, f64)>,
    },
    Text {
        text: String,
        x: f64,
        y: f64,
        font: Font,
        align: Align,
        baseline: Baseline,
    },
}

/// A box in pixels, for placing labels where nothing else is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Area {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Area {
    pub fn overlaps(&self, o: &Area) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }

    pub fn inside(&self, o: &Area) -> bool {
        self.x0 >= o.x0 && self.x1 <= o.x1 && self.y0 >= o.y0 && self.y1 <= o.y1
    }

    pub fn grow(&self, by: f64) -> Area {
        Area {
            x0: self.x0 - by,
            y0: self.y0 - by,
            x1: self.x1 + by,
            y1: self.y1 + by,
        }
    }
}

pub struct Scene {
    pub width: u32,
    pub height: u32,
    pub shapes: Vec<Shape>,
}

impl Scene {
    pub fn new(width: u32, height: u32) -> Self {
        Scene {
            width,
            height,
            shapes: Vec::new(),
        }
    }

    pub fn rect(&mut self, x0: f64, y0: f64, x1: f64, y1: f64, fill: Colour) {
        self.shapes.push(Shape::Rect {
            x0: x0.min(x1),
            y0: y0.min(y1),
            x1: x0.max(x1),
            y1: y0.max(y1),
            fill: Some(fill),
            stroke: None,
        });
    }

    pub fn outline(&mut self, x0: f64, y0: f64, x1: f64, y1: f64, colour: Colour, width: f64) {
        self.shapes.push(Shape::Rect {
            x0: x0.min(x1),
            y0: y0.min(y1),
            x1: x0.max(x1),
            y1: y0.max(y1),
            fill: None,
            stroke: Some((colour, width)),
        });
    }

    pub fn line(&mut self, points: Vec<(f64, f64)>, colour: Colour, width: f64) {
        if points.len() >= 2 {
            self.shapes.push(Shape::Line {
                points,
                colour,
                width,
            });
        }
    }

    pub fn segment(&mut self, from: (f64, f64), to: (f64, f64), colour: Colour, width: f64) {
        self.line(vec![from, to], colour, width);
    }

    /// A dashed straight line: dashes of `dash` pixels with gaps of `gap`.
    pub fn dashed(
        &mut self,
        from: (f64, f64),
        to: (f64, f64),
        colour: Colour,
        width: f64,
        dash: f64,
        gap: f64,
    ) {
        let (dx, dy) = (to.0 - from.0, to.1 - from.1);
        let length = (dx * dx + dy * dy).sqrt();
        if length <= 0.0 {
            return;
        }
        let (ux, uy) = (dx / length, dy / length);
        let mut at = 0.0;
        while at < length {
            let end = (at + dash).min(length);
            self.segment(
                (from.0 + ux * at, from.1 + uy * at),
                (from.0 + ux * end, from.1 + uy * end),
                colour,
                width,
            );
            at += dash + gap;
        }
    }

    pub fn polygon(&mut self, points: Vec<(f64, f64)>, fill: Colour) {
        if points.len() >= 3 {
            self.shapes.push(Shape::Polygon { points, fill });
        }
    }

    pub fn circle(&mut self, x: f64, y: f64, radius: f64, fill: Colour) {
        self.shapes.push(Shape::Circle {
            x,
            y,
            radius,
            fill: Some(fill),
            stroke: None,
        });
    }

    /// A hollow circle: a white disc with a coloured ring.
    pub fn ring(&mut self, x: f64, y: f64, radius: f64, colour: Colour, width: f64) {
        self.shapes.push(Shape::Circle {
            x,
            y,
            radius,
            fill: Some(WHITE),
            stroke: Some((colour, width)),
        });
    }

    pub fn diamond(&mut self, x: f64, y: f64, half: f64, fill: Colour) {
        self.polygon(
            vec![(x, y - half), (x + half, y), (x, y + half), (x - half, y)],
            fill,
        );
    }

    /// `text` at (x, y); returns the box it covers.
    pub fn text(
        &mut self,
        text: impl Into<String>,
        x: f64,
        y: f64,
        font: Font,
        align: Align,
        baseline: Baseline,
    ) -> Area {
        let text = drawable(&text.into(), font.bold);
        let area = text_area(&text, x, y, font, align, baseline);
        if !text.is_empty() {
            self.shapes.push(Shape::Text {
                text,
                x,
                y,
                font,
                align,
                baseline,
            });
        }
        area
    }

    /// Paints the scene into an SVG document and a PNG image.
    pub fn render(&self) -> Result<(String, Vec<u8>), ChartError> {
        fonts()?;
        let mut svg = String::new();
        {
            let root =
                SVGBackend::with_string(&mut svg, (self.width, self.height)).into_drawing_area();
            self.paint(&root, Target::Svg)?;
            root.present()?;
        }
        // The bitmap is drawn at SUPERSAMPLE times the size and averaged down: plotters draws
        // lines without anti-aliasing and places glyphs on whole pixels, which at 1x leaves
        // jagged diagonals and uneven letter spacing.
        let (w, h) = (self.width as usize, self.height as usize);
        let (big_w, big_h) = (w * SUPERSAMPLE, h * SUPERSAMPLE);
        let mut big = vec![0u8; big_w * big_h * 3];
        {
            let root = BitMapBackend::with_buffer(&mut big, (big_w as u32, big_h as u32))
                .into_drawing_area();
            self.paint(&root, Target::Bitmap)?;
            root.present()?;
        }
        let mut pixels = vec![0u8; w * h * 3];
        let samples = (SUPERSAMPLE * SUPERSAMPLE) as u32;
        for y in 0..h {
            for x in 0..w {
                for c in 0..3 {
                    let mut sum = 0u32;
                    for dy in 0..SUPERSAMPLE {
                        let row = (y * SUPERSAMPLE + dy) * big_w;
                        for dx in 0..SUPERSAMPLE {
                            sum += big[(row + x * SUPERSAMPLE + dx) * 3 + c] as u32;
                        }
                    }
                    pixels[(y * w + x) * 3 + c] = ((sum + samples / 2) / samples) as u8;
                }
            }
        }
        let mut png = Vec::new();
        {
            let mut encoder = png::Encoder::new(&mut png, self.width, self.height);
            encoder.set_color(png::ColorType::Rgb);
            encoder.set_depth(png::BitDepth::Eight);
            let mut writer = encoder
                .write_header()
                .map_err(|e| ChartError::Png(e.to_string()))?;
            writer
                .write_image_data(&pixels)
                .map_err(|e| ChartError::Png(e.to_string()))?;
        }
        Ok((svg, png))
    }

    fn paint<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        target: Target,
    ) -> Result<(), ChartError>
    where
        DB::ErrorType: 'static,
    {
        root.fill(&plotters::style::WHITE)?;
        let k = match target {
            Target::Svg => 1.0,
            Target::Bitmap => SUPERSAMPLE as f64,
        };
        let px = |(x, y): (f64, f64)| ((x * k).round() as i32, (y * k).round() as i32);
        let stroke_style = |c: Colour, width: f64| stroke_style(c, width * k);
        for shape in &self.shapes {
            match shape {
                Shape::Rect {
                    x0,
                    y0,
                    x1,
                    y1,
                    fill,
                    stroke,
                } => {
                    let corners = [px((*x0, *y0)), px((*x1, *y1))];
                    if let Some(fill) = fill {
                        root.draw(&Rectangle::new(corners, colour(*fill).filled()))?;
                    }
                    if let Some((c, width)) = stroke {
                        root.draw(&Rectangle::new(corners, stroke_style(*c, *width)))?;
                    }
                }
                Shape::Line {
                    points,
                    colour: c,
                    width,
                } => {
                    let points: Vec<(i32, i32)> = points.iter().map(|&p| px(p)).collect();
                    root.draw(&PathElement::new(points, stroke_style(*c, *width)))?;
                }
                Shape::Polygon { points, fill } => {
                    let points: Vec<(i32, i32)> = points.iter().map(|&p| px(p)).collect();
                    root.draw(&Polygon::new(points, colour(*fill).filled()))?;
                }
                Shape::Circle {
                    x,
                    y,
                    radius,
                    fill,
                    stroke,
                } => {
                    let centre = px((*x, *y));
                    let r = (radius * k).round().max(1.0) as i32;
                    if let Some(fill) = fill {
                        root.draw(&Circle::new(centre, r, colour(*fill).filled()))?;
                    }
                    if let Some((c, width)) = stroke {
                        root.draw(&Circle::new(centre, r, stroke_style(*c, *width)))?;
                    }
                }
                Shape::Text {
                    text,
                    x,
                    y,
                    font,
                    align,
                    baseline,
                } => {
                    // Both backends anchor text at the top of its layout box, but put the
                    // baseline at different depths below it: place the baseline ourselves.
                    let base = match baseline {
                        Baseline::Top => y + font.cap(),
                        Baseline::Middle => y + font.cap() / 2.0,
                        Baseline::Bottom => *y,
                    };
                    let (size, top) = match target {
                        // plotters writes font-size as size / 1.24: scale so that the SVG's em
                        // is the em the text was measured with.
                        Target::Svg => (font.size * EM * 1.24, base - 0.76 * font.size * EM),
                        Target::Bitmap => (font.size * k, base - font.size / 2.0),
                    };
                    let h = match align {
                        Align::Start => HPos::Left,
                        Align::Middle => HPos::Center,
                        Align::End => HPos::Right,
                    };
                    let desc = Font { size, ..*font }.desc();
                    let fill = colour(font.colour);
                    let faces = faces()?;
                    let mixed = text
                        .chars()
                        .any(|c| faces.face(c, font.bold) != Some(Face::Main));
                    if target == Target::Svg || !mixed {
                        // An SVG viewer falls back per character by itself.
                        let style = TextStyle::from(desc)
                            .color(&fill)
                            .pos(Pos::new(h, VPos::Top));
                        root.draw(&Text::new(text.clone(), px((*x, top)), style))?;
                        continue;
                    }
                    // Run by run from the left edge of the whole text, each run's baseline
                    // where the text's is.
                    let scaled = Font { size, ..*font };
                    let runs = faces.runs(text, font.bold);
                    let widths: Vec<f64> = runs.iter().map(|(_, r)| scaled.width(r)).collect();
                    let total: f64 = widths.iter().sum();
                    let mut left = x * k
                        - match align {
                            Align::Start => 0.0,
                            Align::Middle => total / 2.0,
                            Align::End => total,
                        };
                    for ((face, run), width) in runs.iter().zip(&widths) {
                        let (desc, run_size) = match face {
                            Face::Main => (scaled.desc(), size),
                            Face::Fallback => {
                                (scaled.fallback_desc(faces), size * faces.fallback_scale)
                            }
                        };
                        let run_top = base * k - run_size / 2.0;
                        let style = TextStyle::from(desc)
                            .color(&fill)
                            .pos(Pos::new(HPos::Left, VPos::Top));
                        root.draw(&Text::new(
                            run.clone(),
                            (left.round() as i32, run_top.round() as i32),
                            style,
                        ))?;
                        left += width;
                    }
                }
            }
        }
        Ok(())
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    Svg,
    Bitmap,
}

fn colour(c: Colour) -> RGBAColor {
    RGBAColor(c.r, c.g, c.b, c.alpha)
}

fn stroke_style(c: Colour, width: f64) -> ShapeStyle {
    ShapeStyle {
        color: colour(c),
        filled: false,
        stroke_width: width.round().max(1.0) as u32,
    }
}

/// The box `text` covers when drawn at (x, y) with this alignment.
pub fn text_area(text: &str, x: f64, y: f64, font: Font, align: Align, baseline: Baseline) -> Area {
    let width = font.width(text);
    let x0 = match align {
        Align::Start => x,
        Align::Middle => x - width / 2.0,
        Align::End => x - width,
    };
    let cap = font.cap();
    let top = match baseline {
        Baseline::Top => y,
        Baseline::Middle => y - cap / 2.0,
        Baseline::Bottom => y - cap,
    };
    // Descenders reach about a third of the cap height below the baseline.
    Area {
        x0,
        y0: top,
        x1: x0 + width,
        y1: top + cap * 1.35,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The PNG of one line of text.
    fn drawn(text: &str) -> Vec<u8> {
        let mut scene = Scene::new(160, 40);
        scene.text(
            text,
            10.0,
            20.0,
            Font::new(20.0, super::super::style::INK),
            Align::Start,
            Baseline::Middle,
        );
        scene.render().unwrap().1
    }

    #[test]
    fn cjk_characters_are_drawn_from_the_fallback_font_not_as_boxes() {
        // Every character DejaVu lacks would draw as the same empty box: two different
        // ideographs drawing alike means the fallback is not used.
        assert_ne!(drawn("決"), drawn("済"));
        assert_ne!(drawn("ア"), drawn("한"));
        // Measured as drawn: an ideograph is about an em wide, not zero, not a box's width.
        let font = Font::new(20.0, super::super::style::INK);
        let one = font.width("決");
        assert!((15.0..=24.0).contains(&one), "{one}");
        assert!((font.width("決済 Pay") - one * 2.0 - font.width(" Pay")).abs() <= 2.0);
    }

    #[test]
    fn emoji_are_left_out_and_the_rest_is_drawn_as_written() {
        assert_eq!(drawable("🚀 Launch", false), "Launch");
        assert_eq!(drawable("Launch 🏔️🥾 now", false), "Launch now");
        assert_eq!(drawable("Plain text, 100%", true), "Plain text, 100%");
        assert_eq!(drawn("🚀 Launch"), drawn("Launch"));
        assert!(!readable("🏔️🥾"));
        assert!(readable("決済"));
        let font = Font::new(20.0, super::super::style::INK);
        assert_eq!(font.width("🚀 Launch"), font.width("Launch"));
    }
}
