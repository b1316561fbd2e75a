//! Sample organization and data: what `Engine::check` typesets an edited template on, what
//! the golden tests and the benchmark print. Fictional people and requisites (the bank
//! details are the regulations' §8 example, so the control keys match).

use chrono::NaiveDate;
use serde_json::Value;

use abonent_domain::penalty::PenaltyRow;
use abonent_domain::state_duty::CourtOrderDutySchedule;

use crate::data::{
    BenefitLine, BillingPeriod, CertificateData, ComplaintActData, Court, CourtOrderData,
    DebtNoticeData, DebtPeriodLine, DebtRow, Debtor, Duty, InstallmentAgreementData,
    LedgerStatementData, LetterData, NoDebtData, Payer, PaymentData, PaymentLine, PenaltyData,
    RegisteredPerson, ReplyTo, ResidentApplicationData, ScheduleLine, StatementData,
    StatementPeriod, StatementPerson,
};
use crate::{DocKind, Organization};

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid sample date")
}

/// The date samples are issued on: 27.11.2026.
pub fn date() -> NaiveDate {
    ymd(2026, 11, 27)
}

pub fn organization() -> Organization {
    Organization {
        name: "ООО «Управляющая компания „Наш дом“»".into(),
        inn: "7701234560".into(),
        kpp: "770101001".into(),
        ogrn: "1027700000012".into(),
        address: "125009, г. Москва, ул. Тверская, д. 7, офис 12".into(),
        phones: "+7 (495) 123-45-67".into(),
        email: "info@nash-dom.example".into(),
        bank_name: "ПАО СБЕРБАНК".into(),
        bic: "044525225".into(),
        corr_account: "30101810400000000225".into(),
        settlement_account: "40702810138250123017".into(),
        director_title: "Генеральный директор".into(),
        director_name: "Соколов А. В.".into(),
    }
}

pub fn certificate() -> CertificateData {
    CertificateData {
        address: "г. Москва, ул. Ленина, д. 1, кв. 5".into(),
        account: Some("1001".into()),
        persons: vec![
            RegisteredPerson {
                full_name: "Иванов Иван Иванович".into(),
                birth_date: Some(ymd(1970, 3, 15)),
                registered_on: Some(ymd(1995, 6, 1)),
                registration: Some("по месту жительства".into()),
                relation: Some("собственник".into()),
            },
            RegisteredPerson {
                full_name: "Иванова Мария Петровна".into(),
                birth_date: Some(ymd(1972, 8, 9)),
                registered_on: Some(ymd(1996, 2, 20)),
                registration: Some("по месту жительства".into()),
                relation: Some("жена".into()),
            },
            RegisteredPerson {
                full_name: "Иванов Пётр Иванович".into(),
                birth_date: Some(ymd(2001, 12, 30)),
                registered_on: Some(ymd(2002, 1, 15)),
                registration: Some("по месту пребывания до 01.06.2027".into()),
                relation: Some("сын".into()),
            },
        ],
        purpose: None,
        extra: Default::default(),
    }
}

pub fn statement() -> StatementData {
    StatementData {
        account: "1001".into(),
        address: "г. Москва, ул. Ленина, д. 1, кв. 5".into(),
        premises_kind: Some("квартира".into()),
        total_area_centi: Some(5430),
        living_area_centi: Some(3210),
        rooms: Some(2),
        opened_on: Some(ymd(2015, 4, 1)),
        share: Some("1".into()),
        persons: vec![
            StatementPerson {
                full_name: "Иванов Иван Иванович".into(),
                birth_date: Some(ymd(1970, 3, 15)),
                role: "собственник".into(),
                share: Some("1/2".into()),
                registered_on: Some(ymd(1995, 6, 1)),
            },
            StatementPerson {
                full_name: "Иванова Мария Петровна".into(),
                birth_date: Some(ymd(1972, 8, 9)),
                role: "собственник".into(),
                share: Some("1/2".into()),
                registered_on: Some(ymd(1996, 2, 20)),
            },
        ],
        benefits: vec![BenefitLine {
            person: "Иванов Иван Иванович".into(),
            name: "Ветеран труда".into(),
            document: Some("удостоверение серии ВТ № 123456".into()),
            valid_until: None,
        }],
        balance_kopecks: Some(123_456),
        extra: Default::default(),
    }
}

