//! One clock for every use case and every stored instant: the system's, or a fixed instant
//! in tests. A `Db` carries the clock it was given (`Db::with_clock`, set by `App::new`), so
//! what storage writes is stamped by the same clock. «Today» is the calendar day in a time
//! zone; the organization's is `App::today`.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

#[derive(Debug, Clone, Copy, Default)]
pub enum Clock {
    #[default]
    System,
    Fixed(DateTime<Utc>),
}

impl Clock {
    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(t) => *t,
        }
    }

    /// The calendar day now in `tz`.
    pub fn today(&self, tz: Tz) -> NaiveDate {
        self.now().with_timezone(&tz).date_naive()
    }
}
