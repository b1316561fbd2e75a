//! The quality recalculation of an outage (issue 19 §6; ПП 354, приложение № 1): for each
//! building of the outage and a billing month, the outages of that service there (their
//! actual times, each entrance by the outages that reach it) give the time beyond the
//! allowance and the temperature deviation; each affected account's fee for the service
//! that month comes down by that share, less what other outages' recalculations already
//! took off. A specialist reviews the proposal and posts it; a posting can be reversed.

use std::collections::HashMap;

use abonent_domain::ledger::Period;
use abonent_domain::money::format_rub;
use abonent_domain::outage::{month_reduction, words, Effect, MonthFigures};
use abonent_domain::quality::{reduce, Interruption, Month, Service, TemperatureSpell};
use abonent_storage::ledger;
use abonent_storage::outages::postings::{self, PostLine};
use abonent_storage::outages::{self, OutageRecord};
use abonent_storage::registry::building;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{get, local, norms, shown, Reporter};
use crate::{App, AppError};

/// One affected account's line of the proposal.
#[derive(Debug, Clone, Serialize)]
pub struct Line {
    pub account_id: i64,
    pub account_number: String,
    pub address: String,
    pub premises: String,
    /// The month's charge for the service.
    pub charge_kopecks: i64,
    /// The share off the fee, basis points.
    pub reduction_bp: u32,
    /// What the share makes of the charge.
    pub reduction_kopecks: i64,
    /// Already taken off by other outages' recalculations of this month.
    pub by_others_kopecks: i64,
    /// Posted by this outage (net of reversals).
    pub posted_kopecks: i64,
    /// What posting would write now.
    pub to_post_kopecks: i64,
    /// Why this account is not recalculated.
    pub refused: Option<String>,
}

/// A building's figures for the month, per entrance group.
#[derive(Debug, Clone, Serialize)]
pub struct Figures {
    pub address: String,
    pub entrance: Option<i64>,
    pub figures: MonthFigures,
}

/// The proposal of an outage for a month.
#[derive(Debug, Clone, Serialize)]
pub struct Proposal {
    pub outage_id: i64,
    pub period: Period,
    pub service: String,
    pub service_title: String,
    pub figures: Vec<Figures>,
    pub lines: Vec<Line>,
    pub to_post_kopecks: i64,
    pub posted_kopecks: i64,
    /// Posting would be refused for this reason (the whole month).
    pub refused: Option<String>,
    /// Months a posting of this outage was reversed in: not posted again.
    pub reversed: bool,
}

fn period_title(p: Period) -> String {
    format!("{:02}.{}", p.month, p.year)
}

/// The months the outage's actual time touches (the first when it has not started).
pub async fn months(app: &App, o: &OutageRecord) -> Result<Vec<Period>, AppError> {
    let zone = app.zone().await?;
    let Some(from) = o.data.actual_from else {
        return Ok(Vec::new());
    };
    let to = o.data.actual_to.unwrap_or_else(|| app.db.now());
    let (mut p, last) = (
        Period::of(local(&zone, from).date()),
        Period::of(local(&zone, to).date()),
    );
    let mut out = vec![p];
    while p < last && out.len() < 24 {
        p = p.next();
        out.push(p);
    }
    Ok(out)
}

/// The closed months' last, from the settings as stored now (not the few seconds' copy:
/// a month closed a moment ago is closed for posting).
async fn closed_through(app: &App) -> Result<Option<Period>, AppError> {
    let v = abonent_storage::settings::get(&app.db, norms::CLOSED_THROUGH).await?;
    Ok(Period::parse(&v))
}

/// Whether `o` reaches an entrance of its building `b` (no entrances named: all of them).
fn reaches(o: &OutageRecord, b: i64, entrance: Option<i64>) -> bool {
    o.data.places.iter().any(|p| {
        p.building_id == b
            && (p.entrances.is_empty() || entrance.is_some_and(|e| p.entrances.contains(&e)))
    })
}

