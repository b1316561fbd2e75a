//! The payment document: its view and the ГОСТ Р 56042-2014 QR code (regulations.md §8).

use abonent_domain::money::{amount_in_words, format_amount, format_rub};
use abonent_domain::payment_qr::{PaymentQr, QrEncoding};
use abonent_domain::ValidationErrors;
use qrcode::{EcLevel, QrCode};
use serde_json::{json, Map, Value};

use crate::data::{BillingPeriod, PaymentData};
use crate::view::{date_opt, opt, require};
use crate::Organization;

/// Where the template finds the QR image (`image("/qr.svg")`).
pub const QR_PATH: &str = "/qr.svg";

const MONTHS: [&str; 12] = [
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
];

/// Max characters of `Purpose` (ГОСТ Р 56042-2014).
const PURPOSE_MAX: usize = 210;

/// The default purpose: «Оплата ЖКУ за ноябрь 2026 г., л/с 1001»; with a debt of other
/// periods it names them («и долга за 01.2020-07.2025»), a debt-only document names only them,
/// and the penalty part is named («в т.ч. пени 120,00») so the payment is credited to it.
fn default_purpose(d: &PaymentData) -> String {
    let debt = covered(d).map(|c| format!("долга за {c}"));
    let mut s = match (d.lines.is_empty(), debt) {
        (true, Some(debt)) => format!("Оплата {debt} по ЖКУ"),
        (false, Some(debt)) => format!("Оплата ЖКУ за {} и {debt}", period_text(d.period)),
        (_, None) => format!("Оплата ЖКУ за {}", period_text(d.period)),
    };
    if d.penalty_kopecks > 0 {
        s.push_str(&format!(
            ", в т.ч. пени {}",
            format_amount(d.penalty_kopecks)
        ));
    }
    format!("{s}, л/с {}", d.account.trim())
}

/// «01.2020-07.2025» (or «07.2025»): the periods the debt line covers.
fn covered(d: &PaymentData) -> Option<String> {
    if d.earlier_debt_kopecks <= 0 {
        return None;
    }
    let mm = |p: BillingPeriod| format!("{:02}.{}", p.month, p.year);
    match (d.earlier_from, d.earlier_to) {
        (Some(a), Some(b)) if a != b => Some(format!("{}-{}", mm(a), mm(b))),
        (Some(a), _) | (None, Some(a)) => Some(mm(a)),
        (None, None) => Some("прошлые периоды".into()),
    }
}

fn period_text(p: BillingPeriod) -> String {
    let m = MONTHS.get(p.month.wrapping_sub(1) as usize).unwrap_or(&"?");
    format!("{m} {} г.", p.year)
}

/// «январь 2020 г. — июль 2025 г.» for the debt line.
fn covered_text(d: &PaymentData) -> String {
    match (d.earlier_from, d.earlier_to) {
        (Some(a), Some(b)) if a != b => format!("{} — {}", period_text(a), period_text(b)),
        (Some(a), _) | (None, Some(a)) => period_text(a),
        (None, None) => "прошлые периоды".into(),
    }
}

/// A decimal as imported («3.5») the Russian way («3,5»).
fn decimal(v: &Option<String>) -> String {
    v.as_deref()
        .map(|s| s.trim().replace('.', ","))
        .unwrap_or_default()
}

