//! Appeals (обращения): what an appeal is, what intake must collect, and the workflow every
//! status change must pass. Pure: the caller supplies the role, the dates and the facts.

mod category;
mod classifier;
mod correction;
mod emergency;
mod feedback;
pub mod file;
pub mod forms;
pub mod incident;
mod intake;
mod kind;
pub mod notice;
mod refusal;
mod routing;
mod rule_choice;
pub mod words;
pub mod work;
mod workflow;

pub use category::{group_of, DefaultCategory, DEFAULT_CATEGORIES};
pub use classifier::{
    classify, install, labelled_set, parse_labelled, Labelled, Model, Suggestion, Tuning, LEARNED,
};
pub use correction::{correction, Correction};
pub use emergency::{all_concepts, concepts, explain, Concept};
pub use feedback::{fill, Rating};
pub use intake::{
    check_downgrade, check_intake, intake_priority, phone_of, received_at, Intake, Phone,
};
pub use kind::{AppealKind, Channel, Priority};
pub use refusal::{AppealRefusal, RuleReference};
pub use routing::{check_inn, choose_assignment, AssignmentRule, Target};
pub use rule_choice::{
    choose_rule, default_bindings, RuleBinding, RuleFacts, LOCALISATION_RULE, UTILITY_GROUPS,
};
pub use workflow::{allowed_targets, check_transition, Status, Transition};

#[cfg(test)]
mod tests;
