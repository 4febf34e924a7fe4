//! A feature's status as files write it: the scenario's own values (`not-started`,
//! `in-progress`, `done`) and the words trackers export (Jira's To Do / In Progress / Done and
//! its workflow statuses, Linear's Backlog and Todo, Productboard's Planned and Released).

use crate::model::Status;

/// What a status cell or value says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusWord {
    Status(Status),
    /// Work given up (canceled, a duplicate, won't do): not part of any plan.
    Dropped,
    Unknown,
}

/// Statuses of work given up rather than finished, as trackers name them.
const DROPPED: [&str; 9] = [
    "canceled",
    "cancelled",
    "duplicate",
    "won't do",
    "wont do",
    "won't fix",
    "rejected",
    "archived",
    "obsolete",
];

/// Reads a status in any case, with `-`, `_` or spaces between its words.
pub fn read_status(text: &str) -> StatusWord {
    let lower = text.trim().to_ascii_lowercase().replace(['-', '_'], " ");
    let words = lower.split_whitespace().collect::<Vec<_>>().join(" ");
    let status = match words.as_str() {
        "not started"
        | "to do"
        | "todo"
        | "backlog"
        | "open"
        | "new"
        | "new idea"
        | "planned"
        | "candidate"
        | "selected for development"
        | "ready"
        | "triage"
        | "unstarted"
        | "reopened"
        | "icebox" => Status::NotStarted,
        "in progress" | "started" | "in review" | "in development" | "doing" | "active"
        | "in qa" | "in testing" => Status::InProgress,
        "done" | "closed" | "resolved" | "released" | "shipped" | "complete" | "completed"
        | "delivered" => Status::Done,
        w if DROPPED.contains(&w) => return StatusWord::Dropped,
        _ => return StatusWord::Unknown,
    };
    StatusWord::Status(status)
}

/// The help for a status nobody knows: the closest of the scenario's own values, if any.
pub fn status_help(text: &str) -> String {
    let names = Status::NAMES.map(|n| format!("\"{n}\"")).join(", ");
    match super::finding::did_you_mean(&text.to_ascii_lowercase(), Status::NAMES.iter().copied()) {
        Some(close) => format!("did you mean \"{close}\"? a status is one of {names}"),
        None => {
            format!("a status is one of {names} (trackers' To Do, In Progress and Done also read)")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracker_words_read_as_statuses() {
        let status = |t| match read_status(t) {
            StatusWord::Status(s) => Some(s),
            _ => None,
        };
        assert_eq!(status("Done"), Some(Status::Done));
        assert_eq!(status("In Progress"), Some(Status::InProgress));
        assert_eq!(status("in-progress"), Some(Status::InProgress));
        assert_eq!(status("To Do"), Some(Status::NotStarted));
        assert_eq!(status("not_started"), Some(Status::NotStarted));
        assert_eq!(read_status("Won't Do"), StatusWord::Dropped);
        assert_eq!(read_status("Ready for QA"), StatusWord::Unknown);
        assert!(status_help("don").contains("did you mean \"done\""));
    }
}
