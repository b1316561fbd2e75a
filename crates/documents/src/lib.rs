//! The document engine of abonent: typst templates shipped as files, fonts shipped in the
//! crate, organization requisites and data in, PDF bytes out. No I/O and nothing is
//! downloaded: the typst world is closed (see `world.rs`).
//!
//! ```no_run
//! use abonent_documents::{samples, DocKind, Engine, RenderRequest};
//! let engine = Engine::new();
//! let org = samples::organization();
//! let pdf = engine.render(&RenderRequest {
//!     kind: DocKind::RegistrationCertificate,
//!     template_override: None,
//!     org: &org,
//!     data: samples::data(DocKind::RegistrationCertificate),
//!     reg_number: "СР-2026-000001".into(),
//!     issued_on: samples::date(),
//! })?;
//! # Ok::<(), abonent_documents::RenderError>(())
//! ```

pub mod chart;
pub mod data;
mod engine;
mod error;
mod join;
mod kind;
mod ledger_view;
mod org;
mod payment;
pub mod samples;
mod tables;
mod view;
mod world;

pub use engine::{Batch, Engine, RenderRequest};
pub use error::RenderError;
pub use join::PdfJoiner;
pub use kind::{shipped_templates, DocKind, TemplateInfo, COMMON_FILE};
pub use org::Organization;
pub use payment::{payment_qr, QR_PATH};
pub use tables::{TableSection, TablesDoc};

/// The shared template every document imports (letterhead, signature block, page footer).
pub fn common_template() -> &'static str {
    kind::COMMON_SOURCE
}
