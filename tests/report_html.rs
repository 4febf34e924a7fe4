//! report.html in real headless Chromium: it loads with no console messages and no network
//! requests, every chart is laid out at a readable size with its drawing inside, and a
//! screenshot is not blank. The browser harness is checked on a page that breaks each rule.

mod browser;

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
