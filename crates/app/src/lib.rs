//! Use cases of abonent: one public function per thing a person does («load a payment
//! register», «take a cash payment», «run penalties», «issue debt notices»). They take plain
//! inputs and the acting person, decide and orchestrate, call storage, documents and import,
//! and answer plain results or one [`AppError`]. The front ends (web pages, the JSON API,
//! the command line) only translate HTTP or arguments and never call each other.

pub mod absences;
pub mod appeals;
pub mod calendar;
pub mod consultations;
pub mod correspondence;
pub mod debtors;
pub mod documents;
mod error;
pub mod group_commit;
pub mod jobs;
pub mod knowledge;
pub mod ledger;
pub mod notifications;
pub mod outages;
pub mod outbox;
pub mod periodic;
pub mod privacy;
pub mod registry;
pub mod reports;
pub mod settings;
pub mod tariffs;
pub mod uploads;
pub mod users;

use abonent_storage::Db;

pub use abonent_storage::Clock;
pub use error::AppError;
pub use jobs::Jobs;

/// What every use case works with: the database, the clock, this instance's job runner,
/// its appeals machinery and its copy of the settings. Cheap to clone (clones share the
/// runner, the appeals' writer and the copy); several instances may share one PostgreSQL
/// database.
#[derive(Clone)]
pub struct App {
    /// Carries the clock: what storage stamps comes from it too.
    pub db: Db,
    pub jobs: Jobs,
    pub appeals: appeals::Appeals,
    pub settings: settings::Cache,
    /// The writer of the personal-data access log (group commit), started on first use.
    pub access_log: privacy::AccessLog,
}

impl App {
    pub fn new(db: Db, clock: Clock) -> App {
        let db = db.with_clock(clock);
        App {
            jobs: Jobs::new(db.clone(), clock),
            appeals: Default::default(),
            db,
            settings: Default::default(),
            access_log: Default::default(),
        }
    }

    /// The one clock: the system's, or a fixed instant in tests.
    pub fn clock(&self) -> Clock {
        self.db.clock()
    }

    /// Today in the organization's time zone.
    pub async fn today(&self) -> Result<chrono::NaiveDate, AppError> {
        Ok(self.clock().today(self.zone().await?))
    }

    /// The day given, or today when none was (closing on an unnamed date closes today).
    pub async fn day_or_today(
        &self,
        on: Option<chrono::NaiveDate>,
    ) -> Result<chrono::NaiveDate, AppError> {
        match on {
            Some(d) => Ok(d),
            None => self.today().await,
        }
    }

    /// The organization's time zone (setting `org.time_zone`, one default): dates are
    /// computed and instants shown in it.
    pub async fn zone(&self) -> Result<chrono_tz::Tz, AppError> {
        settings::time_zone(self).await
    }
}
