//! A progress bar for long runs, on standard error when it is a terminal; silent when piped
//! and for runs that finish within about a second.

use crate::simulate::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct Bar {
    started: Instant,
    total: AtomicU64,
    done: AtomicU64,
    bar: Mutex<Option<ProgressBar>>,
    enabled: bool,
    /// What is being done and what is counted: "simulating" ... "trials".
    doing: &'static str,
    unit: &'static str,
}

/// The bar appears only after this long, so quick runs print nothing extra.
const DELAY: Duration = Duration::from_millis(1000);

impl Bar {
    /// A bar on standard error if that is a terminal, counting simulated trials.
    pub fn for_terminal() -> Self {
        Bar::counting("simulating", "trials")
    }

    /// The same bar for other work: `doing` before the bar, `unit` after the count.
    pub fn counting(doing: &'static str, unit: &'static str) -> Self {
        Bar {
            started: Instant::now(),
            total: AtomicU64::new(0),
            done: AtomicU64::new(0),
            bar: Mutex::new(None),
            enabled: std::io::stderr().is_terminal(),
            doing,
            unit,
        }
    }
}

impl Progress for Bar {
    fn begin(&self, total_trials: u64) {
        self.total.store(total_trials, Ordering::Relaxed);
    }

    fn advance(&self, trials: u64) {
        let done = self.done.fetch_add(trials, Ordering::Relaxed) + trials;
        if !self.enabled || self.started.elapsed() < DELAY {
            return;
        }
        let Ok(mut slot) = self.bar.lock() else {
            return;
        };
        let bar = slot.get_or_insert_with(|| {
            let total = self.total.load(Ordering::Relaxed);
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            let template = format!(
                "{{spinner}} {} [{{bar:30}}] {{human_pos}}/{{human_len}} {}{{msg}}",
                self.doing, self.unit
            );
            bar.set_style(
                ProgressStyle::with_template(&template)
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            bar
        });
        bar.set_position(done);
        // The time left from the whole run's rate: the bar itself only sees it from when it
        // appeared.
        let total = self.total.load(Ordering::Relaxed);
        let elapsed = self.started.elapsed().as_secs_f64();
        if done > 0 && total > done {
            let left = elapsed * (total - done) as f64 / done as f64;
            bar.set_message(format!(", {left:.0} s left"));
        }
    }

    fn end(&self) {
        if let Ok(mut slot) = self.bar.lock() {
            if let Some(bar) = slot.take() {
                bar.finish_and_clear();
            }
        }
    }
}
