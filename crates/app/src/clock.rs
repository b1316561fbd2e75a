//! One clock for every use case: the system's, or a fixed instant in tests. «Today» is the
//! calendar day in the organization's time zone (setting `org.time_zone`).

use abonent_storage::{settings, Db};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::AppError;

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

    /// Today in the organization's time zone.
    pub async fn org_today(&self, db: &Db) -> Result<NaiveDate, AppError> {
        Ok(self.today(zone(db).await?))
    }
}

/// The organization's time zone, with the one default of the shipped setting.
pub async fn zone(db: &Db) -> Result<Tz, AppError> {
    Ok(settings::time_zone(db).await?)
}
