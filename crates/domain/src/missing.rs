//! What a person is told could not be found: the noun after «Запись не найдена: ». Storage
//! reports which record it looked for; the words are here.

use std::fmt;

/// A record looked up by its code (or the only one of its kind) and not found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    Building(i64),
    Premises(i64),
    Account(i64),
    Person(i64),
    Link(i64),
    Benefit(i64),
    /// A letter of either register, by code.
    Letter(i64),
    Incoming(i64),
    Outgoing(i64),
    Attachment(i64),
    OutboxMessage(i64),
    Document(i64),
    /// A stored work calendar of a year.
    CalendarYear(i32),
    User,
    Token,
    Job,
    Upload,
}

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Missing::Building(id) => write!(f, "дом с кодом {id}"),
            Missing::Premises(id) => write!(f, "помещение с кодом {id}"),
            Missing::Account(id) => write!(f, "лицевой счёт с кодом {id}"),
            Missing::Person(id) => write!(f, "человек с кодом {id}"),
            Missing::Link(id) => write!(f, "связь с кодом {id}"),
            Missing::Benefit(id) => write!(f, "льгота с кодом {id}"),
            Missing::Letter(id) => write!(f, "письмо с кодом {id}"),
            Missing::Incoming(id) => write!(f, "входящее письмо с кодом {id}"),
            Missing::Outgoing(id) => write!(f, "исходящее письмо с кодом {id}"),
            Missing::Attachment(id) => write!(f, "вложение с кодом {id}"),
            Missing::OutboxMessage(id) => write!(f, "сообщение {id} в очереди уведомлений"),
            Missing::Document(id) => write!(f, "документ с кодом {id}"),
            Missing::CalendarYear(year) => write!(f, "загруженный календарь {year} года"),
            Missing::User => f.write_str("пользователь"),
            Missing::Token => f.write_str("токен"),
            Missing::Job => f.write_str("задача"),
            Missing::Upload => f.write_str("загруженный файл"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Missing;

    #[test]
    fn nouns_name_the_record_and_its_code() {
        let cases = [
            (Missing::Building(1), "дом с кодом 1"),
            (Missing::Premises(2), "помещение с кодом 2"),
            (Missing::Account(3), "лицевой счёт с кодом 3"),
            (Missing::Person(4), "человек с кодом 4"),
            (Missing::Link(5), "связь с кодом 5"),
            (Missing::Benefit(6), "льгота с кодом 6"),
            (Missing::Letter(7), "письмо с кодом 7"),
            (Missing::Incoming(8), "входящее письмо с кодом 8"),
            (Missing::Outgoing(9), "исходящее письмо с кодом 9"),
            (Missing::Attachment(10), "вложение с кодом 10"),
            (
                Missing::OutboxMessage(11),
                "сообщение 11 в очереди уведомлений",
            ),
            (Missing::Document(12), "документ с кодом 12"),
            (
                Missing::CalendarYear(2027),
                "загруженный календарь 2027 года",
            ),
            (Missing::User, "пользователь"),
            (Missing::Token, "токен"),
            (Missing::Job, "задача"),
            (Missing::Upload, "загруженный файл"),
        ];
        for (m, noun) in cases {
            assert_eq!(m.to_string(), noun);
        }
    }
}
