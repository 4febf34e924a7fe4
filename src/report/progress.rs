//! Progress for long runs, on standard error when it is a terminal; silent when piped and for
//! runs that finish within about a second.
//!
//! A run is a sequence of stages ("optimizing the plan (HiGHS, at most 60 s)", "simulating the
//! plan"). A stage that counts something shows a bar with its true total and the time left;
//! one that cannot count (a solver at work) shows a spinner and the time it has taken, so the
//! terminal is never silent for long.

use crate::model::dist::fmt_num;
use crate::simulate::{Progress, Stage as RunStage};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The bar appears only after this long, so quick runs print nothing extra.
const DELAY: Duration = Duration::from_millis(1000);

pub struct Bar {
    inner: Option<Arc<Inner>>,
}

struct Inner {
    bar: ProgressBar,
    /// The current stage's count: its total (0 while it counts nothing) and what is done.
    total: AtomicU64,
    done: AtomicU64,
    stage: Mutex<Stage>,
    finished: AtomicBool,
    /// Held while the bar is shown or cleared, so a run that ends just as the delay runs out
    /// never leaves a bar behind.
    showing: Mutex<()>,
}

struct Stage {
    what: String,
    unit: String,
    started: Instant,
}

impl Bar {
    /// A bar on standard error if that is a terminal, counting simulated trials.
    pub fn for_terminal() -> Self {
        Bar::counting("simulating", "trials")
    }

    /// A bar whose first stage is `doing`, counting `unit` (a later [`Progress::stage`] may
    /// name another stage and unit).
    pub fn counting(doing: &str, unit: &str) -> Self {
        if !std::io::stderr().is_terminal() {
            return Bar { inner: None };
        }
        let bar = Bar::hidden(doing, unit);
        let Some(inner) = &bar.inner else {
            return bar;
        };
        // Shown after the delay, and ticking from then on, so a stage that counts nothing
        // (a solver at work) still shows its spinner and its time.
        let shown = Arc::clone(inner);
        std::thread::spawn(move || {
            std::thread::sleep(DELAY);
            let Ok(_showing) = shown.showing.lock() else {
                return;
            };
            if shown.finished.load(Ordering::Relaxed) {
                return;
            }
            shown.bar.set_draw_target(ProgressDrawTarget::stderr());
            shown.bar.enable_steady_tick(Duration::from_millis(120));
            shown.refresh();
        });
        bar
    }

    /// The bar's state without a terminal to draw on.
    fn hidden(doing: &str, unit: &str) -> Self {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        let inner = Arc::new(Inner {
            bar,
            total: AtomicU64::new(0),
            done: AtomicU64::new(0),
            stage: Mutex::new(Stage {
                what: doing.to_string(),
                unit: unit.to_string(),
                started: Instant::now(),
            }),
            finished: AtomicBool::new(false),
            showing: Mutex::new(()),
        });
        inner.restyle();
        Bar { inner: Some(inner) }
    }
}

