//! Sample organization and data: what `Engine::check` typesets an edited template on, what
//! the golden tests and the benchmark print. Fictional people and requisites (the bank
//! details are the regulations' §8 example, so the control keys match).

use chrono::NaiveDate;
use serde_json::Value;

use crate::data::{
    BenefitLine, BillingPeriod, CertificateData, ChargeLine, ComplaintActData, DebtNoticeData,
    DebtPeriodLine, InstallmentAgreementData, LetterData, Payer, PaymentData, RegisteredPerson,
    ReplyTo, ScheduleLine, StatementData, StatementPerson,
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
                registration: None,
                relation: Some("собственник".into()),
            },
            RegisteredPerson {
                full_name: "Иванова Мария Петровна".into(),
                birth_date: Some(ymd(1972, 8, 9)),
                registered_on: Some(ymd(1996, 2, 20)),
                registration: None,
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
        charges: vec![
            ChargeLine {
                service: "Содержание жилого помещения".into(),
                amount_kopecks: 312_000,
            },
            ChargeLine {
                service: "Вывоз ТКО".into(),
                amount_kopecks: 211_456,
            },
        ],
        extra: Default::default(),
    }
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
    };
    v.expect("sample data serializes")
}
