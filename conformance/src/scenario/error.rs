//! [`ScenarioError`]: why a scenario could not be read or did not pass, pointing at the file
//! and the step — `scenarios/erasure_blocked.yaml: step 3 "delete the user": expected status
//! 422, got 200`, then the request and the answer's body.

use std::fmt;

/// Where in a scenario something went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum At {
    /// Reading the file (the message carries the line and column when YAML knows them).
    File,
    /// Creating the fresh account or seeding the world.
    World,
    /// Step `number` (1-based), named `name`.
    Step { number: usize, name: String },
    /// The residue expectation after the last step.
    Residue,
}

impl fmt::Display for At {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::File => Ok(()),
            Self::World => f.write_str("world"),
            Self::Step { number, name } => write!(f, "step {number} {name:?}"),
            Self::Residue => f.write_str("residue"),
        }
    }
}

/// A scenario that could not be read or did not pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError {
    /// The file, as given.
    pub file: String,
    pub at: At,
    /// What went wrong; several lines when several expectations failed.
    pub message: String,
    /// The exchange it went wrong in: the request, the status and the body.
    pub detail: Option<String>,
}

impl ScenarioError {
    /// An error at `at` in `file`.
    pub fn new(file: &str, at: At, message: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            at,
            message: message.into(),
            detail: None,
        }
    }

    /// The same error, with the exchange it happened in.
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.at {
            At::File => write!(f, "{}: ", self.file)?,
            at => write!(f, "{}: {at}: ", self.file)?,
        }
        let mut lines = self.message.lines();
        f.write_str(lines.next().unwrap_or(""))?;
        for line in lines {
            write!(f, "\n  {line}")?;
        }
        if let Some(detail) = &self.detail {
            for line in detail.lines() {
                write!(f, "\n    {line}")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_file_and_the_step_then_the_exchange() {
        let error = ScenarioError::new(
            "scenarios/erasure_blocked.yaml",
            At::Step {
                number: 3,
                name: "delete the user".to_owned(),
            },
            "expected status 422, got 200",
        )
        .with_detail("DELETE http://x/api/v2/users/5 → 200\n{\"user\":{}}");
        assert_eq!(
            error.to_string(),
            "scenarios/erasure_blocked.yaml: step 3 \"delete the user\": expected status 422, \
             got 200\n    DELETE http://x/api/v2/users/5 → 200\n    {\"user\":{}}"
        );
        let read = ScenarioError::new("a.yaml", At::File, "steps: invalid type at line 2 column 1");
        assert_eq!(
            read.to_string(),
            "a.yaml: steps: invalid type at line 2 column 1"
        );
        let residue = ScenarioError::new("a.yaml", At::Residue, "needle x\nfound 2");
        assert_eq!(residue.to_string(), "a.yaml: residue: needle x\n  found 2");
    }
}