impl Inner {
    fn restyle(&self) {
        let Ok(stage) = self.stage.lock() else {
            return;
        };
        let total = self.total.load(Ordering::Relaxed);
        let template = if total > 0 {
            format!(
                "{{spinner}} {} [{{bar:30}}] {{human_pos}}/{{human_len}} {}{{msg}}",
                stage.what.replace('{', "{{").replace('}', "}}"),
                stage.unit.replace('{', "{{").replace('}', "}}")
            )
        } else {
            format!(
                "{{spinner}} {} ({{elapsed}})",
                stage.what.replace('{', "{{").replace('}', "}}")
            )
        };
        self.bar.set_style(
            ProgressStyle::with_template(&template)
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        self.bar.set_length(total.max(1));
        self.bar
            .set_position(self.done.load(Ordering::Relaxed).min(total));
    }

    /// The message after the bar: the time left from the stage's rate, or the time taken.
    fn refresh(&self) {
        let Ok(stage) = self.stage.lock() else {
            return;
        };
        let elapsed = stage.started.elapsed().as_secs_f64();
        let total = self.total.load(Ordering::Relaxed);
        let done = self.done.load(Ordering::Relaxed).min(total);
        self.bar.set_position(done);
        if total > 0 && done > 0 && total > done {
            let left = elapsed * (total - done) as f64 / done as f64;
            self.bar.set_message(format!(", {left:.0} s left"));
        } else {
            self.bar.set_message("");
        }
    }
}

/// What a stage does, and what its counts count ("trials"; empty when it has none).
pub fn words(stage: &RunStage) -> (String, String) {
    let (what, unit) = match stage {
        RunStage::Named { what, unit } => return (what.to_string(), unit.to_string()),
        RunStage::Of { subject, stage } => {
            let (what, unit) = words(stage);
            return (format!("{subject}: {what}"), unit);
        }
        RunStage::FrontierUnbudgeted => (
            "frontier: the plan without a budget, to size the sweep (HiGHS)".to_string(),
            "",
        ),
        RunStage::FrontierStart => (
            "frontier: the deterministic optimum, every point's start (HiGHS)".to_string(),
            "",
        ),
        RunStage::FrontierSolving {
            points,
            limit_seconds,
        } => (
            format!(
                "frontier: solving {points} points (HiGHS, side by side{})",
                limit_seconds.map_or(String::new(), |s| format!(", at most {} s each", fmt_num(s)))
            ),
            "points",
        ),
        RunStage::FrontierSimulating { plans } => (
            format!(
                "frontier: simulating {plans} distinct plan{} on the same futures",
                if *plans == 1 { "" } else { "s" }
            ),
            "trials",
        ),
        RunStage::RecommendOptimum => (
            "recommended plan, 1/3: the deterministic optimum (HiGHS)".to_string(),
            "",
        ),
        RunStage::RecommendCandidates {
            modes,
            stochastic_seconds,
        } => (
            format!(
                "recommended plan, 1/3: {modes} robust and stochastic candidates (HiGHS, side by side; stochastic ones at most {} s)",
                fmt_num(*stochastic_seconds)
            ),
            "",
        ),
        RunStage::RecommendImproving => (
            "recommended plan, 2/3: improving the best candidates move by move on simulated futures".to_string(),
            "candidates",
        ),
        RunStage::RecommendSelecting => (
            "recommended plan, 3/3: selecting on futures neither the MILP nor the search saw"
                .to_string(),
            "plans",
        ),
        RunStage::Tornado { inputs, replanned } => (
            match replanned {
                Some(top) => format!(
                    "tornado: {inputs} inputs screened with the plan held, the top {top} re-planned (HiGHS)"
                ),
                None => format!("tornado: {inputs} inputs with the plan held"),
            },
            "solves",
        ),
        RunStage::Tournament { strategies } => (
            format!(
                "strategy tournament: {strategies} strategies on the same futures (the optimizers solve first)"
            ),
            "trials",
        ),
    };
    (what, unit.to_string())
}

impl Progress for Bar {
    fn stage(&self, stage: &RunStage) {
        let Some(inner) = &self.inner else { return };
        let (what, unit) = words(stage);
        if let Ok(mut stage) = inner.stage.lock() {
            *stage = Stage {
                what,
                unit,
                started: Instant::now(),
            };
        }
        inner.total.store(0, Ordering::Relaxed);
        inner.done.store(0, Ordering::Relaxed);
        inner.bar.reset_elapsed();
        inner.restyle();
        inner.refresh();
    }

    /// A new count within the stage: the bar restarts at 0 of `total`.
    fn begin(&self, total: u64) {
        let Some(inner) = &self.inner else { return };
        inner.total.store(total, Ordering::Relaxed);
        inner.done.store(0, Ordering::Relaxed);
        if let Ok(mut stage) = inner.stage.lock() {
            stage.started = Instant::now();
        }
        inner.restyle();
        inner.refresh();
    }

    fn advance(&self, n: u64) {
        let Some(inner) = &self.inner else { return };
        inner.done.fetch_add(n, Ordering::Relaxed);
        inner.refresh();
    }

    fn end(&self) {
        let Some(inner) = &self.inner else { return };
        // Between counts the stage keeps its spinner; the bar goes when the run is done.
        inner.total.store(0, Ordering::Relaxed);
        inner.done.store(0, Ordering::Relaxed);
        inner.restyle();
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        if let Some(inner) = &self.inner {
            let _showing = inner.showing.lock();
            inner.finished.store(true, Ordering::Relaxed);
            inner.bar.finish_and_clear();
        }
    }
}

/// The stage of one MILP solve, with the longest it may take: "optimizing the plan (HiGHS,
/// stochastic mode, at most 60 s)".
pub fn solving(what: &str, options: &crate::optimize::OptimizeOptions) -> String {
    let limit = options.time_limit_for(options.mode, crate::optimize::STOCHASTIC_TIME_LIMIT);
    match limit {
        Some(seconds) => format!(
            "{what} (HiGHS, {} mode, at most {} s)",
            options.mode.name(),
            crate::model::dist::fmt_num(seconds)
        ),
        None => format!("{what} (HiGHS, {} mode)", options.mode.name()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each count starts from 0 of its own total: several simulations under one bar once read
    /// "6,000/2,000 trials".
    #[test]
    fn each_count_starts_at_zero_of_its_own_total() {
        let bar = Bar::hidden("simulating", "trials");
        let inner = bar.inner.as_ref().unwrap();
        bar.begin(2000);
        bar.advance(2000);
        bar.begin(2000);
        bar.advance(1000);
        assert_eq!(inner.bar.position(), 1000);
        assert_eq!(inner.bar.length(), Some(2000));
        bar.named("solving", "");
        assert_eq!(inner.bar.position(), 0);
        bar.named("simulating the plan", "trials");
        bar.begin(500);
        bar.advance(200);
        assert_eq!(inner.bar.position(), 200);
        assert_eq!(inner.bar.length(), Some(500));
    }
}
