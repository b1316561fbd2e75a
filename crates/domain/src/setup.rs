//! First-run setup: the settings without which documents, court packets and messages to
//! residents cannot be made, the time zones of Russia to choose from, and the check of the
//! public address residents' links point to. Pure data and checks.

use crate::settings::{default_of, title, PUBLIC_URL};
use crate::ValidationErrors;

/// The court for debt claims (a building may name its own on its card).
pub const COURT_NAME: &str = "court.name";
pub const COURT_ADDRESS: &str = "court.address";

/// Settings the first-run setup asks for, in the order of its form; each is needed by a
/// payment document, a court packet or a message to a resident.
pub const REQUIRED: &[&str] = &[
    "org.name",
    "org.inn",
    "org.kpp",
    "org.ogrn",
    "org.address",
    "org.bank_name",
    "org.bic",
    "org.corr_account",
    "org.settlement_account",
    COURT_NAME,
    COURT_ADDRESS,
    PUBLIC_URL,
];

/// A required setting that is not filled in yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    pub key: &'static str,
    /// Russian, short: «ИНН», «суд для заявлений о судебном приказе».
    pub what: &'static str,
}

fn short_title(key: &str) -> &'static str {
    match key {
        "org.name" => "наименование организации",
        "org.address" => "адрес организации",
        "org.bank_name" => "банк",
        "org.bic" => "БИК банка",
        "org.corr_account" => "корреспондентский счёт",
        "org.settlement_account" => "расчётный счёт",
        COURT_NAME => "суд для заявлений о судебном приказе",
        COURT_ADDRESS => "адрес суда",
        PUBLIC_URL => "адрес программы для жителей",
        k => title(k),
    }
}

/// What of [`REQUIRED`] is missing: blank, the placeholder name shipped as the default, or a
/// public address residents cannot open.
pub fn missing(get: impl Fn(&str) -> String) -> Vec<Missing> {
    REQUIRED
        .iter()
        .filter(|k| {
            let v = get(k);
            let v = v.trim();
            v.is_empty()
                || (**k == "org.name" && Some(v) == default_of("org.name"))
                || (**k == PUBLIC_URL && check_public_url(v).is_err())
        })
        .map(|k| Missing {
            key: k,
            what: short_title(k),
        })
        .collect()
}

/// The address residents open from a message: `http(s)://host[:port][/path]`, not this
/// computer (`localhost`, `127.0.0.1`, `::1`, `0.0.0.0`).
pub fn check_public_url(url: &str) -> Result<(), String> {
    let u = url.trim();
    let rest = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"))
        .ok_or_else(|| {
            "Адрес программы начинается с https:// (или http://), например https://lk.uk-dom.ru"
                .to_string()
        })?;
    let host_port = rest.split('/').next().unwrap_or("");
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        host_port.split(':').next().unwrap_or("")
    }
    .to_lowercase();
    if host.is_empty() || host.contains(char::is_whitespace) {
        return Err("Укажите адрес сайта после https://, например https://lk.uk-dom.ru".into());
    }
    let local = host == "localhost"
        || host.ends_with(".localhost")
        || host.starts_with("127.")
        || host == "::1"
        || host == "0.0.0.0";
    if local {
        return Err(format!(
            "«{host}» — это адрес самого сервера: ссылка в письме или SMS жителю по нему не \
             откроется. Укажите адрес, по которому программа доступна из интернета, например \
             https://lk.uk-dom.ru"
        ));
    }
    Ok(())
}

