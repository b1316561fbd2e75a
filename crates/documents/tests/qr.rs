//! The payment QR code read back the way a bank app does: rasterize the PDF, find and decode
//! the code with a real decoder, compare the payload byte for byte.

mod common;

use abonent_documents::{payment_qr, samples, DocKind};
use common::*;

fn decode_all(pdf: &[u8]) -> Vec<Vec<u8>> {
    let img = rasterize(pdf, 300);
    let mut prepared = rqrr::PreparedImage::prepare(img);
    prepared
        .detect_grids()
        .into_iter()
        .map(|g| {
            let mut bytes = Vec::new();
            g.decode_to(&mut bytes).expect("QR decodes");
            bytes
        })
        .collect()
}

#[test]
fn qr_payload_decodes_exactly() {
    let org = samples::organization();
    let data = samples::payment();
    let expected = payment_qr(&data, &org)
        .build_bytes()
        .expect("sample QR is valid");
    // Cyrillic fits windows-1251: the header says so and the bytes are cp1251.
    assert!(
        expected.starts_with(b"ST00011|Name="),
        "{:?}",
        &expected[..12]
    );
    let pdf = render_with(
        DocKind::PaymentDocument,
        &org,
        serde_json::to_value(&data).unwrap(),
        None,
    )
    .unwrap();
    let codes = decode_all(&pdf);
    assert_eq!(codes.len(), 1, "one QR code on the page");
    assert_eq!(codes[0], expected);
    // What those bytes say (the same text, encoded to cp1251 above).
    let text = payment_qr(&data, &org).build().unwrap();
    assert_eq!(
        abonent_domain::payment_qr::cp1251::encode(&text).unwrap(),
        codes[0]
    );
    assert!(text.contains("|Sum=523456|"), "{text}");
    assert!(text.contains("|PersAcc=1001|"), "{text}");
    assert!(text.contains("|PaymPeriod=112026|"), "{text}");
    assert!(text.contains("|LastName=Иванов|"), "{text}");
}

#[test]
fn qr_switches_to_utf8_when_needed() {
    let org = samples::organization();
    let mut data = samples::payment();
    // «₽» is not in windows-1251: the payload must be UTF-8 and say so (flag 2).
    data.purpose = Some("Оплата ЖКУ за ноябрь 2026 г., 5 234,56 ₽".into());
    let expected = payment_qr(&data, &org).build().unwrap();
    assert!(expected.starts_with("ST00012|"));
    let pdf = render_with(
        DocKind::PaymentDocument,
        &org,
        serde_json::to_value(&data).unwrap(),
        None,
    )
    .unwrap();
    let codes = decode_all(&pdf);
    assert_eq!(codes.len(), 1);
    assert_eq!(String::from_utf8(codes[0].clone()).unwrap(), expected);
}

/// Penalties travel in `AddAmount` beside the total in `Sum`, with the period in `PaymPeriod`.
#[test]
fn qr_carries_penalties_in_add_amount() {
    let org = samples::organization();
    let data = samples::payment_with_debt();
    let pdf = render_with(
        DocKind::PaymentDocument,
        &org,
        serde_json::to_value(&data).unwrap(),
        None,
    )
    .unwrap();
    let codes = decode_all(&pdf);
    assert_eq!(codes.len(), 1);
    let text = payment_qr(&data, &org).build().unwrap();
    assert_eq!(
        abonent_domain::payment_qr::cp1251::encode(&text).unwrap(),
        codes[0]
    );
    assert!(text.contains("|Sum=5146912|"), "{text}");
    assert!(text.contains("|PaymPeriod=112026|"), "{text}");
    assert!(text.contains("|AddAmount=123456|"), "{text}");
    assert!(text.contains("долга за 09.2024-10.2026"), "{text}");
}
