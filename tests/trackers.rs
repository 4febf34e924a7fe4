//! Backlogs read as trackers and spreadsheets export them: Jira, Linear and Productboard
//! exports with their real headers (fixtures in tests/fixtures/trackers/), and numbers in the
//! conventions of the locale that wrote them.

mod common;

use common::cli::roadmap;
use roadmap::model::Model;
use roadmap::scenario::{self, Loaded};

fn fixture(name: &str) -> Loaded {
    let path = common::cli::root()
        .join("tests/fixtures/trackers")
        .join(name);
    scenario::load(&path).unwrap_or_else(|e| panic!("{name}: {e:?}"))
}

/// A scenario with `teams` (TOML) and a backlog CSV given as text.
fn load(teams_and_backlog: &str, csv: &str) -> Result<Loaded, Vec<String>> {
    let toml = format!("[plan]\nperiods = 4\nstart = \"2027Q1\"\n\n{teams_and_backlog}");
    common::load::try_load_with_backlog("p.toml", toml, csv).map_err(|e| match e {
        scenario::ScenarioError::Invalid { findings, .. } => findings
            .iter()
            .filter(|f| f.is_error())
            .map(|f| f.to_string())
            .collect(),
        other => vec![other.to_string()],
    })
}

const ONE_TEAM: &str = "[backlog]\nfile = \"b.csv\"\n\n[[teams]]\nid = \"web\"\ncapacity = 40\n";

fn ids(model: &Model) -> Vec<&str> {
    model.features.iter().map(|f| f.id.as_str()).collect()
}

/// The mean person-weeks of `feature` for team `team`, if it has any.
fn effort(model: &Model, feature: &str, team: &str) -> Option<f64> {
    let f = model.features.iter().find(|f| f.id == feature)?;
    let t = model.teams.iter().position(|t| t.id == team)?;
    f.effort
        .iter()
        .find(|e| e.team == t)
        .map(|e| model.mean(e.weeks))
}

fn warnings(loaded: &Loaded) -> Vec<String> {
    loaded.warnings.iter().map(|w| w.to_string()).collect()
}

#[test]
fn a_jira_export_is_read_as_exported() {
    let loaded = fixture("jira-plan.toml");
    let m = &loaded.model;
    // Issue key is the id (not Issue id), Summary the name; the Done row is done: in no plan.
    assert_eq!(
        ids(m),
        ["PAY-101", "PAY-102", "PAY-103", "PAY-104", "PAY-105"]
    );
    let done: Vec<&str> = m.done.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(done, ["PAY-98"]);
    assert_eq!(m.features[1].name, "Apple Pay and Google Pay, web checkout");
    // Seconds at 40 hours a person-week: 576,000 s = 160 h = 4 person-weeks.
    assert_eq!(effort(m, "PAY-101", "payments"), Some(4.0));
    // In progress: what remains (288,000 s), not the original 432,000 s.
    assert_eq!(effort(m, "PAY-102", "payments"), Some(2.0));
    assert_eq!(m.features[1].status, roadmap::model::Status::InProgress);
    assert_eq!(effort(m, "PAY-105", "payments"), Some(8.0));
    // A deal waiting for the done PAY-98 waits only for the rest.
    let shopco = m.deals.iter().find(|d| d.id == "shopco").unwrap();
    let waits: Vec<&str> = shopco
        .features
        .iter()
        .map(|&f| m.features[f].id.as_str())
        .collect();
    assert_eq!(waits, ["PAY-102", "PAY-104"]);
    // A done row is no cause for a warning: the summary counts it.
    let w = warnings(&loaded);
    assert_eq!(w.len(), 1, "{w:#?}");
    assert!(
        w[0].contains("column `Due Date`: 2 rows have a due date, which is not read"),
        "{}",
        w[0]
    );
}

#[test]
fn a_linear_export_is_read_as_exported() {
    let loaded = fixture("linear-plan.toml");
    let m = &loaded.model;
    // Done and Canceled issues are in no plan: the one is done, the other dropped.
    assert_eq!(ids(m), ["ENG-210", "ENG-211", "ENG-212", "ENG-213"]);
    assert_eq!(m.done.len(), 1);
    assert_eq!(m.done[0].id, "ENG-198");
    assert_eq!(m.features[0].name, "Self-serve signup with SSO");
    // `Team` names the team by its name; points at 2 a person-week.
    assert_eq!(effort(m, "ENG-210", "web"), Some(2.5));
    assert_eq!(effort(m, "ENG-211", "platform"), Some(4.0));
    assert_eq!(effort(m, "ENG-212", "web"), Some(1.5));
    assert_eq!(effort(m, "ENG-213", "web"), None);
    assert_eq!(effort(m, "ENG-213", "platform"), None);
    let w = warnings(&loaded);
    assert!(
        w.iter()
            .any(|w| w.contains("1 row left out as dropped: Canceled (1)")),
        "{w:#?}"
    );
    // Linear does not track what remains: the issue in progress is planned with its whole
    // estimate, and the warning says so.
    assert!(
        w.iter().any(|w| w.contains(
            "linear.csv:3: column `Status`: 1 row is in progress with no remaining estimate"
        )),
        "{w:#?}"
    );
}

