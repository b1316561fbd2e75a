//! The appeals report: received by kind, channel, category (the tree, with subtotals) and
//! building; where they stand against their deadlines; reopened; the residents' ratings.
//! Each figure beside the previous period and the same period a year earlier.

use std::collections::BTreeMap;

use abonent_domain::appeal::{AppealKind, Channel};
use abonent_domain::report::{ratio_bp, ReportPeriod};
use abonent_storage::appeals::outcome::Outcome;
use abonent_storage::reports::appeals::{self as store, AppealCounts, AppealScope};
use abonent_storage::reports::{self, CategoryName};

use super::{href, Figure, Report, ReportKind, ReportRequest, Row, Table, Unit};
use crate::{App, AppError};

/// The appeals a request covers over `period`.
pub fn scope(r: &ReportRequest, period: ReportPeriod) -> AppealScope {
    AppealScope {
        from: Some(period.from),
        to: Some(period.to),
        building_id: r.building_id,
        category_group: r.category_id,
        department_id: r.department_id,
        executor_id: r.executor_id,
    }
}

/// The journal's address of the appeals of `period` under the request's filters, narrowed
/// by `extra` (which replaces a filter of the same name).
pub fn journal(r: &ReportRequest, period: ReportPeriod, extra: &[(&str, String)]) -> String {
    let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    let mut pairs: BTreeMap<&str, String> = BTreeMap::new();
    pairs.insert("view", "all".into());
    pairs.insert(
        "registered_from",
        period.from.format("%Y-%m-%d").to_string(),
    );
    pairs.insert("registered_to", period.to.format("%Y-%m-%d").to_string());
    pairs.insert("building_id", opt(r.building_id));
    pairs.insert("category_group", opt(r.category_id));
    pairs.insert("department_id", opt(r.department_id));
    pairs.insert("executor_id", opt(r.executor_id));
    for (k, v) in extra {
        // Under a category filter its group stays: the subtotals shown are all inside it.
        if *k == "category_group" && r.category_id.is_some() {
            continue;
        }
        pairs.insert(*k, v.clone());
    }
    let list: Vec<(&str, String)> = pairs.into_iter().collect();
    href("/appeals", &list)
}

pub fn outcome_title(o: Outcome) -> &'static str {
    match o {
        Outcome::OpenOverdue => "Открыты, срок прошёл",
        Outcome::OpenInTime => "Открыты, срок не прошёл",
        Outcome::Paused => "Приостановлены: ждут заявителя",
        Outcome::DoneOnTime => "Выполнены в срок",
        Outcome::DoneLate => "Выполнены с опозданием",
        Outcome::NoResult => "Завершены без выполнения (отклонены, дубликаты)",
        Outcome::Reopened => "Открывались повторно",
        Outcome::NotFixed => "Ответили «не устранено»",
        Outcome::NoAnswer => "Выполнены, житель не ответил",
    }
}

struct Builder<'a> {
    r: &'a ReportRequest,
    periods: [ReportPeriod; 3],
    counts: [AppealCounts; 3],
}

impl Builder<'_> {
    /// A line of three linked counts.
    fn line(
        &self,
        title: impl Into<String>,
        level: u8,
        total: bool,
        value: impl Fn(&AppealCounts) -> i64,
        extra: &[(&str, String)],
    ) -> Row {
        Row {
            title: title.into(),
            level,
            total,
            cells: (0..3)
                .map(|i| {
                    Figure::count(
                        value(&self.counts[i]),
                        journal(self.r, self.periods[i], extra),
                    )
                })
                .collect(),
        }
    }

    fn any(&self, value: impl Fn(&AppealCounts) -> i64) -> bool {
        self.counts.iter().any(|c| value(c) != 0)
    }

    fn ratio(
        &self,
        title: &str,
        part: impl Fn(&AppealCounts) -> i64,
        whole: impl Fn(&AppealCounts) -> i64,
    ) -> Row {
        Row {
            title: title.into(),
            level: 0,
            total: false,
            cells: self
                .counts
                .iter()
                .map(|c| Figure::ratio(ratio_bp(part(c), whole(c)), Unit::BasisPoints))
                .collect(),
        }
    }

    fn total(&self) -> Row {
        self.line("Итого", 0, true, |c| c.total, &[])
    }

    fn table(&self, title: &str, rows: Vec<Row>, note: &str) -> Table {
        Table {
            title: title.into(),
            columns: self.periods.iter().map(|p| p.title()).collect(),
            rows,
            note: note.into(),
        }
    }
}

