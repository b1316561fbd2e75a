//! Instants are stored in UTC as RFC 3339 text with microseconds, so that text order is
//! time order on both backends; dates as `YYYY-MM-DD`. "Now" comes from the clock a `Db`
//! carries (`Db::now`), never from here.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};

pub fn fmt(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

pub fn parse(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

pub fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

pub fn opt_date(s: Option<String>) -> Option<NaiveDate> {
    s.as_deref().and_then(parse_date)
}