pub fn payment() -> PaymentData {
    PaymentData {
        account: "1001".into(),
        payer: Payer {
            last_name: "Иванов".into(),
            first_name: "Иван".into(),
            middle_name: Some("Иванович".into()),
        },
        address: "г. Москва, ул. Ленина, д. 1, кв. 5".into(),
        flat: Some("5".into()),
        period: BillingPeriod {
            year: 2026,
            month: 11,
        },
        amount_kopecks: 523_456,
        purpose: None,
        due_date: Some(ymd(2026, 12, 10)),
        charges: vec![],
        lines: vec![
            PaymentLine {
                service: "Содержание жилого помещения".into(),
                unit: Some("м²".into()),
                volume: Some("54.3".into()),
                tariff: Some("57.46".into()),
                charged_kopecks: 312_000,
                recalculated_kopecks: 0,
                paid_kopecks: 0,
                due_kopecks: 312_000,
            },
            PaymentLine {
                service: "Обращение с ТКО".into(),
                unit: None,
                volume: None,
                tariff: None,
                charged_kopecks: 221_456,
                recalculated_kopecks: -10_000,
                paid_kopecks: 0,
                due_kopecks: 211_456,
            },
        ],
        extra: Default::default(),
        ..Default::default()
    }
}

/// A payment document with a debt of earlier periods and penalties (QR `AddAmount`).
pub fn payment_with_debt() -> PaymentData {
    let mut d = payment();
    d.earlier_debt_kopecks = 4_500_000;
    d.earlier_from = Some(BillingPeriod {
        year: 2024,
        month: 9,
    });
    d.earlier_to = Some(BillingPeriod {
        year: 2026,
        month: 10,
    });
    d.penalty_kopecks = 123_456;
    d.amount_kopecks = d.lines_total();
    d
}

/// A debt-only payment document: no charges in its month, the debt of 26 months.
pub fn payment_debt_only() -> PaymentData {
    let mut d = payment_with_debt();
    d.lines.clear();
    d.amount_kopecks = d.lines_total();
    d
}

pub fn letter() -> LetterData {
    LetterData {
        addressee: vec![
            "Иванову И. И.".into(),
            "г. Москва, ул. Ленина, д. 1, кв. 5".into(),
        ],
        subject: "О перерасчёте платы за отопление".into(),
        salutation: Some("Уважаемый Иван Иванович!".into()),
        paragraphs: vec![
            "Ваше обращение о перерасчёте платы за отопление рассмотрено.".into(),
            "Перерасчёт за октябрь 2026 г. выполнен и будет отражён в платёжном документе \
             за ноябрь 2026 г."
                .into(),
        ],
        in_reply_to: Some(ReplyTo {
            number: "15".into(),
            date: ymd(2026, 11, 1),
        }),
        executor: Some("Исп. Петрова А. А., тел. +7 (495) 123-45-68".into()),
        signer_title: None,
        signer_name: None,
        extra: Default::default(),
    }
}

pub fn complaint_act() -> ComplaintActData {
    ComplaintActData {
        appeal_number: "Ж-2026-000012".into(),
        received_on: ymd(2026, 11, 16),
        applicant: "Иванова Мария Петровна".into(),
        address: "ул. Ленина, д. 12, кв. 34".into(),
        category: Some("Уборка подъезда".into()),
        substance: "Подъезд не убирают вторую неделю, на лестнице мусор.".into(),
        cause: "Подрядчик сократил число уборщиц и не выполнял график уборки.".into(),
        responsible: "Подрядчик: ООО «Чистый дом»".into(),
        parties: Some("Иванова М. П.; ООО «Чистый дом»".into()),
        actions: Some("Проведена внеплановая уборка 18.11.2026, график восстановлен.".into()),
        decision: "Жалоба признана обоснованной; подрядчику выставлена претензия, стоимость \
                   невыполненных уборок удержана."
            .into(),
        commission: vec![
            "Инженер Петров П. П.".into(),
            "Специалист Сидорова А. А.".into(),
        ],
    }
}

pub fn debt_notice() -> DebtNoticeData {
    let line = |period: &str, service: &str, amount_kopecks: i64| DebtPeriodLine {
        period: period.into(),
        service: service.into(),
        amount_kopecks,
    };
    DebtNoticeData {
        account: "1001".into(),
        address: "г. Москва, ул. Ленина, д. 1, кв. 5".into(),
        debtor: Some("Иванов Иван Иванович".into()),
        as_of: date(),
        lines: vec![
            line("август 2026", "Электроснабжение", 150_000),
            line("август 2026", "Отопление", 250_000),
            line("сентябрь 2026", "Электроснабжение", 150_000),
            line("октябрь 2026", "Электроснабжение", 150_000),
        ],
        total_kopecks: 700_000,
        penalties_kopecks: 1_234,
        notice_days: 20,
        services_to_limit: vec!["Электроснабжение".into()],
        extra: Default::default(),
    }
}

