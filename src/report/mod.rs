//! Presentation: terminal text, JSON and CSV from plain result structs, and the one
//! place that writes files (atomically).

pub mod bought;
pub mod calibrate;
pub mod capacity;
pub mod charts;
pub mod diagnosis;
pub mod figures;
pub mod findings;
pub mod format;
pub mod frontier;
pub mod handoffs;
pub mod html;
pub mod optimize;
pub mod progress;
pub mod raw;
pub mod recommend;
pub mod sensitivity;
pub mod simulate;
pub mod strategies;
pub mod summary;
pub mod table;
pub mod violation;
pub mod whatif;
pub mod work_status;
pub mod write;
