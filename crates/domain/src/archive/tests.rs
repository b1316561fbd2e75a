use chrono::NaiveDate;

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

const FIVE: Retention = Retention::Years {
    years: 5,
    counted_from: CountedFrom::YearAfterClosure,
};
const FIVE_AFTER_CONTRACT: Retention = Retention::Years {
    years: 5,
    counted_from: CountedFrom::YearAfterContractEnd,
};

#[test]
fn the_default_index_is_valid_and_files_every_register() {
    let index = CaseIndex::default();
    assert!(index.validate().is_empty());
    for kind in [
        "appeal",
        "incoming_mail",
        "outgoing_mail",
        "service_contract",
        "issued_document",
        "debtor_case",
        "destruction_act",
    ] {
        assert!(index.case_for(kind).is_some(), "{kind}");
    }
    assert_eq!(index.case_for("appeal").unwrap().retention, Some(FIVE));
    assert_eq!(
        index.case_for("destruction_act").unwrap().retention,
        Some(Retention::Permanent)
    );
}

#[test]
fn an_index_entry_without_a_retention_period_is_refused() {
    let mut index = CaseIndex::default();
    index.entries[1].retention = None;
    index.entries[2].index = index.entries[0].index.clone();
    index.entries[3].retention = Some(Retention::Years {
        years: 0,
        counted_from: CountedFrom::YearAfterClosure,
    });
    let e = index.validate();
    assert!(e
        .for_field("entries[1].retention")
        .unwrap()
        .contains("срок хранения"));
    assert!(e
        .for_field("entries[2].index")
        .unwrap()
        .contains("уже есть"));
    assert!(e.for_field("entries[3].retention").is_some());
}

#[test]
fn years_count_from_the_first_of_january_after_closure() {
    assert_eq!(
        keep_until(FIVE, 2020, None),
        KeepUntil::Date {
            date: d(2025, 12, 31)
        }
    );
    let one = Retention::Years {
        years: 1,
        counted_from: CountedFrom::YearAfterClosure,
    };
    assert_eq!(
        keep_until(one, 2025, None),
        KeepUntil::Date {
            date: d(2026, 12, 31)
        }
    );
    assert_eq!(FIVE.text(), "5 лет");
    assert_eq!(one.text(), "1 год");
}

#[test]
fn a_contracts_years_count_from_the_year_after_it_ends() {
    assert_eq!(
        keep_until(FIVE_AFTER_CONTRACT, 2018, Some(d(2021, 12, 31))),
        KeepUntil::Date {
            date: d(2026, 12, 31)
        }
    );
    assert_eq!(
        keep_until(FIVE_AFTER_CONTRACT, 2018, Some(d(2022, 1, 1))),
        KeepUntil::Date {
            date: d(2027, 12, 31)
        }
    );
    assert_eq!(
        keep_until(FIVE_AFTER_CONTRACT, 2018, None),
        KeepUntil::ContractInForce
    );
    assert_eq!(
        keep_until(Retention::Permanent, 2018, None),
        KeepUntil::Forever
    );
    assert_eq!(
        keep_until(Retention::UntilNoLongerNeeded, 2018, None),
        KeepUntil::UntilDecided
    );
    assert_eq!(
        FIVE_AFTER_CONTRACT.text(),
        "5 лет после окончания срока действия договора"
    );
}

fn file(id: i64, year: i32, holds: Vec<Hold>) -> CaseFile {
    CaseFile {
        id,
        index: "01-01".into(),
        year,
        closed: true,
        keep_until: keep_until(FIVE, year, None),
        holds,
    }
}

#[test]
fn the_year_boundary_of_destruction() {
    let f = file(1, 2020, vec![]);
    assert!(destruction_refusal(&f, d(2025, 12, 31))
        .unwrap()
        .contains("до 31.12.2025 включительно"));
    assert_eq!(destruction_refusal(&f, d(2026, 1, 1)), None);
    assert_eq!(
        select_for_destruction(std::slice::from_ref(&f), d(2025, 12, 31)).selected,
        Vec::<i64>::new()
    );
    assert_eq!(select_for_destruction(&[f], d(2026, 1, 1)).selected, [1]);
}

#[test]
fn nothing_under_a_hold_or_open_or_permanent_is_destroyed() {
    let today = d(2030, 6, 1);
    let held = file(
        2,
        2020,
        vec![
            Hold::CourtCase {
                number: "2-145/2024".into(),
            },
            Hold::InspectionReview {
                number: "О-2020-00017".into(),
            },
        ],
    );
    let open = CaseFile {
        closed: false,
        ..file(3, 2020, vec![])
    };
    let forever = CaseFile {
        keep_until: KeepUntil::Forever,
        ..file(4, 2020, vec![])
    };
    let contract = CaseFile {
        keep_until: KeepUntil::ContractInForce,
        ..file(5, 2020, vec![])
    };
    let decided = CaseFile {
        keep_until: KeepUntil::UntilDecided,
        ..file(6, 2020, vec![])
    };
    let young = file(7, 2026, vec![]);
    let s = select_for_destruction(
        &[
            file(1, 2020, vec![]),
            held.clone(),
            open.clone(),
            forever.clone(),
            contract.clone(),
            decided.clone(),
            young,
        ],
        today,
    );
    assert_eq!(s.selected, [1]);
    assert_eq!(s.withheld.len(), 1);
    assert_eq!(s.withheld[0].0, 2);
    assert!(s.withheld[0].1[0].contains("№ 2-145/2024 в суде"));
    assert!(destruction_refusal(&held, today)
        .unwrap()
        .contains("под запретом"));
    assert!(destruction_refusal(&open, today)
        .unwrap()
        .contains("не закрыто"));
    assert!(destruction_refusal(&forever, today)
        .unwrap()
        .contains("постоянно"));
    assert!(destruction_refusal(&contract, today)
        .unwrap()
        .contains("договор действует"));
    assert!(destruction_refusal(&decided, today)
        .unwrap()
        .contains("экспертной комиссии"));
}
