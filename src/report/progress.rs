//! A progress bar for long runs, on standard error when it is a terminal; silent when piped
//! and for runs that finish within about a second.

use crate::simulate::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct Bar {
    started: Instant,
    total: Mutex<u64>,
    bar: Mutex<Option<ProgressBar>>,
    enabled: bool,
}

/// Appears only after this long, so quick runs print nothing extra.
const DELAY: Duration = Duration::from_millis(1000);

impl Bar {
    /// A bar on standard error if that is a terminal.
    pub fn for_terminal() -> Self {
        Bar {
            started: Instant::now(),
            total: Mutex::new(0),
            bar: Mutex::new(None),
            enabled: std::io::stderr().is_terminal(),
        }
    }
}

impl Progress for Bar {
    fn begin(&self, total_trials: u64) {
        if let Ok(mut total) = self.total.lock() {
            *total = total_trials;
        }
    }

    fn advance(&self, done_trials: u64) {
        if !self.enabled || self.started.elapsed() < DELAY {
            return;
        }
        let Ok(mut slot) = self.bar.lock() else {
            return;
        };
        let bar = slot.get_or_insert_with(|| {
            let total = self.total.lock().map_or(0, |t| *t);
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} simulating [{bar:40}] {human_pos}/{human_len} trials, {per_sec}, eta {eta}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            bar
        });
        bar.set_position(done_trials);
    }

    fn end(&self) {
        if let Ok(mut slot) = self.bar.lock() {
            if let Some(bar) = slot.take() {
                bar.finish_and_clear();
            }
        }
    }
}
