//! The commented starter scenario that `roadmap init` writes.

pub const STARTER: &str = r#"# A roadmap scenario. Every field is described in scenarios/README.md.
# Check it with `roadmap validate FILE`, then `roadmap capacity FILE`.
#
# Uncertain numbers can be written as:
#   5                                   a constant
#   [3, 5, 9]                           low, likely, high (PERT)
#   { triangular = [3, 5, 9] }          triangular
#   { uniform = [3, 9] }                uniform
#   { normal = { mean = 5, sd = 1 } }   normal
#   { lognormal = { p10 = 300, p90 = 700 } }   lognormal (or { mean = ..., sd = ... })
#   { discrete = { values = [0, 10], probabilities = [0.7, 0.3] } }

[plan]
name = "My product, next four quarters"
periods = 4                 # planning periods
period_weeks = 13           # 13 = quarters, 2 = sprints
start = "2027Q1"            # label of the first period; quarters count on by themselves
horizon_months = 36         # value is counted until this month
discount_rate = 0.10        # annual, for NPV
currency = "USD"
budget = 1_500_000          # team weeks at their cost + fixed and vendor costs (optional)

[simulation]
trials = 10000
seed = 42

[[teams]]
id = "web"
name = "Web"
capacity = 50               # person-weeks per period, or one number per period: [50, 45, 50, 55]
capacity_factor = [0.8, 0.9, 1.0]   # share of capacity left after support load and attrition
cost_per_week = 3000
# cost_kind = "fixed"       # salaried: every week is paid whatever the plan holds (default
                            # "variable": only the weeks worked on features, as contractors bill)

[[teams]]
id = "platform"
name = "Platform"
capacity = 30
cost_per_week = 3500

[[segments]]
id = "smb"
name = "Small businesses"
demand = { lognormal = { p10 = 800, p90 = 2000 } }   # accounts per month
growth = 0.01               # demand growth per month
price = 49                  # revenue per account per month

[[themes]]
id = "reliability"
min_share = 0.05            # at least 5% of the planned work (person-weeks) goes to reliability

[[features]]
id = "sso"
name = "Single sign-on"
effort = { web = [4, 6, 10], platform = [2, 3, 6] }   # person-weeks per team
uplift = { smb = [0.01, 0.02, 0.04] }                 # share of the segment's demand won
ramp_months = 3
moscow = "should"
reach = 1200
impact = 2
confidence = 0.7

[[features]]
id = "audit-log"
name = "Audit log"
effort = { platform = [3, 4, 8] }
value = [2000, 4000, 8000]  # direct value per month
theme = "reliability"
mandatory = true
deadline = "2027Q2"         # hard: not after 2027Q2
# status = "in-progress"                 # once work has started: only what is left is planned
# remaining = { platform = [1, 2, 4] }   # (status = "done": shipped, so in no plan)

[[features]]
id = "slo-alerting"
name = "SLO alerting"
effort = { platform = [8, 10, 16], web = [2, 3, 5] }
value = [1000, 2000, 4000]  # fewer incidents, less support load
theme = "reliability"

[[features]]
id = "admin-console"
name = "Admin console"
effort = { web = [6, 8, 14] }
requires = ["sso"]
value = [3000, 5000, 9000]
deadline = { period = "2027Q4", kind = "soft", penalty = 10000 }   # per period late
risks = [{ name = "Design rework", probability = 0.3, effort = { web = 4 } }]

[[deals]]
id = "globex"
customer = "Globex"
features = ["sso", "audit-log"]
one_off = 60000
monthly = 2500
by = "2027Q3"

[[correlations]]
inputs = ["features[*].effort.web"]   # web estimates tend to be wrong together
rho = 0.3
"#;