#[test]
fn a_productboard_export_is_read_as_exported() {
    let loaded = fixture("productboard-plan.toml");
    let m = &loaded.model;
    assert_eq!(
        ids(m),
        [
            "5f1d2c3b-7a8e-4b90-a1c2-d3e4f5a6b7c8",
            "0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d",
            "1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e"
        ]
    );
    assert_eq!(m.features[0].name, "Offline mode for field reports");
    // 13 effort points at half a point a person-week.
    assert_eq!(
        effort(m, "5f1d2c3b-7a8e-4b90-a1c2-d3e4f5a6b7c8", "mobile"),
        Some(26.0)
    );
}

#[test]
fn jira_seconds_follow_the_declared_working_week() {
    let csv = "Issue key,Summary,Original Estimate\nPAY-1,Refunds,576000\n";
    let toml = ONE_TEAM.replace("file = \"b.csv\"", "file = \"b.csv\"\nhours_per_week = 32");
    let loaded = load(&toml, csv).unwrap();
    // 160 hours at 32 hours a week.
    assert_eq!(effort(&loaded.model, "PAY-1", "web"), Some(5.0));
}

#[test]
fn the_backlogs_own_effort_columns_win_over_a_trackers_estimate() {
    let csv = "Issue key,Summary,Original Estimate,web_low,web_likely,web_high\nPAY-1,Refunds,576000,1,2,3\nPAY-2,Payouts,144000,,,\n";
    let loaded = load(ONE_TEAM, csv).unwrap();
    assert_eq!(effort(&loaded.model, "PAY-1", "web"), Some(2.0));
    assert_eq!(effort(&loaded.model, "PAY-2", "web"), Some(1.0));
}

#[test]
fn story_points_need_a_declared_conversion() {
    let csv = "Issue key,Summary,Custom field (Story Points),Original Estimate\nPAY-1,Refunds,5,\nPAY-2,Payouts,3,144000\n";
    let errors = load(ONE_TEAM, csv).unwrap_err();
    // PAY-2 has a time estimate, which is read before points; only PAY-1 lacks a conversion.
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(errors[0].contains("b.csv:2: column `Custom field (Story Points)`: 1 row is estimated in `Custom field (Story Points)` only, and points are not person-weeks"), "{}", errors[0]);
    assert!(errors[0].contains("points_per_person_week = 3"));
    let toml = ONE_TEAM.replace(
        "file = \"b.csv\"",
        "file = \"b.csv\"\npoints_per_person_week = 2.5",
    );
    let loaded = load(&toml, csv).unwrap();
    assert_eq!(effort(&loaded.model, "PAY-1", "web"), Some(2.0));
    assert_eq!(effort(&loaded.model, "PAY-2", "web"), Some(1.0));
}

const TWO_TEAMS: &str = "[[teams]]\nid = \"web\"\nname = \"Web app\"\ncapacity = 40\n\n[[teams]]\nid = \"platform\"\ncapacity = 30\n";

#[test]
fn a_trackers_estimate_goes_to_the_team_the_row_or_the_scenario_names() {
    let csv = "Issue key,Summary,Original Estimate\nPAY-1,Refunds,144000\n";
    let errors = load(&format!("[backlog]\nfile = \"b.csv\"\n\n{TWO_TEAMS}"), csv).unwrap_err();
    assert!(
        errors[0].contains("1 row has an estimate in `Original Estimate` but no team to give it to: the scenario has 2 teams"),
        "{errors:#?}"
    );
    let loaded = load(
        &format!("[backlog]\nfile = \"b.csv\"\nteam = \"platform\"\n\n{TWO_TEAMS}"),
        csv,
    )
    .unwrap();
    assert_eq!(effort(&loaded.model, "PAY-1", "platform"), Some(1.0));
    let errors = load(
        &format!("[backlog]\nfile = \"b.csv\"\nteam = \"platfrom\"\n\n{TWO_TEAMS}"),
        csv,
    )
    .unwrap_err();
    assert!(
        errors[0].contains("backlog.team: unknown team `platfrom`")
            && errors[0].contains("did you mean `platform`?"),
        "{errors:#?}"
    );
    // A Team column names teams by id or by name, in any case.
    let csv = "ID,Title,Team,Estimate\nENG-1,Signup,web app,4\nENG-2,Tenants,PLATFORM,2\nENG-3,Billing,Payments,1\nENG-4,Audit,Payments,1\n";
    let toml = format!("[backlog]\nfile = \"b.csv\"\npoints_per_person_week = 2\n\n{TWO_TEAMS}");
    let errors = load(&toml, csv).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0]
            .contains("b.csv:4: column `Team`: `Payments` is not a team of the scenario (2 rows)"),
        "{}",
        errors[0]
    );
    let csv = "ID,Title,Team,Estimate\nENG-1,Signup,web app,4\nENG-2,Tenants,PLATFORM,2\n";
    let loaded = load(&toml, csv).unwrap();
    assert_eq!(effort(&loaded.model, "ENG-1", "web"), Some(2.0));
    assert_eq!(effort(&loaded.model, "ENG-2", "platform"), Some(1.0));
}