/// The time zones of Russia with a city of each, west to east (the IANA names are stored).
pub const RUSSIAN_ZONES: &[(&str, &str)] = &[
    ("Europe/Kaliningrad", "Калининград (МСК−1, UTC+2)"),
    ("Europe/Moscow", "Москва (МСК, UTC+3)"),
    ("Europe/Kirov", "Киров (МСК, UTC+3)"),
    ("Europe/Volgograd", "Волгоград (МСК, UTC+3)"),
    ("Europe/Astrakhan", "Астрахань (МСК+1, UTC+4)"),
    ("Europe/Samara", "Самара (МСК+1, UTC+4)"),
    ("Europe/Saratov", "Саратов (МСК+1, UTC+4)"),
    ("Europe/Ulyanovsk", "Ульяновск (МСК+1, UTC+4)"),
    ("Asia/Yekaterinburg", "Екатеринбург (МСК+2, UTC+5)"),
    ("Asia/Omsk", "Омск (МСК+3, UTC+6)"),
    ("Asia/Novosibirsk", "Новосибирск (МСК+4, UTC+7)"),
    ("Asia/Barnaul", "Барнаул (МСК+4, UTC+7)"),
    ("Asia/Tomsk", "Томск (МСК+4, UTC+7)"),
    ("Asia/Novokuznetsk", "Новокузнецк (МСК+4, UTC+7)"),
    ("Asia/Krasnoyarsk", "Красноярск (МСК+4, UTC+7)"),
    ("Asia/Irkutsk", "Иркутск (МСК+5, UTC+8)"),
    ("Asia/Chita", "Чита (МСК+6, UTC+9)"),
    ("Asia/Yakutsk", "Якутск (МСК+6, UTC+9)"),
    ("Asia/Khandyga", "Хандыга (МСК+6, UTC+9)"),
    ("Asia/Vladivostok", "Владивосток (МСК+7, UTC+10)"),
    ("Asia/Ust-Nera", "Усть-Нера (МСК+7, UTC+10)"),
    ("Asia/Magadan", "Магадан (МСК+8, UTC+11)"),
    ("Asia/Sakhalin", "Южно-Сахалинск (МСК+8, UTC+11)"),
    ("Asia/Srednekolymsk", "Среднеколымск (МСК+8, UTC+11)"),
    ("Asia/Kamchatka", "Петропавловск-Камчатский (МСК+9, UTC+12)"),
    ("Asia/Anadyr", "Анадырь (МСК+9, UTC+12)"),
];

/// The Russian name of a zone of [`RUSSIAN_ZONES`], or the IANA name itself.
pub fn zone_title(tz: &str) -> String {
    RUSSIAN_ZONES
        .iter()
        .find(|(z, _)| *z == tz)
        .map_or_else(|| tz.to_string(), |(_, t)| t.to_string())
}

/// Checks the court and the public address of the setup form; errors named by their keys.
pub fn check_court_and_address(
    court_name: &str,
    court_address: &str,
    public_url: &str,
) -> ValidationErrors {
    let mut e = ValidationErrors::new();
    if court_name.trim().is_empty() {
        e.add(
            COURT_NAME,
            "Укажите суд, куда подаются заявления о судебном приказе: «Мировой судья судебного \
             участка № … … района».",
        );
    }
    if court_address.trim().is_empty() {
        e.add(
            COURT_ADDRESS,
            "Укажите адрес суда: он печатается в заявлении.",
        );
    }
    if let Err(m) = check_public_url(public_url) {
        e.add(PUBLIC_URL, m);
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_addresses_are_refused_with_the_reason() {
        for bad in [
            "http://localhost:8080",
            "https://127.0.0.1",
            "http://[::1]:8080/",
            "http://0.0.0.0",
        ] {
            let m = check_public_url(bad).unwrap_err();
            assert!(m.contains("адрес самого сервера"), "{bad}: {m}");
        }
        assert!(check_public_url("lk.uk-dom.ru").is_err());
        assert!(check_public_url("https://").is_err());
        assert!(check_public_url("https://lk.uk-dom.ru").is_ok());
        assert!(check_public_url("http://10.0.0.5:8080/abonent").is_ok());
    }

    #[test]
    fn missing_lists_blank_placeholder_and_local_address() {
        let m = missing(|k| match k {
            "org.name" => default_of("org.name").unwrap().to_string(),
            "org.inn" => "6670000000".into(),
            PUBLIC_URL => "http://localhost:8080".into(),
            _ => String::new(),
        });
        let keys: Vec<_> = m.iter().map(|x| x.key).collect();
        assert!(keys.contains(&"org.name"));
        assert!(!keys.contains(&"org.inn"));
        assert!(keys.contains(&PUBLIC_URL));
        assert!(keys.contains(&COURT_NAME));
        let none = missing(|k| match k {
            PUBLIC_URL => "https://lk.example.ru".into(),
            k => format!("{k} задан"),
        });
        assert!(none.is_empty(), "{none:?}");
    }

    #[test]
    fn zones_are_valid_iana_names_west_to_east() {
        for (z, t) in RUSSIAN_ZONES {
            assert!(z.parse::<chrono_tz::Tz>().is_ok(), "{z}");
            assert!(t.contains("МСК"), "{t}");
        }
        assert_eq!(RUSSIAN_ZONES[0].0, "Europe/Kaliningrad");
        assert_eq!(
            zone_title("Asia/Yekaterinburg"),
            "Екатеринбург (МСК+2, UTC+5)"
        );
        assert_eq!(zone_title("UTC"), "UTC");
    }
}
