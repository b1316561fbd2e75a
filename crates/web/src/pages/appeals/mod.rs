//! The appeals register in the browser: the journal and the card (`card`), the intake
//! screen's lookups (`intake`), bulk actions (`bulk`), building-wide incidents and the
//! contractor's orders (`incidents`), routing and feedback (`routing`), and the reference
//! data of appeals (`reference`).

pub mod bulk;
pub mod card;
pub mod incidents;
pub mod intake;
pub mod reference;
pub mod routing;
