//! Override paths: `section.id.field[.qualifier]`, each part checked against the scenario
//! with a suggestion for a near miss.

use super::*;

/// A path split into its section, item id and field (with what follows the field).
pub(super) struct Path<'a> {
    pub(super) section: &'a str,
    /// Index of the item in its section (absent for `plan`).
    pub(super) index: usize,
    /// `features[sso]`, or `plan`.
    pub(super) item: String,
    pub(super) field: &'a str,
    pub(super) qualifier: Option<&'a str>,
}

pub(super) fn ids_of<'m>(model: &'m Model, section: &str) -> Vec<&'m str> {
    match section {
        "teams" => model.teams.iter().map(|t| t.id.as_str()).collect(),
        "features" => model.features.iter().map(|f| f.id.as_str()).collect(),
        "segments" => model.segments.iter().map(|s| s.id.as_str()).collect(),
        "deals" => model.deals.iter().map(|d| d.id.as_str()).collect(),
        "risks" => model.common_risks.iter().map(|c| c.id.as_str()).collect(),
        "extra_capacity" => model.extra_capacity.iter().map(|x| x.id.as_str()).collect(),
        "pools" => model.pools.iter().map(|x| x.id.as_str()).collect(),
        _ => Vec::new(),
    }
}

pub(super) fn fields_of(section: &str) -> &'static [&'static str] {
    match section {
        "teams" => &TEAM_FIELDS,
        "features" => &FEATURE_FIELDS,
        "segments" => &SEGMENT_FIELDS,
        "deals" => &DEAL_FIELDS,
        "risks" => &RISK_FIELDS,
        "extra_capacity" => &EXTRA_FIELDS,
        "pools" => &POOL_FIELDS,
        _ => &PLAN_FIELDS,
    }
}

pub(super) fn singular(section: &str) -> &'static str {
    match section {
        "teams" => "team",
        "features" => "feature",
        "segments" => "segment",
        "deals" => "deal",
        "risks" => "risk",
        "extra_capacity" => "extra-capacity option",
        "pools" => "pool",
        _ => "plan",
    }
}

/// "did you mean `x`? " when a candidate is close, then the list of candidates.
pub(super) fn suggest(word: &str, candidates: &[&str], kind: &str) -> String {
    let list = if candidates.len() > 12 {
        format!(
            "{}, ... ({} in all)",
            candidates[..12].join(", "),
            candidates.len()
        )
    } else {
        candidates.join(", ")
    };
    match did_you_mean(word, candidates.iter().copied()) {
        Some(close) => format!("did you mean `{close}`? {kind}: {list}"),
        None => format!("{kind}: {list}"),
    }
}

/// Splits `teams.web.capacity.2027Q3` (or `teams[web].capacity.2027Q3`). Ids may contain dots,
/// so the id is the longest known id the path continues with.
pub(super) fn parse_path<'a>(model: &Model, path: &'a str) -> Result<Path<'a>, Problem> {
    let cut = path.find(['.', '[']).unwrap_or(path.len());
    let section = &path[..cut];
    let rest = &path[cut..];
    if !SECTIONS.contains(&section) {
        return Err(problem(
            section,
            format!("unknown section `{section}`"),
            suggest(section, &SECTIONS, "a path starts with one of"),
        ));
    }
    let fields = fields_of(section);
    let field_help = |what: &str| {
        format!(
            "{what}: {}; to change anything else, edit a copy of the scenario and run roadmap whatif BASE.toml COPY.toml",
            fields.join(", ")
        )
    };
    let (index, item, after) = if section == "plan" {
        (0, "plan".to_string(), rest)
    } else {
        let ids = ids_of(model, section);
        let kind = format!("{}s are", singular(section));
        let (id, after): (&str, &str) = if let Some(inner) = rest.strip_prefix('[') {
            let Some(close) = inner.find(']') else {
                return Err(problem(
                    section,
                    format!("`{path}` has `[` without `]`"),
                    format!("write {section}[<id>].<field> or {section}.<id>.<field>"),
                ));
            };
            (&inner[..close], &inner[close + 1..])
        } else if let Some(inner) = rest.strip_prefix('.') {
            let longest = ids
                .iter()
                .filter(|id| {
                    inner.starts_with(**id)
                        && matches!(inner.as_bytes().get(id.len()), None | Some(b'.'))
                })
                .max_by_key(|id| id.len());
            match longest {
                Some(id) => (&inner[..id.len()], &inner[id.len()..]),
                None => {
                    let word = &inner[..inner.find('.').unwrap_or(inner.len())];
                    (word, &inner[word.len()..])
                }
            }
        } else {
            return Err(problem(
                section,
                format!("`{path}` names no {}", singular(section)),
                format!("write {section}.<id>.<field>; {}", suggest("", &ids, &kind)),
            ));
        };
        let Some(index) = ids.iter().position(|i| *i == id) else {
            if section == "features" && model.done.iter().any(|d| d.id == id) {
                return Err(problem(
                    format!("{section}[{id}]"),
                    format!("`{id}` is done before the plan starts, so no plan holds anything of it to change"),
                    "to plan it again, give it another status in a copy of the scenario and run roadmap whatif BASE.toml COPY.toml",
                ));
            }
            let what = if id.is_empty() {
                format!("no {} id in `{path}`", singular(section))
            } else {
                format!("unknown {} `{id}`", singular(section))
            };
            let help = if ids.is_empty() {
                format!("the scenario has no {section}")
            } else {
                suggest(id, &ids, &kind)
            };
            return Err(problem(format!("{section}[{id}]"), what, help));
        };
        (index, format!("{section}[{id}]"), after)
    };
    let Some(after) = after.strip_prefix('.').filter(|a| !a.is_empty()) else {
        return Err(problem(
            item.clone(),
            format!("`{path}` names no field"),
            field_help(&format!("add one of the fields --set can change on {item}")),
        ));
    };
    let (field, qualifier) = match after.find('.') {
        Some(dot) => (&after[..dot], Some(&after[dot + 1..])),
        None => (after, None),
    };
    let known: Vec<&str> = fields
        .iter()
        .map(|f| f.split('.').next().unwrap_or(f))
        .collect();
    if !known.contains(&field) {
        let close = did_you_mean(field, known.iter().copied());
        let help = match close {
            Some(c) => format!("did you mean `{c}`? {}", field_help("fields")),
            None => field_help("fields --set can change"),
        };
        return Err(problem(
            format!("{item}.{field}"),
            format!("no field `{field}` that --set can change"),
            help,
        ));
    }
    Ok(Path {
        section,
        index,
        item,
        field,
        qualifier,
    })
}