/// The recalculation the rules give for outage `id` in `period` (default: the month its
/// actual start is in).
pub async fn proposal(
    app: &App,
    id: i64,
    period: Option<Period>,
    who: &Reporter,
) -> Result<Proposal, AppError> {
    let o = get(app, id, who).await?;
    let zone = app.zone().await?;
    let services = ledger::services(&app.db).await?;
    let service_title = ledger::service_title(&services, Some(&o.data.service));
    let Some(actual_from) = o.data.actual_from else {
        return Err(AppError::field(
            "actual_from",
            "Перерасчёт считается по фактическому времени: укажите фактическое начало отключения",
        ));
    };
    let period = period.unwrap_or_else(|| Period::of(local(&zone, actual_from).date()));
    let Some(service) = Service::parse(&o.data.service) else {
        return Err(AppError::field(
            "service",
            format!("Для услуги «{service_title}» правил снижения платы (ПП 354, прил. 1) нет"),
        ));
    };
    let table = norms::current(app).await?;
    let month = Month::of(period.first_day());
    let utc = |t| abonent_domain::outage::to_utc(&zone, t);
    let (month_from, month_to): (DateTime<Utc>, DateTime<Utc>) = (utc(month.start), utc(month.end));
    let now = app.db.now();
    let code = period.to_string();
    let mut refused = None;
    if o.data.actual_to.is_none() {
        refused = Some(
            "Отключение ещё не закончилось: укажите фактическое окончание, затем проводите перерасчёт"
                .to_string(),
        );
    }
    if closed_through(app).await?.is_some_and(|c| period <= c) {
        refused = Some(format!(
            "Месяц {} закрыт: перерасчёт в закрытом месяце не проводится",
            period_title(period)
        ));
    }
    let posted = postings::posted(&app.db, id).await?;
    let reversed = posted
        .iter()
        .any(|p| p.period == code && p.reverses.is_some());
    let mut this: HashMap<i64, i64> = HashMap::new();
    for p in posted.iter().filter(|p| p.period == code) {
        *this.entry(p.account_id).or_default() -= p.amount;
    }
    let mut figures = Vec::new();
    let mut lines = Vec::new();
    for place in &o.data.places {
        let b = building::get(&app.db, place.building_id).await?;
        let others =
            outages::actual_in(&app.db, &o.data.service, b.id, month_from, month_to).await?;
        let accounts = postings::accounts_of(&app.db, b.id, &place.entrances).await?;
        let charges = postings::charges(&app.db, b.id, &code, &o.data.service).await?;
        let by_others =
            postings::posted_by_others(&app.db, b.id, &code, &o.data.service, id).await?;
        let mut by_entrance: HashMap<Option<i64>, MonthFigures> = HashMap::new();
        for a in &accounts {
            let f = match by_entrance.get(&a.entrance) {
                Some(f) => *f,
                None => {
                    let (mut stops, mut spells) = (Vec::new(), Vec::new());
                    for x in others.iter().filter(|x| reaches(x, b.id, a.entrance)) {
                        let (Some(from), to) =
                            (x.data.actual_from, x.data.actual_to.unwrap_or(now))
                        else {
                            continue;
                        };
                        let (from, to) = (local(&zone, from), local(&zone, to));
                        match x.data.effect {
                            Effect::Interruption => stops.push(Interruption {
                                from,
                                to,
                                circumstances: abonent_domain::outage::OutageData::circumstances_of(
                                    x.data.cause,
                                    &x.data.parameters,
                                ),
                            }),
                            Effect::Quality => {
                                if let Some(m) = x.data.parameters.measured_dc {
                                    spells.push(TemperatureSpell {
                                        from,
                                        to,
                                        measured_dc: m,
                                        corner: false,
                                    })
                                }
                            }
                        }
                    }
                    let f = month_reduction(&table, service, month, stops, spells)?.ok_or_else(
                        || {
                            AppError::field(
                                "service",
                                format!("В таблице качества нет правил для «{service_title}»"),
                            )
                        },
                    )?;
                    figures.push(Figures {
                        address: b.address.clone(),
                        entrance: a.entrance,
                        figures: f,
                    });
                    by_entrance.insert(a.entrance, f);
                    f
                }
            };
            let charge = charges.get(&a.account_id).copied().unwrap_or(0);
            let r = reduce(charge, &f.parts());
            let others_off = -by_others.get(&a.account_id).copied().unwrap_or(0);
            let posted_here = this.get(&a.account_id).copied().unwrap_or(0);
            let already = posted
                .iter()
                .any(|p| p.period == code && p.account_id == a.account_id && p.reverses.is_none());
            let refused_line = a
                .closed_on
                .map(|d| format!("Лицевой счёт закрыт {}", d.format("%d.%m.%Y")));
            let to_post = if already || refused_line.is_some() || reversed {
                0
            } else {
                (r.kopecks - others_off).max(0)
            };
            lines.push(Line {
                account_id: a.account_id,
                account_number: a.number.clone(),
                address: b.address.clone(),
                premises: a.premises.clone(),
                charge_kopecks: charge,
                reduction_bp: r.bp,
                reduction_kopecks: r.kopecks,
                by_others_kopecks: others_off,
                posted_kopecks: posted_here,
                to_post_kopecks: to_post,
                refused: refused_line,
            });
        }
    }
    Ok(Proposal {
        outage_id: id,
        period,
        service: o.data.service.clone(),
        service_title,
        to_post_kopecks: lines.iter().map(|l| l.to_post_kopecks).sum(),
        posted_kopecks: lines.iter().map(|l| l.posted_kopecks).sum(),
        figures,
        lines,
        refused,
        reversed,
    })
}