fn outcome(c: &AppealCounts, o: Outcome) -> i64 {
    c.outcomes.get(o.code()).copied().unwrap_or(0)
}

pub async fn report(app: &App, r: &ReportRequest) -> Result<Report, AppError> {
    let periods = [r.period, r.period.previous(), r.period.year_earlier()];
    let mut counts: [AppealCounts; 3] = Default::default();
    for (i, p) in periods.iter().enumerate() {
        counts[i] = store::counts(&app.db, &scope(r, *p)).await?;
    }
    let b = Builder { r, periods, counts };
    let categories = reports::categories(&app.db).await?;
    let buildings = reports::building_addresses(&app.db).await?;

    let mut received = vec![b.total()];
    for k in AppealKind::ALL {
        received.push(b.line(
            k.title(),
            1,
            false,
            |c| c.by_kind.get(k.code()).copied().unwrap_or(0),
            &[("kind", k.code().into())],
        ));
    }
    let mut channels = Vec::new();
    for ch in Channel::ALL {
        channels.push(b.line(
            ch.title(),
            0,
            false,
            |c| c.by_channel.get(ch.code()).copied().unwrap_or(0),
            &[("channel", ch.code().into())],
        ));
    }
    channels.push(b.total());

    let mut by_building = Vec::new();
    for (id, address) in &buildings {
        let id = *id;
        let of = move |c: &AppealCounts| c.by_building.get(&Some(id)).copied().unwrap_or(0);
        if b.any(of) {
            by_building.push(b.line(
                address.clone(),
                0,
                false,
                of,
                &[("building_id", id.to_string())],
            ));
        }
    }
    let no_building = |c: &AppealCounts| c.by_building.get(&None).copied().unwrap_or(0);
    by_building.push(b.line(
        "Без дома",
        0,
        false,
        no_building,
        &[("without", "building".into())],
    ));
    by_building.push(b.total());

    let mut states: Vec<Row> = Outcome::STATES
        .into_iter()
        .map(|o| {
            b.line(
                outcome_title(o),
                0,
                false,
                move |c| outcome(c, o),
                &[("outcome", o.code().into())],
            )
        })
        .collect();
    states.push(b.total());
    states.push(b.ratio(
        "Выполнено в срок, % от выполненных",
        |c| outcome(c, Outcome::DoneOnTime),
        |c| outcome(c, Outcome::DoneOnTime) + outcome(c, Outcome::DoneLate),
    ));

    let reopened = vec![
        b.line(
            outcome_title(Outcome::Reopened),
            0,
            false,
            |c| outcome(c, Outcome::Reopened),
            &[("outcome", Outcome::Reopened.code().into())],
        ),
        b.ratio(
            "Доля повторно открытых, % от поступивших",
            |c| outcome(c, Outcome::Reopened),
            |c| c.total,
        ),
    ];

    let mut ratings = Vec::new();
    for mark in (1..=5).rev() {
        ratings.push(b.line(
            format!("Оценка {mark}"),
            0,
            false,
            move |c| c.ratings[mark - 1],
            &[("rating", mark.to_string())],
        ));
    }
    for o in [Outcome::NotFixed, Outcome::NoAnswer] {
        ratings.push(b.line(
            outcome_title(o),
            0,
            false,
            move |c| outcome(c, o),
            &[("outcome", o.code().into())],
        ));
    }
    ratings.push(Row {
        title: "Средняя оценка".into(),
        level: 0,
        total: false,
        cells: b
            .counts
            .iter()
            .map(|c| {
                let n: i64 = c.ratings.iter().sum();
                let sum: i64 = c
                    .ratings
                    .iter()
                    .enumerate()
                    .map(|(i, k)| (i as i64 + 1) * k)
                    .sum();
                Figure::ratio(ratio_bp(sum, n).map(|bp| (bp + 50) / 100), Unit::Hundredths)
            })
            .collect(),
    });

    let note = "Считаются обращения, зарегистрированные в дни периода по часовому поясу организации; состояние — на момент построения отчёта.";
    Ok(Report {
        kind: ReportKind::Appeals,
        title: ReportKind::Appeals.title().into(),
        period_title: r.period.title(),
        filters: filters(app, r).await?,
        tables: vec![
            b.table("Поступило по видам", received, note),
            b.table("По каналам поступления", channels, ""),
            b.table("По категориям", category_rows(&b, &categories), "Строка категории — подытог её подкатегорий."),
            b.table("По домам", by_building, ""),
            b.table("Исполнение сроков", states, "Срок — тот же, что в карточке обращения: выполнено в срок, если отметка «выполнено» не позже срока."),
            b.table("Повторные открытия", reopened, ""),
            b.table("Оценки жителей", ratings, ""),
        ],
    })
}

