//! The correspondence report: incoming letters received by sender kind and where their
//! answers stand, outgoing letters sent; beside the previous period and a year earlier.
//! Each count links to the register filtered to exactly those letters.

use abonent_domain::correspondence::SenderKind;
use abonent_domain::report::{ratio_bp, ReportPeriod};
use abonent_storage::reports::letters::{self as store, LetterCounts};

use super::{href, Figure, Report, ReportKind, ReportRequest, Row, Table, Unit};
use crate::{App, AppError};

fn group_title(code: &str) -> &'static str {
    match code {
        "overdue" => "Ждут ответа, срок прошёл",
        "in_time" => "Ждут ответа, срок не прошёл",
        "answered_on_time" => "Отвечены в срок",
        "answered_late" => "Отвечены с опозданием",
        _ => "Закрыты без ответа",
    }
}

fn incoming(p: ReportPeriod, extra: &[(&str, String)]) -> String {
    let mut pairs = vec![
        ("status", "all".to_string()),
        ("from", p.from.format("%Y-%m-%d").to_string()),
        ("to", p.to.format("%Y-%m-%d").to_string()),
    ];
    for (k, v) in extra {
        pairs.retain(|(key, _)| key != k);
        pairs.push((*k, v.clone()));
    }
    href("/correspondence/incoming", &pairs)
}

pub async fn report(app: &App, r: &ReportRequest) -> Result<Report, AppError> {
    let periods = [r.period, r.period.previous(), r.period.year_earlier()];
    let today = app.today().await?;
    let mut counts: [LetterCounts; 3] = Default::default();
    for (i, p) in periods.iter().enumerate() {
        counts[i] = store::counts(&app.db, p.from, p.to, today).await?;
    }
    let line = |title: &str,
                level: u8,
                total: bool,
                value: &dyn Fn(&LetterCounts) -> i64,
                link: &dyn Fn(ReportPeriod) -> String| Row {
        title: title.into(),
        level,
        total,
        cells: (0..3)
            .map(|i| Figure::count(value(&counts[i]), link(periods[i])))
            .collect(),
    };
    let mut received = vec![line(
        "Получено входящих",
        0,
        true,
        &|c: &LetterCounts| c.received,
        &|p: ReportPeriod| incoming(p, &[]),
    )];
    for k in SenderKind::ALL {
        received.push(line(
            k.title(),
            1,
            false,
            &|c: &LetterCounts| c.by_sender.get(k.code()).copied().unwrap_or(0),
            &|p: ReportPeriod| incoming(p, &[("sender_kind", k.code().into())]),
        ));
    }
    let mut answers = Vec::new();
    for g in store::GROUPS {
        answers.push(line(
            group_title(g),
            0,
            false,
            &|c: &LetterCounts| c.groups.get(g).copied().unwrap_or(0),
            &|p: ReportPeriod| incoming(p, &[("status", g.into())]),
        ));
    }
    answers.push(Row {
        title: "Отвечено в срок, % от отвеченных".into(),
        level: 0,
        total: false,
        cells: counts
            .iter()
            .map(|c| {
                let on = c.groups.get("answered_on_time").copied().unwrap_or(0);
                let late = c.groups.get("answered_late").copied().unwrap_or(0);
                Figure::ratio(ratio_bp(on, on + late), Unit::BasisPoints)
            })
            .collect(),
    });
    let sent = vec![line(
        "Отправлено исходящих",
        0,
        true,
        &|c: &LetterCounts| c.sent,
        &|p: ReportPeriod| {
            href(
                "/correspondence/outgoing",
                &[
                    ("from", p.from.format("%Y-%m-%d").to_string()),
                    ("to", p.to.format("%Y-%m-%d").to_string()),
                ],
            )
        },
    )];
    let columns: Vec<String> = periods.iter().map(|p| p.title()).collect();
    let table = |title: &str, rows: Vec<Row>, note: &str| Table {
        title: title.into(),
        columns: columns.clone(),
        rows,
        note: note.into(),
    };
    Ok(Report {
        kind: ReportKind::Letters,
        title: ReportKind::Letters.title().into(),
        period_title: r.period.title(),
        filters: Vec::new(),
        tables: vec![
            table("Входящие по видам отправителей", received, "Считаются письма, полученные в дни периода."),
            table("Ответы на входящие", answers, "Срок ответа — тот же, что в журнале входящих; ответ в срок — исходящее письмо-ответ отправлено не позже срока. Состояние — на сегодня."),
            table("Исходящие", sent, "Письма, отправленные в дни периода."),
        ],
    })
}
