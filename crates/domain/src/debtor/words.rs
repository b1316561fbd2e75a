//! The titles and text of the documents and messages of debtor work.

use chrono::NaiveDate;

use crate::money::format_rub;

/// How a notice was delivered, for the case page.
pub fn delivery_method_title(method: &str) -> &'static str {
    match method {
        "post" => "Почтой (заказное письмо)",
        "hand" => "Лично под подпись",
        "email" => "Электронной почтой",
        "sms" => "SMS",
        _ => "—",
    }
}

pub fn notice_title(account_number: &str) -> String {
    format!("Уведомление о задолженности, л/с {account_number}")
}

pub fn agreement_title(account_number: &str) -> String {
    format!("Соглашение о рассрочке, л/с {account_number}")
}

/// Subject of the notice sent by e-mail.
pub fn notice_subject(account_number: &str) -> String {
    format!("Уведомление о задолженности по л/с {account_number}")
}

/// The notice's text sent by e-mail and SMS (ПП 354 п. 119).
pub fn notice_message(
    notice_number: &str,
    account_number: &str,
    on: NaiveDate,
    debt: i64,
    notice_days: u32,
) -> String {
    format!(
        "Уведомление № {notice_number}: задолженность по лицевому счёту {account_number} на {} \
         — {}. Погасите её в течение {} со дня получения уведомления, иначе \
         предоставление коммунальной услуги может быть ограничено (ПП РФ № 354 п. 119). Можно \
         заключить соглашение о погашении долга в рассрочку.",
        on.format("%d.%m.%Y"),
        format_rub(debt),
        // «в течение» asks the genitive: «21 дня», «20 дней».
        crate::money::counted(i64::from(notice_days), ["дня", "дней", "дней"]),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_message_names_debt_date_and_days() {
        let m = notice_message(
            "УВ-1",
            "100001",
            NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
            1_500_00,
            20,
        );
        assert!(
            m.starts_with("Уведомление № УВ-1: задолженность по лицевому счёту 100001 на 27.11.2026 — 1 500,00 ₽. Погасите её в течение 20 дней"),
            "{m}"
        );
        assert!(m.ends_with("соглашение о погашении долга в рассрочку."));
        assert_eq!(delivery_method_title("hand"), "Лично под подпись");
        assert_eq!(delivery_method_title("x"), "—");
    }
}