/// The category tree: a row per top category (the subtotal of its subcategories), its
/// subcategories under it, then the appeals without a category and the total.
fn category_rows(b: &Builder<'_>, categories: &[CategoryName]) -> Vec<Row> {
    let tops: Vec<&CategoryName> = categories
        .iter()
        .filter(|c| {
            c.parent_id.is_none_or(|p| {
                !categories
                    .iter()
                    .any(|t| t.id == p && t.parent_id.is_none())
            })
        })
        .collect();
    let mut rows = Vec::new();
    for top in tops {
        let children: Vec<&CategoryName> = categories
            .iter()
            .filter(|c| c.parent_id == Some(top.id))
            .collect();
        let mut ids: Vec<i64> = children.iter().map(|c| c.id).collect();
        ids.push(top.id);
        let group = move |c: &AppealCounts| {
            ids.iter()
                .map(|id| c.by_category.get(&Some(*id)).copied().unwrap_or(0))
                .sum::<i64>()
        };
        if !b.any(&group) {
            continue;
        }
        rows.push(b.line(
            top.title.clone(),
            0,
            false,
            &group,
            &[("category_group", top.id.to_string())],
        ));
        if children.is_empty() {
            continue;
        }
        let own = move |c: &AppealCounts| c.by_category.get(&Some(top.id)).copied().unwrap_or(0);
        if b.any(own) {
            rows.push(b.line(
                format!("{} — без подкатегории", top.title),
                1,
                false,
                own,
                &[("category_id", top.id.to_string())],
            ));
        }
        for child in children {
            let id = child.id;
            let of = move |c: &AppealCounts| c.by_category.get(&Some(id)).copied().unwrap_or(0);
            if b.any(of) {
                rows.push(b.line(
                    child.title.clone(),
                    1,
                    false,
                    of,
                    &[("category_id", id.to_string())],
                ));
            }
        }
    }
    let none = |c: &AppealCounts| c.by_category.get(&None).copied().unwrap_or(0);
    rows.push(b.line(
        "Без категории",
        0,
        false,
        none,
        &[("without", "category".into())],
    ));
    rows.push(b.total());
    rows
}

/// The filters of a request as people read them.
pub async fn filters(app: &App, r: &ReportRequest) -> Result<Vec<String>, AppError> {
    let mut out = Vec::new();
    if let Some(id) = r.building_id {
        let addresses = reports::building_addresses(&app.db).await?;
        out.push(format!(
            "Дом: {}",
            addresses.get(&id).cloned().unwrap_or_default()
        ));
    }
    if let Some(id) = r.category_id {
        let cats = reports::categories(&app.db).await?;
        let title = cats
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.title.clone())
            .unwrap_or_default();
        out.push(format!("Категория: {title} (с подкатегориями)"));
    }
    if let Some(id) = r.department_id {
        out.push(format!("Отдел: код {id}"));
    }
    if let Some(id) = r.executor_id {
        out.push(format!("Исполнитель: код {id}"));
    }
    Ok(out)
}