pub fn installment_agreement() -> InstallmentAgreementData {
    InstallmentAgreementData {
        account: "1001".into(),
        address: "г. Москва, ул. Ленина, д. 1, кв. 5".into(),
        debtor: "Иванов Иван Иванович".into(),
        total_kopecks: 700_000,
        schedule: vec![
            ScheduleLine {
                due: ymd(2026, 12, 15),
                amount_kopecks: 233_334,
            },
            ScheduleLine {
                due: ymd(2027, 1, 15),
                amount_kopecks: 233_333,
            },
            ScheduleLine {
                due: ymd(2027, 2, 15),
                amount_kopecks: 233_333,
            },
        ],
        extra: Default::default(),
    }
}

/// The sample data of a kind, as the JSON a caller passes.
pub fn data(kind: DocKind) -> Value {
    let v = match kind {
        DocKind::RegistrationCertificate => serde_json::to_value(certificate()),
        DocKind::AccountStatement => serde_json::to_value(statement()),
        DocKind::PaymentDocument => serde_json::to_value(payment()),
        DocKind::Letter => serde_json::to_value(letter()),
        DocKind::ComplaintAct => serde_json::to_value(complaint_act()),
        DocKind::DebtNotice => serde_json::to_value(debt_notice()),
        DocKind::InstallmentAgreement => serde_json::to_value(installment_agreement()),
        DocKind::PenaltyCalculation => serde_json::to_value(penalty()),
        DocKind::CourtOrderApplication => serde_json::to_value(court_order()),
        DocKind::NoDebtCertificate => serde_json::to_value(no_debt()),
        DocKind::LedgerStatement => serde_json::to_value(ledger_statement()),
        DocKind::ResidentApplication => serde_json::to_value(resident_application()),
    };
    v.expect("sample data serializes")
}

fn month(year: i32, month: u32) -> BillingPeriod {
    BillingPeriod { year, month }
}

fn penalty_row(period: &str, debt: i64, from: NaiveDate, to: NaiveDate, share: u32) -> PenaltyRow {
    let days = (to - from).num_days() + 1;
    // debt × days × 9,5 % / share, half-up to kopecks (as the calculation rounds a row).
    let exact = i128::from(debt) * i128::from(days) * 950;
    let den = i128::from(share) * 10_000;
    PenaltyRow {
        period: period.into(),
        debt_kopecks: debt,
        from,
        to,
        days,
        share,
        rate_bp: 950,
        formula: format!(
            "{} × {days} × 1/{share} × 9,5%",
            abonent_domain::money::format_amount(debt)
        ),
        penalty_kopecks: ((exact * 2 + den) / (den * 2)) as i64,
        moratorium: None,
    }
}

/// March and April 2026 unpaid, calculated on 27.11.2026 at the 9,5 % cap.
pub fn penalty() -> PenaltyData {
    let rows = vec![
        penalty_row("2026-03", 523_456, ymd(2026, 5, 16), ymd(2026, 7, 14), 300),
        penalty_row("2026-03", 523_456, ymd(2026, 7, 15), ymd(2026, 11, 26), 130),
        penalty_row("2026-04", 481_230, ymd(2026, 6, 15), ymd(2026, 8, 13), 300),
        penalty_row("2026-04", 481_230, ymd(2026, 8, 14), ymd(2026, 11, 26), 130),
    ];
    PenaltyData {
        account: "1001".into(),
        address: "г. Москва, ул. Ленина, д. 1, кв. 5".into(),
        calc_date: date(),
        total_kopecks: rows.iter().map(|r| r.penalty_kopecks).sum(),
        rows,
        basis: Some(
            "ЖК РФ ст. 155 ч. 14: дни 1–30 без пени, дни 31–90 — 1/300 ставки, далее — 1/130. \
             Ставка не выше 9,5% (ПП РФ № 474, № 329)."
                .into(),
        ),
        debtor: Some("Иванов Иван Иванович".into()),
        extra: Default::default(),
    }
}

