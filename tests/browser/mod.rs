//! Loads a page in real headless Chromium and reports what a reader's browser would: console
//! messages, network requests, the laid-out size of every chart, and a screenshot.
//!
//! Chromium runs from the command line (Debian's `chromium` package; `make test` installs it):
//! console messages come from its log, network requests from its NetLog, layout from the DOM
//! it dumps after a probe script measured each chart, and the screenshot from `--screenshot`.

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct PageLoad {
    /// Console messages of any level (errors, warnings, logs, CSP violations).
    pub console: Vec<String>,
    /// URLs requested over the network (anything but file:, data:, about: and chrome:).
    pub network: Vec<String>,
    pub screenshot: PathBuf,
}

/// One chart as laid out: its id, size in CSS pixels, and how many shapes and texts it drew.
#[derive(Debug, Clone)]
pub struct ChartBox {
    pub id: String,
    pub width: f64,
    pub height: f64,
    pub visible: bool,
    pub shapes: usize,
    pub texts: usize,
}

pub fn chromium() -> PathBuf {
    if let Ok(path) = std::env::var("ROADMAP_CHROMIUM") {
        return PathBuf::from(path);
    }
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        for dir in std::env::var("PATH").unwrap_or_default().split(':') {
            let candidate = Path::new(dir).join(name);
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    panic!(
        "the report test needs Chromium: `make test` installs Debian's chromium package, or set ROADMAP_CHROMIUM to a Chrome or Chromium binary"
    );
}

fn base_command(profile: &Path) -> Command {
    let mut c = Command::new(chromium());
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--no-default-browser-check",
        // Chromium's own background traffic (updates, sync, metrics) is not the page's.
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--disable-extensions",
        "--metrics-recording-only",
        "--hide-scrollbars",
    ]);
    c.arg(format!("--user-data-dir={}", profile.display()));
    c
}

fn url(page: &Path) -> String {
    format!("file://{}", page.canonicalize().unwrap().display())
}

/// Loads `page`, with its console logged and its network traffic recorded, and screenshots it.
pub fn load(page: &Path, work: &Path) -> PageLoad {
    let net_log = work.join("net-log.json");
    let screenshot = work.join("screenshot.png");
    let out = base_command(&work.join("profile"))
        .args([
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1280,2000",
            "--virtual-time-budget=3000",
        ])
        .arg(format!("--log-net-log={}", net_log.display()))
        .arg("--net-log-capture-mode=Everything")
        .arg(format!("--screenshot={}", screenshot.display()))
        .arg(url(page))
        .output()
        .expect("run chromium");
    let log = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(
        screenshot.is_file(),
        "chromium did not write a screenshot (exit {:?}):\n{log}",
        out.status.code()
    );
    let console = log
        .lines()
        .filter(|l| l.contains("CONSOLE") || l.contains(":CONSOLE("))
        .map(str::to_string)
        .collect();
    PageLoad {
        console,
        network: requested_urls(&std::fs::read_to_string(&net_log).unwrap_or_default()),
        screenshot,
    }
}

/// Every URL the page asked the network for. Chromium's own traffic (component updates,
/// account checks) starts jobs with no initiating origin ("not an origin") and is not the
/// page's; the page's requests carry its origin (a file page's is the opaque "null").
fn requested_urls(net_log: &str) -> Vec<String> {
    let Ok(log) = serde_json::from_str::<serde_json::Value>(net_log) else {
        // Chromium may leave the log without its closing bracket when killed; an unreadable
        // log must not pass as "no requests".
        panic!("the NetLog is not JSON ({} bytes)", net_log.len());
    };
    let start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"].as_i64();
    let mut urls = Vec::new();
    for event in log["events"].as_array().into_iter().flatten() {
        if event["type"].as_i64() != start_job {
            continue;
        }
        let params = &event["params"];
        let (Some(u), initiator) = (params["url"].as_str(), params["initiator"].as_str()) else {
            continue;
        };
        let local = [
            "file:",
            "data:",
            "about:",
            "chrome:",
            "chrome-extension:",
            "blob:",
        ]
        .iter()
        .any(|s| u.starts_with(s));
        if !local && initiator != Some("not an origin") && !urls.iter().any(|x| x == u) {
            urls.push(u.to_string());
        }
    }
    urls
}

