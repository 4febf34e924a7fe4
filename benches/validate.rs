//! Validation speed: parse + validate the flagship scenario, the capacity check's Monte
//! Carlo, the largest NRP instance (4,368 features, 617 deals) imported and validated, and
//! `roadmap validate` of a 250,000-row backlog CSV that the bench writes into a temporary
//! folder (set `ROADMAP_BENCH_BACKLOG_DIR` to write it there and keep it, e.g. to time the
//! command itself). Run with `cargo bench --bench validate`.

use criterion::{criterion_group, criterion_main, Criterion};
use roadmap::analysis::capacity;
use roadmap::app::{self, Format, ValidateCommand};
use roadmap::scenario::{self, nrp};
use std::hint::black_box;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn bench(c: &mut Criterion) {
    let flagship = root().join("scenarios/saas-annual-plan.toml");
    let text = std::fs::read_to_string(&flagship).expect("flagship scenario");
    c.bench_function("validate flagship (parse + validate)", |b| {
        b.iter(|| {
            scenario::load_text(&flagship, black_box(text.clone()), &|p| std::fs::read(p)).unwrap()
        })
    });
    let model = scenario::load(&flagship).unwrap().model;
    c.bench_function("capacity check flagship, 10,000 trials", |b| {
        b.iter(|| capacity::check(black_box(&model), 10_000, 42))
    });

    let nrp_dir = std::env::var_os("ROADMAP_NRP_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("benches/data/nrp"));
    let m2 = std::fs::read_to_string(nrp_dir.join("realistic-nrp/nrp-m2.txt"))
        .expect("NRP data in benches/data/nrp");
    c.bench_function("import + validate nrp-m2 (4,368 features)", |b| {
        b.iter(|| {
            let instance = nrp::parse("nrp-m2", black_box(&m2)).unwrap();
            let budget = nrp::Ratio::parse("0.5")
                .unwrap()
                .apply(instance.total_cost(), nrp::Rounding::Floor);
            let toml = nrp::to_scenario("nrp-m2", &instance, "0.5", nrp::Rounding::Floor, budget);
            scenario::load_text(Path::new("nrp-m2.toml"), toml, &|p| std::fs::read(p)).unwrap()
        })
    });
}

/// `roadmap validate` end to end (read, validate, the capacity check; no printing) on a
/// 250,000-row backlog.
fn large_backlog(c: &mut Criterion) {
    let kept = std::env::var_os("ROADMAP_BENCH_BACKLOG_DIR").map(PathBuf::from);
    let temp = tempfile::tempdir().expect("a temporary folder");
    let dir = kept.unwrap_or_else(|| temp.path().to_path_buf());
    std::fs::create_dir_all(&dir).expect("the backlog folder");
    let file = write_large_backlog(&dir, 250_000);
    let options = ValidateCommand {
        file,
        format: Format::Text,
        all_warnings: false,
    };
    let mut group = c.benchmark_group("large backlog");
    group.sample_size(10);
    group.bench_function("validate 250,000 backlog rows (roadmap validate)", |b| {
        b.iter(|| app::validate(black_box(&options)).expect("the backlog validates"))
    });
    group.finish();
}

/// A deterministic stream of pseudo-random numbers (SplitMix64), so that the generated backlog
/// is the same file on every run and every machine.
struct Mix(u64);

impl Mix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

const TEAMS: [&str; 4] = ["web", "mobile", "platform", "data"];

/// Writes a scenario whose `rows` features all come from a backlog CSV shaped like a tracker
/// export (tracker keys as ids, status and assignee columns ignored, a quoted description with
/// commas, efforts as three columns or as `low/likely/high` cells, dependencies on earlier
/// rows, a few exclusions, mandatory rows with deadlines, MoSCoW and percentages), and returns
/// the scenario's path. Capacity is about half the backlog's expected effort.
fn write_large_backlog(dir: &Path, rows: usize) -> PathBuf {
    use std::fmt::Write as _;
    let mut mix = Mix(rows as u64);
    let projects = ["WEB", "APP", "PLAT", "DATA", "GROW"];
    let verbs = [
        "Add", "Rework", "Speed up", "Localise", "Harden", "Automate", "Simplify",
    ];
    let nouns = [
        "checkout",
        "onboarding",
        "search",
        "billing export",
        "audit log",
        "SSO login",
        "push notifications",
        "reporting",
        "admin console",
        "webhooks",
        "data import",
    ];
    let statuses = [
        "To Do",
        "In Progress",
        "Backlog",
        "Selected for Development",
    ];
    let assignees = ["", "Ana Silva", "Wei Chen", "Tom O'Neil", "Priya Nair"];
    let mut csv = String::with_capacity(rows * 220);
    csv.push_str("id,name,Status,Assignee,theme,web_low,web_likely,web_high,effort_mobile,effort_platform,effort_data,value,uplift_smb,cost,vendor_lead_weeks,requires,excludes,mandatory,deadline,deadline_penalty,earliest,moscow,confidence,reach,impact,description\n");
    let id = |r: usize| format!("{}-{}", projects[r % projects.len()], r + 1);
    // Rows in an exclusion pair are never required nor in a deal, so every row stays possible.
    let mut paired = vec![false; rows];
    let mut effort_sum = [0.0f64; 4];
    let mut mandatory_rows = Vec::new();
    for r in 0..rows {
        let mut cells: Vec<String> = Vec::with_capacity(26);
        cells.push(id(r));
        cells.push(format!(
            "{} {} ({})",
            verbs[mix.below(verbs.len())],
            nouns[mix.below(nouns.len())],
            r + 1
        ));
        cells.push(statuses[mix.below(statuses.len())].to_string());
        cells.push(assignees[mix.below(assignees.len())].to_string());
        cells.push(
            match mix.below(10) {
                0 => "reliability",
                1 | 2 => "growth",
                _ => "",
            }
            .to_string(),
        );
        // One or two teams per row; the web team's effort in three columns, the others' in one.
        let first = mix.below(4);
        let second = mix.chance(0.4).then(|| (first + 1 + mix.below(3)) % 4);
        let mut efforts = [String::new(), String::new(), String::new(), String::new()];
        for (t, effort) in efforts.iter_mut().enumerate() {
            if t != first && Some(t) != second {
                continue;
            }
            let likely = (1 + mix.below(12)) as f64;
            let low = (likely * 0.7 * 10.0).round() / 10.0;
            let high = (likely * (1.4 + mix.unit()) * 10.0).round() / 10.0;
            effort_sum[t] += (low + 4.0 * likely + high) / 6.0;
            *effort = format!("{low}/{likely}/{high}");
        }
        let (w, rest) = efforts.split_first().unwrap();
        match w.split('/').collect::<Vec<_>>()[..] {
            [l, m, h] => cells.extend([l, m, h].map(String::from)),
            _ => cells.extend([String::new(), String::new(), String::new()]),
        }
        cells.extend(rest.iter().cloned());
        cells.push(if mix.chance(0.6) {
            let likely = 500 * (1 + mix.below(40));
            format!("{}/{likely}/{}", likely / 2, likely * 2)
        } else {
            String::new()
        });
        cells.push(if mix.chance(0.01) {
            "0.00005/0.0001/0.0002".into()
        } else {
            String::new()
        });
        cells.push(if mix.chance(0.05) {
            "\"10,000/15,000/25,000\"".into()
        } else {
            String::new()
        });
        cells.push(if mix.chance(0.02) {
            "2/4/8".into()
        } else {
            String::new()
        });
        // A fifth of the rows need one or two of the 500 rows before them.
        let mut requires = Vec::new();
        if r > 0 && mix.chance(0.2) {
            for _ in 0..1 + usize::from(mix.chance(0.15)) {
                let back = 1 + mix.below(r.min(500));
                if !paired[r - back] && !requires.contains(&(r - back)) {
                    requires.push(r - back);
                }
            }
        }
        cells.push(
            requires
                .iter()
                .map(|&q| id(q))
                .collect::<Vec<_>>()
                .join(";"),
        );
        let excludes =
            (requires.is_empty() && r > 0 && !paired[r - 1] && mix.chance(0.005)).then(|| {
                paired[r - 1] = true;
                paired[r] = true;
                id(r - 1)
            });
        cells.push(excludes.unwrap_or_default());
        let mandatory = !paired[r] && mix.chance(0.01);
        cells.push(if mandatory { "yes" } else { "" }.into());
        if mandatory {
            mandatory_rows.push(r);
        }
        let deadline = mandatory || mix.chance(0.04);
        cells.push(if deadline {
            ["2027Q3", "2027Q4", "4"][mix.below(3)].into()
        } else {
            String::new()
        });
        cells.push(if deadline && !mandatory && mix.chance(0.4) {
            "\"5,000\"".into()
        } else {
            String::new()
        });
        cells.push(if !deadline && mix.chance(0.03) {
            "2027Q2".into()
        } else {
            String::new()
        });
        cells.push(
            match (mandatory, mix.below(4)) {
                (true, _) => "must",
                (_, 0) => "should",
                (_, 1) => "could",
                (_, 2) => "Won't",
                _ => "",
            }
            .into(),
        );
        cells.push(format!("{}%", 50 + 10 * mix.below(5)));
        cells.push((100 * (1 + mix.below(50))).to_string());
        cells.push(["0.5", "1", "2", "3"][mix.below(4)].into());
        cells.push(format!(
            "\"Asked for by {} customers, see the discovery notes, round {}\"",
            1 + mix.below(40),
            1 + r % 7
        ));
        csv.push_str(&cells.join(","));
        csv.push('\n');
    }
    let mut toml = String::new();
    let _ = writeln!(
        toml,
        "# A {rows}-row backlog exported from a tracker: every feature comes from backlog.csv.\n"
    );
    let _ = writeln!(toml, "[plan]\nname = \"Large backlog ({rows} rows)\"\nperiods = 4\nperiod_weeks = 13\nstart = \"2027Q1\"\nhorizon_months = 36\ndiscount_rate = 0.1\ncurrency = \"USD\"\n");
    let _ = writeln!(toml, "[simulation]\ntrials = 1000\nseed = 1\n");
    let _ = writeln!(
        toml,
        "[backlog]\nfile = \"backlog.csv\"\nignore_columns = [\"Status\", \"Assignee\"]\n"
    );
    for (t, team) in TEAMS.iter().enumerate() {
        // About half of the backlog's expected effort fits.
        let capacity = (effort_sum[t] / 4.0 / 2.0 / 0.9).round();
        let _ = writeln!(toml, "[[teams]]\nid = \"{team}\"\ncapacity = {capacity}\ncapacity_factor = [0.8, 0.9, 1.0]\ncost_per_week = 4000\n");
    }
    let _ = writeln!(toml, "[[segments]]\nid = \"smb\"\ndemand = {{ lognormal = {{ p10 = 20000, p90 = 45000 }} }}\ngrowth = [0, 0.01, 0.02]\nprice = 79\n");
    let _ = writeln!(toml, "[[themes]]\nid = \"reliability\"\nmin_share = 0.05\n\n[[themes]]\nid = \"growth\"\nmax_share = 0.4\n");
    // Deals on pairs of mandatory rows: both are delivered on every plan that holds its commitments.
    for (d, pair) in mandatory_rows.chunks_exact(2).take(50).enumerate() {
        let _ = writeln!(toml, "[[deals]]\nid = \"deal-{}\"\nfeatures = [\"{}\", \"{}\"]\none_off = [20000, 40000, 80000]\nmonthly = [1000, 2000, 4000]\nby = \"2027Q4\"\n", d + 1, id(pair[0]), id(pair[1]));
    }
    std::fs::write(dir.join("backlog.csv"), csv).expect("writing the backlog CSV");
    let path = dir.join(format!("backlog-{rows}.toml"));
    std::fs::write(&path, toml).expect("writing the scenario");
    path
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench, large_backlog
}
criterion_main!(benches);
