//! Reports of a run: [`text`] (a progress line per check while running, then a summary),
//! [`json`] and [`junit`] (one test case per check, for CI).

pub mod json;
pub mod junit;
pub mod text;
