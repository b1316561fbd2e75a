//! Ledger files the tests upload (ledger*.rs): a charges file with volumes, tariffs and a
//! recalculation, a bank register in windows-1251 as banks send it, and charge lines loaded
//! straight into storage.

use abonent_domain::ledger::{EntryKind, Period};
use abonent_storage::ledger::charges::{self, ChargeLine, FileMeta};
use abonent_storage::Actor;

use super::TestApp;

/// Charges of two accounts for January 2025 and a recalculation in February.
pub const CHARGES: &str = "ЛС;Период;Услуга;Объём;Тариф;Ед.;Сумма;Вид;Причина\n\
100001;2025-01;Отопление;1,2;2 500,00;Гкал;3 000,00;;\n\
100001;2025-01;ХВС;3,5;40,00;м3;140,00;;\n\
100002;2025-01;Отопление;;;;2 000,00;;\n\
100001;2025-02;Отопление;;;;-500,00;перерасчёт;Температура ниже нормы\n";

pub fn register(lines: &[(&str, &str, &str, &str)]) -> Vec<u8> {
    let mut s = String::new();
    let mut sum = 0;
    for (date, op, account, amount) in lines {
        sum += abonent_domain::money::parse_amount(amount).unwrap();
        s.push_str(&format!(
            "{date};09-15-00;7003/0001;12;{op};{account};Иванов Иван Иванович;г. Екатеринбург, ул. Ленина, д. 5, кв. 12;;{amount};{amount};0,00\r\n"
        ));
    }
    let a = abonent_domain::money::format_amount(sum).replace(' ', "");
    s.push_str(&format!("={};{a};{a};0,00;1;01-03-2025\r\n", lines.len()));
    // Banks send windows-1251.
    encoding_rs::WINDOWS_1251.encode(&s).0.into_owned()
}

/// A charge of `amount` kopecks for the account's service in the month (`2026-11`).
pub fn charge_line(account: &str, period: &str, service: &str, amount: i64) -> ChargeLine {
    ChargeLine {
        line: 2,
        account_number: account.into(),
        period: Period::parse(period).unwrap(),
        service: Some(service.into()),
        amount,
        volume: None,
        tariff: None,
        unit: None,
        kind: EntryKind::Charge,
        reason: None,
    }
}

/// Loads `lines` as a charges file named `file_name`, as the system.
pub async fn load_charges(app: &TestApp, file_name: &str, lines: &[ChargeLine]) {
    let meta = FileMeta {
        kind: "charges",
        file_name: file_name.into(),
        sha256: charges::sha256_hex(file_name.as_bytes()),
        profile_id: None,
    };
    charges::import_charges(&app.t.db, &meta, lines, &Actor::system("тест"), &|_| {})
        .await
        .unwrap();
}
