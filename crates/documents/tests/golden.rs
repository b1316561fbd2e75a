//! One golden file per shipped template: the PDF's text in layout order (rows kept, spacing
//! collapsed). A layout change shows up as a diff here.
//!
//! After an intended change, regenerate and review the diff:
//!   ABONENT_UPDATE_GOLDEN=1 cargo test -p abonent-documents --test golden

mod common;

use std::path::PathBuf;

use abonent_documents::DocKind;
use common::*;

fn golden_path(kind: DocKind) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(format!("{}.txt", kind.code()))
}

fn check(kind: DocKind) {
    let actual = normalized_layout(&render_sample(kind));
    let path = golden_path(kind);
    if std::env::var_os("ABONENT_UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &actual).expect("write golden file");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; create it with ABONENT_UPDATE_GOLDEN=1 cargo test -p abonent-documents \
             --test golden",
            path.display()
        )
    });
    if actual != expected {
        let diff: Vec<String> = expected
            .lines()
            .zip(actual.lines().chain(std::iter::repeat("<нет строки>")))
            .enumerate()
            .filter(|(_, (e, a))| e != a)
            .take(5)
            .map(|(i, (e, a))| format!("строка {}:\n  было: {e}\n  стало: {a}", i + 1))
            .collect();
        panic!(
            "{kind:?}: text differs from {} ({} vs {} lines)\n{}\nIf the change is intended: \
             ABONENT_UPDATE_GOLDEN=1 cargo test -p abonent-documents --test golden",
            path.display(),
            expected.lines().count(),
            actual.lines().count(),
            diff.join("\n")
        );
    }
}

#[test]
fn registration_certificate() {
    check(DocKind::RegistrationCertificate);
}

#[test]
fn account_statement() {
    check(DocKind::AccountStatement);
}

#[test]
fn payment_document() {
    check(DocKind::PaymentDocument);
}

#[test]
fn letter() {
    check(DocKind::Letter);
}

#[test]
fn complaint_act() {
    check(DocKind::ComplaintAct);
}

#[test]
fn debt_notice() {
    check(DocKind::DebtNotice);
}

#[test]
fn installment_agreement() {
    check(DocKind::InstallmentAgreement);
}

#[test]
fn penalty_calculation() {
    check(DocKind::PenaltyCalculation);
}

#[test]
fn court_order_application() {
    check(DocKind::CourtOrderApplication);
}

#[test]
fn no_debt_certificate() {
    check(DocKind::NoDebtCertificate);
}

#[test]
fn ledger_statement() {
    check(DocKind::LedgerStatement);
}
