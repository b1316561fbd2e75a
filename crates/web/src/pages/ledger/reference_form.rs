//! The ledger's reference data as forms: the key-rate table, the penalty rules with the rate
//! cap and the moratoria, the due-date rules. Each list is rows of inputs named
//! `<list>.<row>.<field>` (a row ticked «удалить» or left blank is dropped; one blank row at
//! the end adds an entry); each wrong value gets its message at its input.

use abonent_domain::due_date::{validate_due_date_rules, DueDateRule};
use abonent_domain::penalty::{
    CapScope, CapitalRepairRule, Confidence, KeyRateEntry, KeyRateTable, Moratorium,
    PenaltySettings, RateCap, RateDate, RateMode, RowRounding,
};
use abonent_domain::ValidationErrors;
use chrono::NaiveDate;

use crate::forms::FormView;

/// The row numbers present in the form for `list` (`list.<n>.field`), in order.
pub fn row_indices(f: &FormView, list: &str) -> Vec<usize> {
    let prefix = format!("{list}.");
    let mut v: Vec<usize> = f
        .values
        .keys()
        .filter_map(|k| k.strip_prefix(&prefix)?.split('.').next()?.parse().ok())
        .collect();
    v.dedup();
    v.sort_unstable();
    v.dedup();
    v
}

fn key(list: &str, i: usize, field: &str) -> String {
    format!("{list}.{i}.{field}")
}

/// A date typed as ДД.ММ.ГГГГ or sent by a date input (ГГГГ-ММ-ДД).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d.%m.%Y"))
        .ok()
}

