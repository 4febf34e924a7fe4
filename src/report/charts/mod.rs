//! The charts an executive reads: one module per chart, each turning plain results into an
//! SVG document and a PNG image (the caller writes them, atomically).
//!
//! Every chart shares one look (`style`): the plan or base case in blue, the other side of a
//! comparison in orange, loss and lateness in vermillion, reference lines in grey; money on
//! axes in k/M/B with the currency in the axis title; long names cut with an ellipsis. A
//! chart with nothing to show (no features planned, no trials) says so in the same frame
//! rather than failing.

pub mod calibration;
pub mod capacity;
pub mod frontier;
pub mod layout;
pub mod npv;
pub mod on_time;
pub mod roadmap;
pub mod scene;
pub mod strategies;
pub mod style;
pub mod tornado;
pub mod value_fan;
pub mod whatif;

pub use frontier::{FrontierAxis, FrontierPoint};
pub use npv::NpvSeries;
pub use tornado::{TornadoBar, TornadoChart};
pub use value_fan::FanSeries;

/// One rendered chart.
#[derive(Debug, Clone)]
pub struct Chart {
    /// File name without extension: "roadmap", "npv", "value-fan", ...
    pub stem: &'static str,
    pub title: String,
    pub svg: String,
    pub png: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("cannot draw the chart: {0}")]
    Draw(String),
    #[error("cannot encode the chart as PNG: {0}")]
    Png(String),
    #[error("cannot load the chart font: {0}")]
    Font(String),
}

impl<E: std::error::Error + Send + Sync> From<plotters::drawing::DrawingAreaErrorKind<E>>
    for ChartError
{
    fn from(e: plotters::drawing::DrawingAreaErrorKind<E>) -> Self {
        ChartError::Draw(e.to_string())
    }
}

impl Chart {
    pub(crate) fn from_scene(
        stem: &'static str,
        title: String,
        scene: &scene::Scene,
    ) -> Result<Chart, ChartError> {
        let (svg, png) = scene.render()?;
        Ok(Chart {
            stem,
            title,
            svg,
            png,
        })
    }
}