/// March–May 2026: two months unpaid, May paid.
pub fn statement_periods() -> Vec<StatementPeriod> {
    let mut opening = 0;
    [
        (month(2026, 3), 523_456, 0, 0),
        (month(2026, 4), 481_230, 0, 0),
        (month(2026, 5), 495_000, -15_000, 480_000),
    ]
    .into_iter()
    .map(|(period, charged, recalculated, paid)| {
        let p = StatementPeriod {
            period,
            opening_kopecks: opening,
            charged_kopecks: charged,
            recalculated_kopecks: recalculated,
            penalties_kopecks: 0,
            paid_kopecks: paid,
            closing_kopecks: opening + charged + recalculated - paid,
        };
        opening = p.closing_kopecks;
        p
    })
    .collect()
}

pub fn ledger_statement() -> LedgerStatementData {
    LedgerStatementData {
        account: "1001".into(),
        address: "г. Москва, ул. Ленина, д. 1, кв. 5".into(),
        holders: vec!["Иванов Иван Иванович".into()],
        periods: statement_periods(),
        extra: Default::default(),
    }
}

/// The installment form: it names the debt, so every optional block is printed.
pub fn resident_application() -> ResidentApplicationData {
    ResidentApplicationData {
        form: "installment".into(),
        applicant: "Иванов Иван Иванович".into(),
        address: "г. Москва, ул. Ленина, д. 1, кв. 5".into(),
        account: Some("1001".into()),
        phone: Some("+7 (912) 345-67-89".into()),
        email: None,
        registered: vec![
            "Иванов Иван Иванович".into(),
            "Иванова Мария Петровна".into(),
        ],
        debt_kopecks: Some(1_234_567),
        as_of: Some(date()),
        extra: Default::default(),
    }
}

pub fn no_debt() -> NoDebtData {
    NoDebtData {
        account: "1001".into(),
        address: "г. Москва, ул. Ленина, д. 1, кв. 5".into(),
        holders: vec!["Иванов Иван Иванович".into()],
        as_of: date(),
        balance_kopecks: -12_345,
        not_yet_due_kopecks: 0,
        last_period: Some(month(2026, 10)),
        purpose: None,
        extra: Default::default(),
    }
}

fn debt_row(period: BillingPeriod, service: &str, charged: i64, paid: i64) -> DebtRow {
    DebtRow {
        period,
        service: service.into(),
        charged_kopecks: charged,
        paid_kopecks: paid,
        remaining_kopecks: charged - paid,
        due_date: None,
    }
}

pub fn court_order() -> CourtOrderData {
    let mut d = CourtOrderData {
        court: Court {
            name: "Мировой судья судебного участка № 3 Тверского района г. Москвы".into(),
            address: "125009, г. Москва, ул. Большая Никитская, д. 15".into(),
        },
        debtor: Debtor {
            full_name: "Иванов Иван Иванович".into(),
            address: "г. Москва, ул. Ленина, д. 1, кв. 5".into(),
            birth_date: Some(ymd(1970, 3, 15)),
            birth_place: None,
            identifier: Some("паспорт 4510 123456".into()),
            title: Some("собственник".into()),
            capacity: None,
        },
        co_debtors: Vec::new(),
        minor: None,
        share: None,
        account_debt_kopecks: None,
        account_penalty_kopecks: None,
        penalty_paid_kopecks: 0,
        subject: None,
        liability: None,
        account: "1001".into(),
        address: "г. Москва, ул. Ленина, д. 1, кв. 5".into(),
        debt_rows: vec![
            debt_row(month(2026, 3), "Содержание жилого помещения", 312_000, 0),
            debt_row(month(2026, 3), "Отопление", 211_456, 0),
            debt_row(month(2026, 4), "Содержание жилого помещения", 312_000, 0),
            debt_row(month(2026, 4), "Отопление", 169_230, 0),
        ],
        penalty: penalty(),
        statement: statement_periods(),
        duty: Duty::default(),
        time_barred_before: ymd(2023, 11, 27),
        time_barred: vec![DebtRow {
            due_date: Some(ymd(2023, 6, 13)),
            ..debt_row(month(2023, 5), "Отопление", 181_240, 0)
        }],
        claim_limit_kopecks: 50_000_000,
        basis: None,
        extra: Default::default(),
    };
    let duty = CourtOrderDutySchedule::default()
        .court_order_duty(d.claim_kopecks(), date())
        .expect("the sample claim is within the court order limit");
    d.duty = Duty {
        duty_kopecks: duty.duty_kopecks,
        formula: duty.formula,
        source: duty.source,
    };
    d
}