/// A rate in percent («9,5», «16», «7.25») as basis points: (0; 100 %], two decimals at most.
pub fn parse_percent(s: &str) -> Option<u32> {
    let s = s.trim().trim_end_matches('%').trim().replace(',', ".");
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    if whole.is_empty() || frac.len() > 2 || !(whole.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    if !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: u32 = whole.parse().ok()?;
    let frac: u32 = format!("{frac:0<2}").parse().ok()?;
    let bp = whole.checked_mul(100)?.checked_add(frac)?;
    (1..=10_000).contains(&bp).then_some(bp)
}

/// Basis points as the form shows them: 950 → «9,5».
pub fn percent_text(bp: u32) -> String {
    let (w, f) = (bp / 100, bp % 100);
    match f {
        0 => w.to_string(),
        f if f % 10 == 0 => format!("{w},{}", f / 10),
        f => format!("{w},{f:02}"),
    }
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

const BAD_DATE: &str = "Укажите дату в виде ДД.ММ.ГГГГ";
const BAD_RATE: &str =
    "Укажите ставку в процентах: число больше 0 и не больше 100, например 9,5 или 16";

/// Whether every listed field of a row is blank (an unused «new» row).
fn blank_row(f: &FormView, list: &str, i: usize, fields: &[&str]) -> bool {
    fields
        .iter()
        .all(|x| f.v(&key(list, i, x)).trim().is_empty())
}

fn removed(f: &FormView, list: &str, i: usize) -> bool {
    f.checked(&key(list, i, "remove"))
}

/// One row of a list as the template shows it: each field's value and error.
pub struct Row {
    pub i: usize,
    /// The row's number for people (from 1).
    pub n: usize,
    cells: Vec<(&'static str, String, String)>,
}

impl Row {
    pub fn v(&self, field: &str) -> &str {
        self.cells
            .iter()
            .find(|(k, _, _)| *k == field)
            .map_or("", |(_, v, _)| v)
    }

    pub fn e(&self, field: &str) -> &str {
        self.cells
            .iter()
            .find(|(k, _, _)| *k == field)
            .map_or("", |(_, _, e)| e)
    }

    pub fn on(&self, field: &str) -> bool {
        matches!(self.v(field), "on" | "true" | "1")
    }

    /// `list.<i>.field`: the input's name.
    pub fn name(&self, list: &str, field: &str) -> String {
        key(list, self.i, field)
    }
}

/// The rows of `list` in the form, with the values and errors of `fields`.
pub fn rows(f: &FormView, list: &str, fields: &[&'static str]) -> Vec<Row> {
    row_indices(f, list)
        .into_iter()
        .enumerate()
        .map(|(n, i)| Row {
            i,
            n: n + 1,
            cells: fields
                .iter()
                .map(|x| {
                    let k = key(list, i, x);
                    (*x, f.v(&k).to_string(), f.err(&k).to_string())
                })
                .collect(),
        })
        .collect()
}

// ---------------------------------------------------------------- key rates

/// The key-rate table into the form's rows `kr.<n>.*`, newest first, and a blank row.
pub fn fill_key_rates(f: &mut FormView, t: &KeyRateTable) {
    let mut i = 0;
    f.set(&key("kr", i, "from"), "");
    for e in t.entries.iter().rev() {
        i += 1;
        f.set(&key("kr", i, "from"), iso(e.from));
        f.set(&key("kr", i, "rate"), percent_text(e.rate_bp));
        f.set(&key("kr", i, "source"), e.source.clone());
        if e.confidence == Confidence::Confirmed {
            f.set(&key("kr", i, "confirmed"), "on");
        }
    }
}

/// The table the form describes, or an error at each wrong input.
pub fn read_key_rates(f: &FormView, description: &str) -> Result<KeyRateTable, ValidationErrors> {
    let mut e = ValidationErrors::new();
    let mut entries: Vec<(usize, KeyRateEntry)> = Vec::new();
    for i in row_indices(f, "kr") {
        if removed(f, "kr", i) || blank_row(f, "kr", i, &["from", "rate", "source"]) {
            continue;
        }
        let from = parse_date(f.v(&key("kr", i, "from")));
        if from.is_none() {
            e.add(&key("kr", i, "from"), BAD_DATE);
        }
        let rate = parse_percent(f.v(&key("kr", i, "rate")));
        if rate.is_none() {
            e.add(&key("kr", i, "rate"), BAD_RATE);
        }
        let source = f.v(&key("kr", i, "source")).trim().to_string();
        if source.is_empty() {
            e.add(
                &key("kr", i, "source"),
                "Укажите источник: решение Совета директоров Банка России и его дату",
            );
        }
        if let Some(d) = from {
            if let Some((j, _)) = entries.iter().find(|(_, x)| x.from == d) {
                e.add(
                    &key("kr", i, "from"),
                    format!(
                        "Ставка с {} уже есть в строке {}",
                        d.format("%d.%m.%Y"),
                        j + 1
                    ),
                );
            }
        }
        if let (Some(from), Some(rate_bp)) = (from, rate) {
            entries.push((
                i,
                KeyRateEntry {
                    from,
                    rate_bp,
                    source,
                    confidence: if f.checked(&key("kr", i, "confirmed")) {
                        Confidence::Confirmed
                    } else {
                        Confidence::Unverified
                    },
                },
            ));
        }
    }
    if !e.is_empty() {
        return Err(e);
    }
    KeyRateTable::new(description, entries.into_iter().map(|(_, x)| x).collect())
        .map_err(|x| ValidationErrors::single("key_rates", join(&x)))
}

fn join(e: &ValidationErrors) -> String {
    e.0.iter()
        .map(|x| x.message.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

// ---------------------------------------------------------------- penalty settings

fn mode_code(m: &RateMode) -> &'static str {
    match m {
        RateMode::Fixed { .. } => "fixed",
        RateMode::KeyRate { on } => match on {
            RateDate::PaymentOrCalcDate => "payment_or_calc",
            RateDate::CalcDate => "calc",
            RateDate::On(_) => "on",
            RateDate::EachDay => "each_day",
        },
    }
}

/// The choices of «Какая ставка»: code and title.
pub const MODES: &[(&str, &str)] = &[
    (
        "payment_or_calc",
        "ключевая ставка на день оплаты, для неоплаченного — на день расчёта (ЖК РФ ст. 155 ч. 14)",
    ),
    ("calc", "ключевая ставка на день расчёта (решения суда)"),
    ("on", "ключевая ставка на указанную дату"),
    (
        "each_day",
        "ключевая ставка, действовавшая в каждый день просрочки",
    ),
    (
        "fixed",
        "фиксированная ставка (например, установленная судом)",
    ),
];

pub const ROUNDINGS: &[(&str, &str)] = &[
    ("per_row", "каждая строка расчёта округляется до копеек"),
    (
        "cumulative",
        "округляется нарастающий итог (строки в сумме дают точный итог)",
    ),
];

pub const CAP_SCOPES: &[(&str, &str)] = &[
    (
        "rate_date",
        "ко всему расчёту, если ставка берётся на дату в этом периоде",
    ),
    ("accrual_days", "только к дням просрочки в этом периоде"),
];

/// The penalty settings into the form (`ps.*` and the moratoria rows `mor.<n>.*`).
pub fn fill_penalty_settings(f: &mut FormView, s: &PenaltySettings) {
    f.set("ps.law_source", s.law_source.clone());
    f.set("ps.grace_days", s.grace_days.to_string());
    f.set("ps.share_300_until_day", s.share_300_until_day.to_string());
    f.set("ps.first_share", s.first_share.to_string());
    f.set("ps.second_share", s.second_share.to_string());
    if let Some(c) = &s.rate_cap {
        f.set("ps.cap_on", "on");
        f.set("ps.cap_from", iso(c.from));
        f.set("ps.cap_to", iso(c.to));
        f.set("ps.cap_rate", percent_text(c.cap_bp));
        f.set("ps.cap_source", c.source.clone());
        f.set(
            "ps.cap_scope",
            match c.scope {
                CapScope::RateDate => "rate_date",
                CapScope::AccrualDays => "accrual_days",
            },
        );
    }
    f.set("ps.mode", mode_code(&s.rate_mode));
    match s.rate_mode {
        RateMode::Fixed { rate_bp } => f.set("ps.fixed_rate", percent_text(rate_bp)),
        RateMode::KeyRate {
            on: RateDate::On(d),
        } => f.set("ps.mode_date", iso(d)),
        _ => {}
    }
    if s.payment_day_accrues {
        f.set("ps.payment_day_accrues", "on");
    }
    if s.include_calc_date {
        f.set("ps.include_calc_date", "on");
    }
    f.set(
        "ps.rounding",
        match s.rounding {
            RowRounding::PerRow => "per_row",
            RowRounding::Cumulative => "cumulative",
        },
    );
    if s.capital_repair.first_share_only {
        f.set("ps.cr_first_share_only", "on");
    }
    f.set("ps.cr_source", s.capital_repair.source.clone());
    for (i, m) in s.moratoria.iter().enumerate() {
        f.set(&key("mor", i, "from"), iso(m.from));
        f.set(&key("mor", i, "to"), iso(m.to));
        if let Some(b) = m.applies_to_debts_arising_before {
            f.set(&key("mor", i, "before"), iso(b));
        }
        f.set(&key("mor", i, "source"), m.source.clone());
    }
    f.set(&key("mor", s.moratoria.len(), "from"), "");
}

fn count(f: &FormView, e: &mut ValidationErrors, name: &str, what: &str, max: u32) -> u32 {
    match f.v(name).trim().parse::<u32>() {
        Ok(n) if (1..=max).contains(&n) => n,
        _ => {
            e.add(
                name,
                format!(
                    "{what}: целое число от 1 до {max}, а не «{}»",
                    f.v(name).trim()
                ),
            );
            0
        }
    }
}

fn date_at(f: &FormView, e: &mut ValidationErrors, name: &str) -> Option<NaiveDate> {
    let d = parse_date(f.v(name));
    if d.is_none() {
        e.add(name, BAD_DATE);
    }
    d
}

/// The penalty settings the form describes, or an error at each wrong input.
pub fn read_penalty_settings(f: &FormView) -> Result<PenaltySettings, ValidationErrors> {
    let mut e = ValidationErrors::new();
    let law_source = f.v("ps.law_source").trim().to_string();
    if law_source.is_empty() {
        e.add("ps.law_source", "Укажите норму закона: ЖК РФ ст. 155 ч. 14");
    }
    let grace_days = count(f, &mut e, "ps.grace_days", "Льготные дни", 365);
    let share_300_until_day = count(
        f,
        &mut e,
        "ps.share_300_until_day",
        "День перехода на вторую долю",
        3650,
    );
    let first_share = count(f, &mut e, "ps.first_share", "Доля ставки", 1000);
    let second_share = count(f, &mut e, "ps.second_share", "Доля ставки", 1000);
    let rate_cap = if f.checked("ps.cap_on") {
        let from = date_at(f, &mut e, "ps.cap_from");
        let to = date_at(f, &mut e, "ps.cap_to");
        if let (Some(a), Some(b)) = (from, to) {
            if b < a {
                e.add(
                    "ps.cap_to",
                    format!(
                        "Ограничение заканчивается ({}) раньше, чем начинается ({})",
                        b.format("%d.%m.%Y"),
                        a.format("%d.%m.%Y")
                    ),
                );
            }
        }
        let cap = parse_percent(f.v("ps.cap_rate"));
        if cap.is_none() {
            e.add("ps.cap_rate", BAD_RATE);
        }
        let source = f.v("ps.cap_source").trim().to_string();
        if source.is_empty() {
            e.add(
                "ps.cap_source",
                "Укажите основание ограничения: ПП РФ № 474 от 26.03.2022",
            );
        }
        let scope = if f.v("ps.cap_scope") == "accrual_days" {
            CapScope::AccrualDays
        } else {
            CapScope::RateDate
        };
        match (from, to, cap) {
            (Some(from), Some(to), Some(cap_bp)) => Some(RateCap {
                from,
                to,
                cap_bp,
                source,
                scope,
            }),
            _ => None,
        }
    } else {
        None
    };
    let rate_mode = match f.v("ps.mode") {
        "fixed" => match parse_percent(f.v("ps.fixed_rate")) {
            Some(rate_bp) => RateMode::Fixed { rate_bp },
            None => {
                e.add("ps.fixed_rate", BAD_RATE);
                RateMode::Fixed { rate_bp: 1 }
            }
        },
        "calc" => RateMode::KeyRate {
            on: RateDate::CalcDate,
        },
        "each_day" => RateMode::KeyRate {
            on: RateDate::EachDay,
        },
        "on" => RateMode::KeyRate {
            on: RateDate::On(date_at(f, &mut e, "ps.mode_date").unwrap_or_default()),
        },
        _ => RateMode::KeyRate {
            on: RateDate::PaymentOrCalcDate,
        },
    };
    let mut moratoria = Vec::new();
    let mut rows = Vec::new();
    for i in row_indices(f, "mor") {
        if removed(f, "mor", i) || blank_row(f, "mor", i, &["from", "to", "before", "source"]) {
            continue;
        }
        let from = date_at(f, &mut e, &key("mor", i, "from"));
        let to = date_at(f, &mut e, &key("mor", i, "to"));
        let before_text = f.v(&key("mor", i, "before")).trim().to_string();
        let before = if before_text.is_empty() {
            None
        } else {
            date_at(f, &mut e, &key("mor", i, "before"))
        };
        let source = f.v(&key("mor", i, "source")).trim().to_string();
        if let (Some(from), Some(to)) = (from, to) {
            rows.push(i);
            moratoria.push(Moratorium {
                from,
                to,
                applies_to_debts_arising_before: before,
                source,
            });
        }
    }
    let s = PenaltySettings {
        law_source,
        grace_days,
        share_300_until_day,
        first_share,
        second_share,
        rate_cap,
        moratoria,
        rate_mode,
        payment_day_accrues: f.checked("ps.payment_day_accrues"),
        include_calc_date: f.checked("ps.include_calc_date"),
        rounding: if f.v("ps.rounding") == "cumulative" {
            RowRounding::Cumulative
        } else {
            RowRounding::PerRow
        },
        capital_repair: CapitalRepairRule {
            first_share_only: f.checked("ps.cr_first_share_only"),
            source: f.v("ps.cr_source").trim().to_string(),
        },
    };
    if e.is_empty() {
        // The domain's own checks, each moved to the input it names.
        for x in s.validate().0 {
            let field = match x.field.as_str() {
                "rate_mode" => "ps.fixed_rate".to_string(),
                "rate_cap" => "ps.cap_to".to_string(),
                "capital_repair.source" => "ps.cr_source".to_string(),
                other => match other
                    .strip_prefix("moratoria[")
                    .and_then(|r| r.split_once("]."))
                {
                    Some((n, field)) => n
                        .parse::<usize>()
                        .ok()
                        .and_then(|n| rows.get(n))
                        .map_or_else(|| "ps.law_source".into(), |i| key("mor", *i, field)),
                    None => format!("ps.{other}"),
                },
            };
            e.add(&field, x.message);
        }
    }
    e.into_result(s)
}

// ---------------------------------------------------------------- due-date rules

/// The due-date rules into the form's rows `dd.<n>.*` (period as ГГГГ-ММ), and a blank row.
pub fn fill_due_dates(f: &mut FormView, rules: &[DueDateRule]) {
    for (i, r) in rules.iter().enumerate() {
        let (y, m) = r.from_period;
        f.set(&key("dd", i, "from"), format!("{y:04}-{m:02}"));
        f.set(&key("dd", i, "day"), r.day_of_next_month.to_string());
        f.set(&key("dd", i, "source"), r.source.clone());
    }
    f.set(&key("dd", rules.len(), "from"), "");
}

/// A period typed as ММ.ГГГГ or sent by a month input (ГГГГ-ММ).
fn parse_period(s: &str) -> Option<(i32, u32)> {
    let s = s.trim();
    let (y, m) = if let Some((m, y)) = s.split_once('.') {
        (y, m)
    } else {
        s.split_once('-')?
    };
    let (y, m) = (y.parse::<i32>().ok()?, m.parse::<u32>().ok()?);
    NaiveDate::from_ymd_opt(y, m, 1).map(|_| (y, m))
}

/// The rules the form describes, or an error at each wrong input.
pub fn read_due_dates(f: &FormView) -> Result<Vec<DueDateRule>, ValidationErrors> {
    let mut e = ValidationErrors::new();
    let mut rules = Vec::new();
    let mut rows = Vec::new();
    for i in row_indices(f, "dd") {
        if removed(f, "dd", i) || blank_row(f, "dd", i, &["from", "day", "source"]) {
            continue;
        }
        let period = parse_period(f.v(&key("dd", i, "from")));
        if period.is_none() {
            e.add(
                &key("dd", i, "from"),
                "Укажите расчётный период в виде ММ.ГГГГ, например 03.2026",
            );
        }
        let day = f.v(&key("dd", i, "day")).trim().parse::<u32>().unwrap_or(0);
        rows.push(i);
        rules.push(DueDateRule {
            from_period: period.unwrap_or((0, 0)),
            day_of_next_month: day,
            source: f.v(&key("dd", i, "source")).trim().to_string(),
        });
    }
    if rules.is_empty() {
        e.add("due_date_rules", "Нужно хотя бы одно правило срока оплаты");
    }
    if let Err(x) = validate_due_date_rules(&rules) {
        for x in x.0 {
            // `[<n>].<field>` of the domain → the row's input.
            let (n, field) = x
                .field
                .trim_start_matches('[')
                .split_once("].")
                .unwrap_or(("", ""));
            let field = match field {
                "from_period" => "from",
                "day_of_next_month" => "day",
                _ => "source",
            };
            let name = n
                .parse::<usize>()
                .ok()
                .and_then(|n| rows.get(n))
                .map_or_else(|| "due_date_rules".into(), |i| key("dd", *i, field));
            if !(field == "from" && e.0.iter().any(|y| y.field == name)) {
                e.add(&name, x.message);
            }
        }
    }
    e.into_result(rules)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percents_read_as_basis_points() {
        assert_eq!(parse_percent("9,5"), Some(950));
        assert_eq!(parse_percent("16"), Some(1600));
        assert_eq!(parse_percent("7.25 %"), Some(725));
        assert_eq!(parse_percent("0"), None);
        assert_eq!(parse_percent("101"), None);
        assert_eq!(parse_percent("9,555"), None);
        assert_eq!(parse_percent("девять"), None);
        assert_eq!(percent_text(950), "9,5");
        assert_eq!(percent_text(725), "7,25");
        assert_eq!(percent_text(1600), "16");
    }

    #[test]
    fn forms_round_trip_the_shipped_values() {
        let mut f = FormView::default();
        let t = KeyRateTable::default();
        fill_key_rates(&mut f, &t);
        assert_eq!(read_key_rates(&f, &t.description).unwrap(), t);
        let s = PenaltySettings::default();
        let mut f = FormView::default();
        fill_penalty_settings(&mut f, &s);
        assert_eq!(read_penalty_settings(&f).unwrap(), s);
        let rules = abonent_domain::due_date::default_due_date_rules();
        let mut f = FormView::default();
        fill_due_dates(&mut f, &rules);
        assert_eq!(read_due_dates(&f).unwrap(), rules);
    }

    #[test]
    fn a_moratorium_ending_before_it_starts_is_named_at_its_end() {
        let mut f = FormView::default();
        fill_penalty_settings(&mut f, &PenaltySettings::default());
        f.set("mor.1.to", "01.01.2022");
        let e = read_penalty_settings(&f).unwrap_err();
        assert!(e.0.iter().any(|x| x.field == "mor.1.to"), "{e:?}");
    }
}
