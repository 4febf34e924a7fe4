//! report.html in real headless Chromium: it loads with no console messages and no network
//! requests, every chart is laid out at a readable size with its drawing inside, and a
//! screenshot is not blank. The browser harness is checked on a page that breaks each rule.

mod browser;

mod common;

use common::cli::{roadmap, stdout_of};

#[test]
fn the_browser_check_catches_console_errors_network_requests_and_hidden_charts() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("bad.html");
    std::fs::write(
        &page,
        r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>bad</title></head><body>
<script>console.error("broken chart");</script>
<img src="http://roadmap-report-test.invalid/logo.png">
<figure class="chart" id="chart-shown"><svg width="600" height="300"><rect width="50" height="50"/><text>t</text></svg></figure>
<figure class="chart" id="chart-hidden" style="display:none"><svg width="600" height="300"><rect/></svg></figure>
</body></html>"#,
    )
    .unwrap();
    let load = browser::load(&page, dir.path());
    assert!(
        load.console.iter().any(|l| l.contains("broken chart")),
        "console not captured: {:?}",
        load.console
    );
    assert!(
        load.network
            .iter()
            .any(|u| u.contains("roadmap-report-test.invalid")),
        "network request not captured: {:?}",
        load.network
    );
    let boxes = browser::chart_boxes(&page, dir.path());
    assert_eq!(boxes.len(), 2, "{boxes:?}");
    assert_eq!(boxes[0].id, "chart-shown");
    assert!(boxes[0].visible && boxes[0].width >= 599.0 && boxes[0].height >= 299.0);
    assert_eq!((boxes[0].shapes, boxes[0].texts), (1, 1));
    assert_eq!(boxes[1].id, "chart-hidden");
    assert!(boxes[1].width == 0.0, "{boxes:?}");
    let (ink, _) = browser::ink(&load.screenshot);
    assert!(ink > 0.0);
}

fn roadmap_report(out: &std::path::Path, extra: &[&str]) -> String {
    let mut cmd = roadmap();
    cmd.args(["report", "scenarios/saas-annual-plan.toml", "-o"])
        .arg(out)
        .args([
            "--trials",
            "2000",
            "--frontier-points",
            "3",
            "--frontier-scenarios",
            "20",
            "--top",
            "4",
        ])
        .args(extra);
    stdout_of(&mut cmd)
}

const CHARTS: [&str; 8] = [
    "roadmap",
    "npv",
    "value-fan",
    "capacity",
    "on-time",
    "strategies",
    "frontier",
    "tornado",
];

#[test]
fn the_flagship_report_loads_offline_with_every_chart_visible() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    let stdout = roadmap_report(&out, &[]);
    assert!(stdout.contains("report.html"), "{stdout}");
    let page = out.join("report.html");

    let load = browser::load(&page, dir.path());
    assert!(
        load.console.is_empty(),
        "console messages: {:#?}",
        load.console
    );
    assert!(
        load.network.is_empty(),
        "network requests: {:#?}",
        load.network
    );
    let (ink, colours) = browser::ink(&load.screenshot);
    assert!(
        ink > 0.05 && colours > 20,
        "the screenshot looks blank: {:.1}% inked, {colours} colours",
        ink * 100.0
    );

    let boxes = browser::chart_boxes(&page, dir.path());
    let ids: Vec<&str> = boxes.iter().map(|b| b.id.as_str()).collect();
    let expected: Vec<String> = CHARTS.iter().map(|c| format!("chart-{c}")).collect();
    assert_eq!(ids, expected);
    for b in &boxes {
        assert!(b.visible, "{b:?}");
        // Laid out across the column at a readable size, with the drawing inside.
        assert!(b.width >= 800.0 && b.height >= 250.0, "{b:?}");
        assert!(b.shapes >= 10 && b.texts >= 5, "{b:?}");
    }

    // The page is one file: nothing it refers to lives elsewhere.
    let html = std::fs::read_to_string(&page).unwrap();
    for external in ["src=", "href=", "@import", "url(", "<script", "<link"] {
        assert!(
            !html.contains(external),
            "report.html refers out: {external}"
        );
    }
    for c in CHARTS {
        for ext in ["svg", "png"] {
            let file = out.join(format!("{c}.{ext}"));
            assert!(
                file.metadata().map(|m| m.len() > 1000).unwrap_or(false),
                "{file:?}"
            );
        }
    }
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert!(summary["npv_mean"].as_f64().unwrap() > 0.0);
    assert!(summary["paragraph"]
        .as_str()
        .unwrap()
        .contains("expected net present value"));
    let plan = std::fs::read_to_string(out.join("plan.csv")).unwrap();
    assert!(plan.starts_with("feature,period"), "{plan}");

    // It prints: A4 pages, each chart kept whole by the print styles.
    let pdf = browser::print_pdf(&page, dir.path());
    assert!(pdf.starts_with(b"%PDF"), "not a PDF");
    let pages = browser::pdf_pages(&pdf);
    assert!((4..=30).contains(&pages), "{pages} pages");

    // What an executive reads first.
    insta::assert_snapshot!("flagship_paragraph", stdout.lines().next().unwrap());
}

#[test]
fn the_report_is_the_same_on_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    let run = |threads: &str| {
        let out = dir.path().join(format!("t{threads}"));
        stdout_of(
            roadmap()
                .args(["report", "scenarios/mobile-launch.toml", "-o"])
                .arg(&out)
                .args([
                    "--trials",
                    "600",
                    "--frontier-points",
                    "2",
                    "--frontier-scenarios",
                    "8",
                ])
                .args(["--top", "2", "--threads", threads]),
        );
        let read = |name: &str| std::fs::read(out.join(name)).unwrap();
        (
            read("summary.json"),
            read("report.html"),
            read("npv.svg"),
            read("tornado.png"),
        )
    };
    assert!(
        run("1") == run("2"),
        "the report differs between 1 and 2 threads"
    );
}

#[test]
fn bad_report_requests_are_invalid_input_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("taken");
    std::fs::write(&file, "not a folder").unwrap();
    let missing = dir.path().join("never");
    for (scenario, out, needle) in [
        (
            "scenarios/mobile-launch.toml",
            &file,
            "a file of that name exists",
        ),
        ("scenarios/no-such-plan.toml", &missing, "cannot read"),
    ] {
        let done = roadmap()
            .args(["report", scenario, "-o"])
            .arg(out)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&done.stderr);
        assert_eq!(done.status.code(), Some(2), "{err}");
        assert!(err.contains(needle) && err.contains("help:"), "{err}");
    }
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "not a folder");
    assert!(!missing.exists());
}