#[test]
fn an_exports_own_columns_are_noted_once_and_typos_of_ours_still_refused() {
    let csv = "Issue key,Summary,Status,Custom field (Team Health),Outward issue link (Blocks),Σ Time Spent,Rollout notes,Risk owner,web_hgh\nPAY-1,Refunds,To Do,green,,,,,3\n";
    let errors = load(ONE_TEAM, csv).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].contains("unknown column `web_hgh`"),
        "{}",
        errors[0]
    );
    let csv = csv.replace(",web_hgh", "").replace(",3\n", "\n");
    let loaded = load(ONE_TEAM, &csv).unwrap();
    let w = warnings(&loaded);
    // Jira's custom fields, links and sums are skipped quietly; two unknown columns, one note.
    assert!(
        !w.iter()
            .any(|w| w.contains("Custom field") || w.contains("issue link") || w.contains('Σ')),
        "{w:#?}"
    );
    assert!(
        w.iter()
            .any(|w| w
                .contains("2 columns of this export are not read: `Rollout notes`, `Risk owner`")),
        "{w:#?}"
    );
}

#[test]
fn an_unknown_column_is_never_advised_away_when_it_may_hold_the_ids() {
    let csv = "Ticket,Summary,web_likely\nT-1,Refunds,3\n";
    let errors = load(ONE_TEAM, csv).unwrap_err();
    let ticket = errors
        .iter()
        .find(|e| e.contains("unknown column `Ticket`"))
        .unwrap_or_else(|| panic!("{errors:#?}"));
    assert!(
        ticket.contains("if `Ticket` holds each feature's id, name the column `id`"),
        "{ticket}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("the backlog has no `id` column")
                && e.contains("`Issue key`, `ID` and `Feature ID` are read as ids")),
        "{errors:#?}"
    );
}

#[test]
fn requirements_on_done_rows_are_met_and_deals_of_done_work_left_out() {
    let csv = "Issue key,Summary,Status,Original Estimate,requires\nPAY-1,Refunds,Done,144000,\nPAY-2,Partial refunds,To Do,144000,PAY-1\n";
    let toml = format!("{ONE_TEAM}\n[[deals]]\nid = \"old\"\nfeatures = [\"PAY-1\"]\none_off = 1000\n\n[[deals]]\nid = \"new\"\nfeatures = [\"PAY-1\", \"PAY-2\"]\none_off = 2000\n");
    let loaded = load(&toml, csv).unwrap();
    let m = &loaded.model;
    assert_eq!(ids(m), ["PAY-2"]);
    assert_eq!(m.done[0].id, "PAY-1");
    assert!(m.features[0].requires.is_empty());
    assert_eq!(m.deals.len(), 1);
    assert_eq!(m.deals[0].id, "new");
    assert_eq!(m.deals[0].features, [0]);
    assert!(
        warnings(&loaded)
            .iter()
            .any(|w| w
                .contains("deals[old]: every feature of this deal is done before the plan starts")),
        "{:#?}",
        warnings(&loaded)
    );
}

#[test]
fn a_semicolon_file_with_decimal_commas_is_read_in_its_convention() {
    // As a German spreadsheet exports it: `1.500` is 1,500 and `2,5` is 2.5. The first
    // number that tells (`1,5`) comes after the first one that does not (`1.500`).
    let csv = "id;name;value;web_low;web_likely;web_high;confidence\nA-1;Export;1.500;1;2;3;80%\nA-2;Import;2.250,50;1,5;2;3,5;12,5%\n";
    let loaded = load(ONE_TEAM, csv).unwrap();
    let m = &loaded.model;
    let value = |i: usize| m.mean(m.features[i].value_monthly.unwrap());
    assert_eq!(value(0), 1500.0);
    assert_eq!(value(1), 2250.5);
    assert_eq!(effort(m, "A-2", "web"), Some((1.5 + 8.0 + 3.5) / 6.0));
    assert_eq!(m.features[1].framework.confidence, Some(0.125));
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
}

