//! `whatif --out`: the two sides overlaid on the same axes, NPV distributions and value fans.

use super::{npv, value_fan, Chart, ChartError, FanSeries, NpvSeries};
use crate::analysis::whatif::WhatIf;

/// The overlay charts with their file stems, each side named in the legend by its label.
pub fn overlays(
    result: &WhatIf,
    base_label: &str,
    variant_label: &str,
) -> Result<[(&'static str, Chart); 2], ChartError> {
    let (base, variant) = (&result.base, &result.variant);
    let npv = npv::render(
        &[
            NpvSeries {
                label: base_label,
                npv: &base.trial_npv,
                summary: &base.result.npv,
            },
            NpvSeries {
                label: variant_label,
                npv: &variant.trial_npv,
                summary: &variant.result.npv,
            },
        ],
        &result.currency,
    )?;
    let fan = value_fan::render(
        &[
            FanSeries {
                label: base_label,
                bands: &base.result.value_by_month,
            },
            FanSeries {
                label: variant_label,
                bands: &variant.result.value_by_month,
            },
        ],
        &result.currency,
        base.result.periods.first().map_or("", String::as_str),
    )?;
    Ok([("whatif-npv", npv), ("whatif-value-fan", fan)])
}