/// The QR requisites for this payment; housing and utilities (`TechCode=02`).
pub fn payment_qr(d: &PaymentData, org: &Organization) -> PaymentQr {
    let some = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    PaymentQr {
        name: org.name.trim().into(),
        personal_acc: org.settlement_account.trim().into(),
        bank_name: org.bank_name.trim().into(),
        bic: org.bic.trim().into(),
        corresp_acc: org.corr_account.trim().into(),
        payee_inn: some(&org.inn),
        kpp: some(&org.kpp),
        sum_kopecks: Some(d.amount_kopecks),
        purpose: Some(d.purpose.clone().unwrap_or_else(|| default_purpose(d))),
        last_name: some(&d.payer.last_name),
        first_name: some(&d.payer.first_name),
        middle_name: d.payer.middle_name.as_deref().and_then(some),
        payer_address: some(&d.address),
        pers_acc: some(&d.account),
        flat: d.flat.as_deref().and_then(some),
        phone: None,
        paym_period: Some(format!("{:02}{:04}", d.period.month, d.period.year)),
        add_amount_kopecks: (d.penalty_kopecks > 0).then_some(d.penalty_kopecks),
        tech_code: Some("02".into()),
        encoding: QrEncoding::Auto,
        account_key_as_warning: false,
    }
}

/// Our name for a [`PaymentQr`] field, so the message points to what the user can fix.
fn our_field(qr_field: &str) -> String {
    match qr_field {
        "name" => "org.name",
        "personal_acc" => "org.settlement_account",
        "bank_name" => "org.bank_name",
        "bic" => "org.bic",
        "corresp_acc" => "org.corr_account",
        "payee_inn" => "org.inn",
        "kpp" => "org.kpp",
        "sum_kopecks" => "amount_kopecks",
        "last_name" | "first_name" | "middle_name" => return format!("payer.{qr_field}"),
        "payer_address" => "address",
        "pers_acc" => "account",
        "paym_period" => "period",
        other => other,
    }
    .to_string()
}

/// Checks our own rules first (clear messages), then the QR's; one message per field.
fn validate(d: &PaymentData, qr: &PaymentQr, errors: &mut ValidationErrors) {
    require(errors, "account", &d.account, "лицевой счёт плательщика");
    require(
        errors,
        "payer.last_name",
        &d.payer.last_name,
        "фамилию плательщика",
    );
    require(errors, "address", &d.address, "адрес плательщика");
    if !(1..=12).contains(&d.period.month) || !(2000..=2100).contains(&d.period.year) {
        errors.add(
            "period",
            "Период оплаты: месяц от 1 до 12 и год, например 11.2026.",
        );
    }
    if d.amount_kopecks <= 0 {
        errors.add(
            "amount_kopecks",
            format!(
                "Сумма к оплате должна быть больше нуля, сейчас {}. Квитанция не выпущена.",
                format_rub(d.amount_kopecks)
            ),
        );
    }
    if d.itemized() && d.lines_total() != d.amount_kopecks {
        errors.add(
            "amount_kopecks",
            format!(
                "Сумма к оплате {} не равна итогу строк квитанции {}. Квитанция не выпущена.",
                format_rub(d.amount_kopecks),
                format_rub(d.lines_total())
            ),
        );
    }
    let purpose_len = qr.purpose.as_deref().map_or(0, |p| p.chars().count());
    if purpose_len > PURPOSE_MAX {
        errors.add(
            "purpose",
            format!(
                "Назначение платежа — не длиннее {PURPOSE_MAX} символов (требование ГОСТ Р \
                 56042-2014 к QR-коду), сейчас {purpose_len}. Сократите текст."
            ),
        );
    }
    for e in qr.validate().0 {
        let field = our_field(&e.field);
        if errors.for_field(&field).is_none() {
            errors.add(&field, format!("Реквизиты QR-кода: {}", e.message));
        }
    }
}

