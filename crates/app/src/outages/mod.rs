//! Outages (issue 19 §5): registering and updating planned and emergency interruptions of a
//! service, checked field by field (an end before the start, an overlap with another outage
//! of the same service at a building unless confirmed); a contractor's login registers and
//! changes only its own. The quality recalculation they cause is in [`recalc`]; the table of
//! allowances an administrator may replace is in [`norms`].

pub mod norms;
pub mod recalc;

use abonent_domain::outage::{to_utc, words, OutageData, OutageForm};
use abonent_domain::ValidationErrors;
use abonent_storage::appeals::orders::contractor_of;
use abonent_storage::outages::{self, NewOutage, OutageFilter, OutageRecord};
use abonent_storage::registry::building;
use abonent_storage::{ledger, Actor, StoreError};
use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use crate::{App, AppError};

/// Who acts: staff, or a contractor's login limited to its own outages.
#[derive(Debug, Clone)]
pub struct Reporter {
    pub actor: Actor,
    pub contractor: bool,
}

impl Reporter {
    /// The contractor whose login this is; `None` for staff. A contractor login without an
    /// active contractor record may do nothing.
    async fn scope(&self, app: &App) -> Result<Option<i64>, AppError> {
        if !self.contractor {
            return Ok(None);
        }
        match contractor_of(&app.db, self.actor.user_id).await? {
            Some(c) => Ok(Some(c)),
            None => Err(AppError::NotFound(words::NOUN.into())),
        }
    }
}

/// Local time of the organization shown as `dd.mm.yyyy hh:mm`.
pub fn shown(zone: &Tz, t: DateTime<Utc>) -> String {
    t.with_timezone(zone).format("%d.%m.%Y %H:%M").to_string()
}

pub(crate) fn local(zone: &Tz, t: DateTime<Utc>) -> NaiveDateTime {
    t.with_timezone(zone).naive_local()
}