#[test]
fn a_number_that_reads_two_ways_is_refused_until_the_file_says_which() {
    let csv = "id;name;value\nA-1;Export;1.500\nA-2;Import;2000\n";
    let errors = load(ONE_TEAM, csv).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(errors[0].contains("b.csv:2: features[A-1].value (column `value`): `1.500` is 1500 with `.` grouping thousands, or 1.5 with a decimal `.`"), "{}", errors[0]);
    assert!(
        errors[0].contains("[backlog] decimal_mark = \",\""),
        "{}",
        errors[0]
    );
    for (mark, expected) in [(",", 1500.0), (".", 1.5)] {
        let toml = ONE_TEAM.replace(
            "file = \"b.csv\"",
            &format!("file = \"b.csv\"\ndecimal_mark = \"{mark}\""),
        );
        let loaded = load(&toml, csv).unwrap();
        assert_eq!(
            loaded
                .model
                .mean(loaded.model.features[0].value_monthly.unwrap()),
            expected
        );
    }
    // A file that writes decimals both ways settles nothing.
    let csv = "id;name;value;web_likely\nA-1;Export;1.500;2,5\nA-2;Import;2000;1.5\n";
    let errors = load(ONE_TEAM, csv).unwrap_err();
    assert!(
        errors[0]
            .contains("this file writes decimals both ways (`1.5` on line 3, `2,5` on line 2)"),
        "{errors:#?}"
    );
}

#[test]
fn a_comma_separated_file_reads_commas_as_thousands_only() {
    let csv = "id,name,value,web_likely\nA-1,Export,\"6,000\",\"2,5\"\n";
    let errors = load(ONE_TEAM, csv).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(errors[0].contains("`2,5` has a decimal `,`, but this file's decimal mark is `.` (as in every comma-separated file)"), "{}", errors[0]);
    assert!(errors[0].contains("help: write 2.5"), "{}", errors[0]);
    let loaded = load(ONE_TEAM, &csv.replace("\"2,5\"", "2.5")).unwrap();
    let m = &loaded.model;
    assert_eq!(m.mean(m.features[0].value_monthly.unwrap()), 6000.0);
}

#[test]
fn a_share_reads_the_same_in_the_toml_file_and_the_csv() {
    let csv = "id,name,confidence,web_likely\nA-1,Export,90%,1\nA-2,Import,0.9,1\n";
    let toml = format!("{ONE_TEAM}\n[[features]]\nid = \"t1\"\neffort = {{ web = 1 }}\nvalue = 1\nconfidence = \"90%\"\n\n[[features]]\nid = \"t2\"\neffort = {{ web = 1 }}\nvalue = 1\nconfidence = 0.9\n");
    let loaded = load(&toml, csv).unwrap();
    let confidence: Vec<Option<f64>> = loaded
        .model
        .features
        .iter()
        .map(|f| f.framework.confidence)
        .collect();
    assert_eq!(confidence, [Some(0.9); 4]);
    let errors = load(&toml.replace("\"90%\"", "\"90 percent\""), csv).unwrap_err();
    assert!(
        errors[0]
            .contains("features[t1].confidence: `90 percent` is neither a number nor a percentage"),
        "{errors:#?}"
    );
    let errors = load(&toml.replace("\"90%\"", "90"), csv).unwrap_err();
    assert!(
        errors[0].contains("must be between 0 and 1, got 90")
            && errors[0].contains("write a share as a fraction: 0.9 for 90%"),
        "{errors:#?}"
    );
    let errors = load(ONE_TEAM, &csv.replace("90%", "90")).unwrap_err();
    assert!(
        errors[0].contains("must be between 0 and 1, got 90")
            && errors[0].contains("0.9 for 90%, or write 90%"),
        "{errors:#?}"
    );
}

/// The README's tour shows the Jira export exactly as `roadmap validate` prints it.
#[test]
fn the_readme_shows_the_jira_export_as_validate_prints_it() {
    let root = common::cli::root();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let command = "$ roadmap validate tests/fixtures/trackers/jira-plan.toml\n";
    let start = readme.find(command).expect("the tour's Jira step") + command.len();
    let shown = &readme[start..start + readme[start..].find("```").unwrap()];
    let out = roadmap()
        .args(["validate", "tests/fixtures/trackers/jira-plan.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    // On a terminal the warnings (stderr) come first, then the summary.
    let printed = format!(
        "{}{}",
        String::from_utf8(out.stderr).unwrap(),
        String::from_utf8(out.stdout).unwrap()
    );
    assert_eq!(shown, printed);
}