/// The view of a payment document and the QR payload bytes (None when invalid).
pub(crate) fn view(
    d: PaymentData,
    org: &Organization,
    errors: &mut ValidationErrors,
) -> (Map<String, Value>, Option<Vec<u8>>) {
    let qr = payment_qr(&d, org);
    let before = errors.0.len();
    validate(&d, &qr, errors);
    let payload = if errors.0.len() == before {
        qr.build_bytes().ok()
    } else {
        None
    };
    let charges: Vec<Value> = d
        .charges
        .iter()
        .map(|c| json!({ "service": c.service.trim(), "amount": format_rub(c.amount_kopecks) }))
        .collect();
    let charges_total: i64 = d.charges.iter().map(|c| c.amount_kopecks).sum();
    let lines: Vec<Value> = d
        .lines
        .iter()
        .map(|l| {
            json!({
                "service": l.service.trim(),
                "unit": opt(&l.unit),
                "volume": decimal(&l.volume),
                "tariff": decimal(&l.tariff),
                "charged": format_amount(l.charged_kopecks),
                "recalculated": format_amount(l.recalculated_kopecks),
                "paid": format_amount(l.paid_kopecks),
                "due": format_amount(l.due_kopecks),
            })
        })
        .collect();
    let money = |k: i64| json!(format_amount(k));
    let nonzero = |k: i64| if k > 0 { money(k) } else { Value::Null };
    let mut v = d.extra.clone();
    v.insert("account".into(), json!(d.account.trim()));
    v.insert("payer_name".into(), json!(d.payer.full_name()));
    v.insert("address".into(), json!(d.address.trim()));
    v.insert("flat".into(), json!(opt(&d.flat)));
    v.insert("period".into(), json!(period_text(d.period)));
    v.insert("paym_period".into(), json!(qr.paym_period));
    v.insert("amount".into(), json!(format_rub(d.amount_kopecks)));
    v.insert(
        "amount_plain".into(),
        json!(format_amount(d.amount_kopecks)),
    );
    v.insert(
        "amount_words".into(),
        json!(amount_in_words(d.amount_kopecks)),
    );
    v.insert("purpose".into(), json!(qr.purpose));
    v.insert("due_date".into(), json!(date_opt(d.due_date)));
    v.insert("charges".into(), Value::Array(charges));
    v.insert("charges_total".into(), json!(format_rub(charges_total)));
    v.insert("itemized".into(), json!(d.itemized()));
    v.insert(
        "debt_only".into(),
        json!(d.lines.is_empty() && d.itemized()),
    );
    v.insert("lines".into(), Value::Array(lines));
    v.insert(
        "lines_due".into(),
        money(d.lines.iter().map(|l| l.due_kopecks).sum()),
    );
    v.insert("earlier_debt".into(), nonzero(d.earlier_debt_kopecks));
    v.insert("earlier_periods".into(), json!(covered_text(&d)));
    v.insert("penalty".into(), nonzero(d.penalty_kopecks));
    v.insert("advance".into(), nonzero(d.advance_kopecks));
    v.insert("total".into(), money(d.amount_kopecks));
    v.insert("qr".into(), json!(QR_PATH));
    (v, payload)
}

/// The QR code as SVG: byte mode, error correction M, 4-module quiet zone. Each row's runs of
/// dark modules are one rectangle (fewer shapes for typst to convert than one per module).
pub(crate) fn qr_svg(payload: &[u8]) -> Result<String, String> {
    let code = QrCode::with_error_correction_level(payload, EcLevel::M)
        .map_err(|e| format!("QR-код не построен: {e}"))?;
    let n = code.width();
    let colors = code.to_colors();
    let quiet = 4;
    let size = n + 2 * quiet;
    let mut path = String::with_capacity(n * n);
    for y in 0..n {
        let mut x = 0;
        while x < n {
            if colors[y * n + x] == qrcode::Color::Dark {
                let start = x;
                while x < n && colors[y * n + x] == qrcode::Color::Dark {
                    x += 1;
                }
                path.push_str(&format!(
                    "M{} {}h{}v1h-{}z",
                    start + quiet,
                    y + quiet,
                    x - start,
                    x - start
                ));
            } else {
                x += 1;
            }
        }
    }
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" \
         shape-rendering=\"crispEdges\"><rect width=\"{size}\" height=\"{size}\" \
         fill=\"#fff\"/><path fill=\"#000\" d=\"{path}\"/></svg>"
    ))
}