/// Measures every `figure.chart` of `page` as Chromium lays it out. The page's own content
/// policy forbids scripts, so the probe runs on a copy with the measuring script added.
pub fn chart_boxes(page: &Path, work: &Path) -> Vec<ChartBox> {
    let html = std::fs::read_to_string(page).unwrap();
    let probe = r#"<script>
addEventListener('load', () => {
  const out = [...document.querySelectorAll('figure.chart')].map(f => {
    const s = f.querySelector('svg');
    if (!s) return [f.id, 0, 0, false, 0, 0].join('|');
    const r = s.getBoundingClientRect(), cs = getComputedStyle(s);
    const visible = cs.display !== 'none' && cs.visibility !== 'hidden' && parseFloat(cs.opacity) > 0;
    return [f.id, r.width.toFixed(1), r.height.toFixed(1), visible,
      s.querySelectorAll('rect,path,polyline,polygon,circle,line').length,
      s.querySelectorAll('text').length].join('|');
  });
  const pre = document.createElement('pre');
  pre.id = 'probe';
  // Split so the script's own text never matches the marker in the dumped DOM.
  pre.textContent = 'CHA' + 'RTS[' + out.join(';') + ']CHA' + 'RTS';
  document.body.appendChild(pre);
});
</script>"#;
    let html = html
        .replace(
            "default-src 'none'",
            "default-src 'none'; script-src 'unsafe-inline'",
        )
        .replace("</body>", &format!("{probe}\n</body>"));
    let copy = work.join("probe.html");
    std::fs::write(&copy, html).unwrap();
    let out = base_command(&work.join("profile-probe"))
        .args([
            "--window-size=1280,2000",
            "--virtual-time-budget=3000",
            "--dump-dom",
        ])
        .arg(url(&copy))
        .output()
        .expect("run chromium");
    let dom = String::from_utf8_lossy(&out.stdout);
    let start = dom.find("CHARTS[").unwrap_or_else(|| {
        panic!(
            "the probe did not run:\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let end = dom[start..].find("]CHARTS").unwrap() + start;
    dom[start + 7..end]
        .split(';')
        .filter(|s| !s.is_empty())
        .map(|entry| {
            let f: Vec<&str> = entry.split('|').collect();
            ChartBox {
                id: f[0].to_string(),
                width: f[1].parse().unwrap(),
                height: f[2].parse().unwrap(),
                visible: f[3] == "true",
                shapes: f[4].parse().unwrap(),
                texts: f[5].parse().unwrap(),
            }
        })
        .collect()
}

/// Share of pixels in the screenshot that are not near-white, and how many distinct colours.
pub fn ink(png: &Path) -> (f64, usize) {
    let file = std::fs::File::open(png).unwrap();
    let decoder = png::Decoder::new(std::io::BufReader::new(file));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let pixels = buf[..info.buffer_size()].chunks(channels);
    let (mut inked, mut total) = (0usize, 0usize);
    let mut colours = std::collections::HashSet::new();
    for p in pixels {
        total += 1;
        if p[..3].iter().any(|&c| c < 235) {
            inked += 1;
        }
        colours.insert((p[0] >> 3, p[1] >> 3, p[2] >> 3));
    }
    (inked as f64 / total.max(1) as f64, colours.len())
}

/// Prints `page` to PDF as a reader's "Save as PDF" would (A4 from the page's own print
/// styles) and returns the file's bytes.
pub fn print_pdf(page: &Path, work: &Path) -> Vec<u8> {
    let pdf = work.join("printed.pdf");
    let out = base_command(&work.join("profile-print"))
        .arg("--no-pdf-header-footer")
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(url(page))
        .output()
        .expect("run chromium");
    std::fs::read(&pdf).unwrap_or_else(|_| {
        panic!(
            "chromium did not print the page:\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// Pages of a PDF, counted by their page objects.
pub fn pdf_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    text.matches("/Type /Page").count() - text.matches("/Type /Pages").count()
}