fn note(o: &OutageRecord, title: &str, zone: &chrono_tz::Tz) -> String {
    let t = |v: Option<DateTime<Utc>>| v.map(|v| shown(zone, v)).unwrap_or_default();
    format!(
        "Снижение платы за «{title}» (ПП 354, прил. 1): отключение № {} с {} по {}, {}",
        o.id,
        t(o.data.actual_from),
        t(o.data.actual_to),
        o.data.reason
    )
}

/// What posting or reversing did.
#[derive(Debug, Clone, Serialize)]
pub struct Posting {
    pub entries: usize,
    pub proposal: Proposal,
}

/// Posts the proposal of `period` into the ledger in one transaction; what was posted
/// before is not posted again. A closed month or an outage not ended is refused.
pub async fn post(
    app: &App,
    id: i64,
    period: Option<Period>,
    who: &Reporter,
) -> Result<Posting, AppError> {
    let p = proposal(app, id, period, who).await?;
    if let Some(r) = &p.refused {
        return Err(AppError::field("period", r.clone()));
    }
    if p.reversed {
        return Err(AppError::field("period", words::reversed_before()));
    }
    let o = outages::get(&app.db, id).await?;
    let zone = app.zone().await?;
    let code = p.period.to_string();
    let lines: Vec<PostLine> = p
        .lines
        .iter()
        .filter(|l| l.to_post_kopecks > 0)
        .map(|l| PostLine {
            account_id: l.account_id,
            period: code.clone(),
            service: p.service.clone(),
            kopecks: l.to_post_kopecks,
        })
        .collect();
    let today = app.today().await?;
    let n = postings::post(
        &app.db,
        id,
        &lines,
        &note(&o, &p.service_title, &zone),
        today,
        &who.actor,
    )
    .await?;
    Ok(Posting {
        entries: n,
        proposal: proposal(app, id, Some(p.period), who).await?,
    })
}

/// Reverses the posted recalculation of `period` by opposite entries (never deleted).
pub async fn reverse(
    app: &App,
    id: i64,
    period: Period,
    reason: &str,
    who: &Reporter,
) -> Result<Posting, AppError> {
    let o = get(app, id, who).await?;
    if reason.trim().is_empty() {
        return Err(AppError::field("reason", "Укажите причину сторнирования"));
    }
    if closed_through(app).await?.is_some_and(|c| period <= c) {
        return Err(AppError::field(
            "period",
            format!(
                "Месяц {} закрыт: сторнировать перерасчёт в закрытом месяце нельзя",
                period_title(period)
            ),
        ));
    }
    let total: i64 = postings::posted(&app.db, id)
        .await?
        .iter()
        .filter(|p| p.period == period.to_string())
        .map(|p| p.amount)
        .sum();
    let text = format!(
        "Сторно перерасчёта за отключение № {} за {} ({}): {}",
        o.id,
        period_title(period),
        format_rub(-total),
        reason.trim()
    );
    let today = app.today().await?;
    let n = postings::reverse(&app.db, id, &period.to_string(), &text, today, &who.actor).await?;
    Ok(Posting {
        entries: n,
        proposal: proposal(app, id, Some(period), who).await?,
    })
}