async fn checked(app: &App, f: &OutageForm) -> Result<(OutageData, NewOutage), AppError> {
    let mut errors = match f.check() {
        Ok(_) => ValidationErrors::new(),
        Err(e) => e,
    };
    if !f.service.trim().is_empty()
        && !ledger::services(&app.db)
            .await?
            .iter()
            .any(|s| s.code == f.service.trim())
    {
        errors.add(
            "service",
            format!("Нет такой услуги: «{}»", f.service.trim()),
        );
    }
    for p in &f.places {
        match building::get(&app.db, p.building_id).await {
            Ok(b) if b.closed_at.is_some() => {
                errors.add("places", format!("Дом {} закрыт в реестре", b.address))
            }
            Ok(_) => {}
            Err(StoreError::NotFound(_)) => {
                errors.add("places", format!("Дом с кодом {} не найден", p.building_id))
            }
            Err(e) => return Err(e.into()),
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let d = f.check()?;
    let zone = app.zone().await?;
    let utc = |t: Option<NaiveDateTime>| t.map(|t| to_utc(&zone, t));
    let new = NewOutage {
        service: d.service.clone(),
        kind: d.kind,
        effect: d.effect,
        cause: d.cause,
        reason: d.reason.clone(),
        places: d.places.clone(),
        planned_from: utc(d.planned_from),
        planned_to: utc(d.planned_to),
        actual_from: utc(d.actual_from),
        actual_to: utc(d.actual_to),
        parameters: d.parameters,
    };
    Ok((d, new))
}

/// Refuses `new` when another outage of its service at one of its buildings overlaps it in
/// time, unless the user confirmed the overlap.
async fn overlaps(
    app: &App,
    new: &NewOutage,
    confirmed: bool,
    except: Option<i64>,
) -> Result<(), AppError> {
    let from = new.actual_from.or(new.planned_from);
    let to = if new.actual_from.is_some() {
        new.actual_to
    } else {
        new.planned_to
    };
    let (Some(from), false) = (from, confirmed) else {
        return Ok(());
    };
    let buildings: Vec<i64> = new.places.iter().map(|p| p.building_id).collect();
    let found = outages::overlapping(&app.db, &new.service, &buildings, from, to, except).await?;
    if let Some(o) = found.first() {
        let zone = app.zone().await?;
        let start = o
            .data
            .actual_from
            .or(o.data.planned_from)
            .map(|t| shown(&zone, t));
        return Err(AppError::field(
            "confirm_overlap",
            format!(
                "Пересекается с отключением № {} той же услуги в том же доме (с {}): объедините их или подтвердите, что это отдельное отключение",
                o.id,
                start.unwrap_or_default()
            ),
        ));
    }
    Ok(())
}

/// Registers an outage; a contractor's login registers it as its own. The residents of the
/// affected buildings are told through the outbox, by the channels they agreed to. Returns
/// its id.
pub async fn register(app: &App, f: &OutageForm, who: &Reporter) -> Result<i64, AppError> {
    let contractor = who.scope(app).await?;
    let (_, new) = checked(app, f).await?;
    overlaps(app, &new, f.confirm_overlap, None).await?;
    let id = outages::create(&app.db, &new, contractor, &who.actor).await?;
    notify(app, id).await?;
    Ok(id)
}

/// Queues the residents' notice of outage `id` (each person and channel once).
pub async fn notify(app: &App, id: i64) -> Result<usize, AppError> {
    let o = outages::get(&app.db, id).await?;
    let zone = app.zone().await?;
    let service = ledger::service_title(&ledger::services(&app.db).await?, Some(&o.data.service));
    let from = o
        .data
        .actual_from
        .or(o.data.planned_from)
        .map(|t| shown(&zone, t));
    let to = if o.data.actual_from.is_some() {
        o.data.actual_to
    } else {
        o.data.planned_to
    }
    .map(|t| shown(&zone, t));
    let when = match (from, to) {
        (Some(a), Some(b)) => format!("с {a} до {b}"),
        (Some(a), None) => format!("с {a} до устранения"),
        _ => String::new(),
    };
    let kind = match o.data.kind {
        abonent_domain::outage::OutageKind::Planned => "Плановое",
        abonent_domain::outage::OutageKind::Emergency => "Аварийное",
    };
    let subject = format!("{kind} отключение: {service}");
    let mut n = 0;
    for p in &o.data.places {
        let b = building::get(&app.db, p.building_id).await?;
        let entrances = if p.entrances.is_empty() {
            String::new()
        } else {
            let e: Vec<String> = p.entrances.iter().map(i64::to_string).collect();
            format!(", подъезд {}", e.join(", "))
        };
        let body = format!(
            "{kind} отключение: {service}, {}{entrances}, {when}. Причина: {}.",
            b.address, o.data.reason
        );
        n += outages::notices::notify(&app.db, id, b.id, &p.entrances, &subject, &body).await?;
    }
    Ok(n)
}

/// The outage `id` as `who` may see it: a contractor only its own.
pub async fn get(app: &App, id: i64, who: &Reporter) -> Result<OutageRecord, AppError> {
    let o = outages::get(&app.db, id).await?;
    match who.scope(app).await? {
        Some(c) if o.contractor_id != Some(c) => Err(AppError::NotFound(words::NOUN.into())),
        _ => Ok(o),
    }
}

/// Replaces the outage's data with the form (a contractor only its own).
pub async fn update(
    app: &App,
    id: i64,
    f: &OutageForm,
    who: &Reporter,
) -> Result<OutageRecord, AppError> {
    get(app, id, who).await?;
    let (_, new) = checked(app, f).await?;
    overlaps(app, &new, f.confirm_overlap, Some(id)).await?;
    outages::update(&app.db, id, &new, &who.actor).await?;
    Ok(outages::get(&app.db, id).await?)
}

/// The form that reproduces a stored outage, in the organization's local time.
pub async fn form_of(app: &App, o: &OutageRecord) -> Result<OutageForm, AppError> {
    let zone = app.zone().await?;
    let t =
        |v: Option<DateTime<Utc>>| v.map(|v| local(&zone, v).format("%Y-%m-%dT%H:%M").to_string());
    Ok(OutageForm {
        service: o.data.service.clone(),
        kind: o.data.kind,
        effect: o.data.effect,
        cause: o.data.cause,
        reason: o.data.reason.clone(),
        places: o.data.places.clone(),
        planned_from: t(o.data.planned_from),
        planned_to: t(o.data.planned_to),
        actual_from: t(o.data.actual_from),
        actual_to: t(o.data.actual_to),
        parameters: o.data.parameters,
        confirm_overlap: false,
    })
}

/// Records the actual start and end (local `YYYY-MM-DDTHH:MM`; an empty end: still going).
pub async fn set_actual(
    app: &App,
    id: i64,
    from: Option<String>,
    to: Option<String>,
    confirm_overlap: bool,
    who: &Reporter,
) -> Result<OutageRecord, AppError> {
    let o = get(app, id, who).await?;
    let mut f = form_of(app, &o).await?;
    f.actual_from = from;
    f.actual_to = to;
    f.confirm_overlap = confirm_overlap;
    update(app, id, &f, who).await
}

/// Outages by the filter, newest first (a contractor only its own).
pub async fn list(
    app: &App,
    mut filter: OutageFilter,
    who: &Reporter,
) -> Result<Vec<OutageRecord>, AppError> {
    if let Some(c) = who.scope(app).await? {
        filter.contractor_id = Some(c);
    }
    Ok(outages::list(&app.db, &filter, 500).await?)
}

/// An outage for a list or a card: its words and times ready to show.
#[derive(Debug, Clone, Serialize)]
pub struct OutageView {
    #[serde(flatten)]
    pub record: OutageRecord,
    pub service_title: String,
    pub kind_title: &'static str,
    pub effect_title: &'static str,
    pub addresses: Vec<String>,
    pub planned: String,
    pub actual: String,
    pub active: bool,
}

fn span(zone: &Tz, from: Option<DateTime<Utc>>, to: Option<DateTime<Utc>>) -> String {
    match (from, to) {
        (None, _) => "—".into(),
        (Some(a), None) => format!("с {}", shown(zone, a)),
        (Some(a), Some(b)) => format!("{} — {}", shown(zone, a), shown(zone, b)),
    }
}

/// The views of `list`, with addresses and service titles.
pub async fn views(app: &App, list: Vec<OutageRecord>) -> Result<Vec<OutageView>, AppError> {
    let zone = app.zone().await?;
    let services = ledger::services(&app.db).await?;
    let now = app.db.now();
    let mut out = Vec::with_capacity(list.len());
    for o in list {
        let mut addresses = Vec::new();
        for p in &o.data.places {
            let b = building::get(&app.db, p.building_id).await?;
            addresses.push(if p.entrances.is_empty() {
                b.address
            } else {
                let e: Vec<String> = p.entrances.iter().map(i64::to_string).collect();
                format!("{}, подъезд {}", b.address, e.join(", "))
            });
        }
        let end = if o.data.actual_from.is_some() {
            o.data.actual_to
        } else {
            o.data.planned_to
        };
        out.push(OutageView {
            service_title: ledger::service_title(&services, Some(&o.data.service)),
            kind_title: o.data.kind.title(),
            effect_title: o.data.effect.title(),
            planned: span(&zone, o.data.planned_from, o.data.planned_to),
            actual: span(&zone, o.data.actual_from, o.data.actual_to),
            active: end.is_none_or(|e| e > now),
            addresses,
            record: o,
        });
    }
    Ok(out)
}
