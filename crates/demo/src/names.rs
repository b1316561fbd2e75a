//! Russian personal names: surnames in the masculine form, first names tagged by the era in
//! which they were common, and the rules that derive feminine surnames and patronymics.

/// When a first name was usual: born before 1965, any time, or from 1980 on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Era {
    Old,
    Any,
    Young,
}

impl Era {
    pub fn fits(self, birth_year: i32) -> bool {
        match self {
            Era::Old => birth_year < 1965,
            Era::Any => true,
            Era::Young => birth_year >= 1980,
        }
    }
}

/// Surnames in the masculine form, separated by spaces; [`surname_for`] gives the feminine one.
const SURNAMES: &str = "
    Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Фёдоров
    Морозов Волков Алексеев Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев
    Орлов Андреев Макаров Никитин Захаров Зайцев Соловьёв Борисов Яковлев Григорьев
    Романов Воробьёв Сергеев Кузьмин Фролов Александров Дмитриев Королёв Гусев
    Киселёв Ильин Максимов Поляков Сорокин Виноградов Ковалёв Белов Медведев Антонов
    Тарасов Жуков Баранов Филиппов Комаров Давыдов Беляев Герасимов Богданов Осипов
    Сидоров Матвеев Титов Марков Миронов Крылов Куликов Карпов Власов Мельников
    Денисов Гаврилов Тихонов Казаков Афанасьев Данилов Савельев Тимофеев Фомин
    Чернов Абрамов Мартынов Ефимов Федотов Щербаков Назаров Калинин Исаев Чернышёв
    Быков Маслов Родионов Коновалов Лазарев Воронин Климов Филатов Пономарёв Голубев
    Кудрявцев Прохоров Наумов Потапов Журавлёв Овчинников Трофимов Леонов Соболев
    Ермаков Колесников Гончаров Емельянов Никифоров Грачёв Котов Гришин Ефремов
    Архипов Громов Кириллов Малышев Панов Моисеев Румянцев Акимов Кондратьев Бирюков
    Горбунов Анисимов Ерёмин Галкин Лукьянов Скворцов Юдин Белоусов Нестеров Симонов
    Харитонов Цветков Мальцев Логинов Горшков Демидов Вишневский Покровский
    Островский Троицкий Высоцкий Заболоцкий Толстой Луговой Черных Седых Долгих
    Белых Шевченко Бондаренко Ткаченко Коваленко Ковальчук Гарипов Хабибуллин
    Шарипов Валиев Зарипов Ахметов Сафин Мухаметшин Пермяков Брусницын
";

const MALE_OLD: &str = "Анатолий Аркадий Борис Валентин Валерий Геннадий Кузьма Леонид Фома Яков";
const MALE_ANY: &str = "
    Александр Алексей Андрей Антон Вадим Василий Виктор Виталий Владимир Владислав
    Вячеслав Георгий Герман Григорий Денис Дмитрий Евгений Иван Игорь Илья Кирилл
    Константин Лев Максим Михаил Никита Николай Олег Павел Пётр Роман Ростислав
    Руслан Семён Сергей Станислав Степан Тимур Фёдор Филипп Эдуард Юрий
";
const MALE_YOUNG: &str = "Арсений Артём Глеб Даниил Егор Марк Матвей Савва Тимофей Ярослав";
const FEMALE_OLD: &str =
    "Алла Антонина Валентина Галина Зинаида Зоя Клавдия Лидия Нина Раиса Тамара Фаина";
const FEMALE_ANY: &str = "
    Александра Анастасия Анна Вера Вероника Виктория Дарья Евгения Екатерина
    Елена Жанна Инна Ирина Ксения Лариса Любовь Людмила Майя Маргарита Марина Мария
    Надежда Наталья Оксана Олеся Ольга Регина Светлана Таисия Татьяна Эльвира Юлия
";
const FEMALE_YOUNG: &str = "Алёна Алина Ангелина Валерия Варвара Василиса Диана Елизавета Кира Кристина Милана Полина Снежана Софья Ульяна Яна";

pub fn surnames() -> Vec<&'static str> {
    SURNAMES.split_whitespace().collect()
}

/// First names with the era they suit, men's or women's.
pub fn first_names(female: bool) -> Vec<(&'static str, Era)> {
    let lists = if female {
        [
            (FEMALE_OLD, Era::Old),
            (FEMALE_ANY, Era::Any),
            (FEMALE_YOUNG, Era::Young),
        ]
    } else {
        [
            (MALE_OLD, Era::Old),
            (MALE_ANY, Era::Any),
            (MALE_YOUNG, Era::Young),
        ]
    };
    lists
        .iter()
        .flat_map(|(s, era)| s.split_whitespace().map(move |n| (n, *era)))
        .collect()
}

/// The surname as a man or a woman of the family bears it: `Иванов` → `Иванова`,
/// `Вишневский` → `Вишневская`, `Толстой` → `Толстая`; `Черных`, `Шевченко`, `Ковальчук`
/// are the same for both.
pub fn surname_for(masculine: &str, female: bool) -> String {
    if !female {
        return masculine.to_string();
    }
    for end in ["ов", "ев", "ёв", "ин", "ын"] {
        if masculine.ends_with(end) {
            return format!("{masculine}а");
        }
    }
    for end in ["ий", "ой", "ый"] {
        if let Some(stem) = masculine.strip_suffix(end) {
            return format!("{stem}ая");
        }
    }
    masculine.to_string()
}

/// The patronymic of a son or a daughter of a man named `father`:
/// `Сергей` → `Сергеевич`/`Сергеевна`, `Илья` → `Ильич`/`Ильинична`.
pub fn patronymic(father: &str, female: bool) -> String {
    let irregular: Option<(&str, &str)> = match father {
        "Илья" => Some(("Ильич", "Ильинична")),
        "Никита" => Some(("Никитич", "Никитична")),
        "Кузьма" => Some(("Кузьмич", "Кузьминична")),
        "Фома" => Some(("Фомич", "Фоминична")),
        "Лука" => Some(("Лукич", "Лукинична")),
        "Савва" => Some(("Саввич", "Саввична")),
        "Пётр" => Some(("Петрович", "Петровна")),
        "Павел" => Some(("Павлович", "Павловна")),
        "Лев" => Some(("Львович", "Львовна")),
        "Яков" => Some(("Яковлевич", "Яковлевна")),
        "Михаил" => Some(("Михайлович", "Михайловна")),
        _ => None,
    };
    if let Some((m, f)) = irregular {
        return if female { f } else { m }.to_string();
    }
    let (stem, suffix) = if let Some(stem) = father.strip_suffix("ий") {
        // Юрий → Юрьевич, but Дмитрий → Дмитриевич after two consonants.
        let last_two: Vec<char> = stem.chars().rev().take(2).collect();
        let clustered = last_two.len() == 2 && last_two.iter().all(|c| !is_vowel(*c));
        (stem.to_string(), if clustered { "иев" } else { "ьев" })
    } else if let Some(stem) = father.strip_suffix('й') {
        (stem.to_string(), "ев")
    } else if let Some(stem) = father.strip_suffix('ь') {
        (stem.to_string(), "ев")
    } else {
        (father.to_string(), "ов")
    };
    format!("{stem}{suffix}{}", if female { "на" } else { "ич" })
}

fn is_vowel(c: char) -> bool {
    "аеёиоуыэюяАЕЁИОУЫЭЮЯ".contains(c)
}

/// Latin letters for an e-mail address: `Ёлкина` → `elkina`.
pub fn translit(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        out.push_str(match c {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' => "g",
            'д' => "d",
            'е' | 'ё' | 'э' => "e",
            'ж' => "zh",
            'з' => "z",
            'и' => "i",
            'й' | 'ы' => "y",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' => "u",
            'ф' => "f",
            'х' => "kh",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "shch",
            'ю' => "yu",
            'я' => "ya",
            _ => "",
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feminine_surnames() {
        for (m, f) in [
            ("Иванов", "Иванова"),
            ("Соловьёв", "Соловьёва"),
            ("Ильин", "Ильина"),
            ("Вишневский", "Вишневская"),
            ("Толстой", "Толстая"),
            ("Черных", "Черных"),
            ("Шевченко", "Шевченко"),
            ("Ковальчук", "Ковальчук"),
        ] {
            assert_eq!(surname_for(m, true), f);
            assert_eq!(surname_for(m, false), m);
        }
    }

    #[test]
    fn patronymics() {
        for (name, m, f) in [
            ("Сергей", "Сергеевич", "Сергеевна"),
            ("Николай", "Николаевич", "Николаевна"),
            ("Илья", "Ильич", "Ильинична"),
            ("Никита", "Никитич", "Никитична"),
            ("Юрий", "Юрьевич", "Юрьевна"),
            ("Дмитрий", "Дмитриевич", "Дмитриевна"),
            ("Георгий", "Георгиевич", "Георгиевна"),
            ("Евгений", "Евгеньевич", "Евгеньевна"),
            ("Игорь", "Игоревич", "Игоревна"),
            ("Пётр", "Петрович", "Петровна"),
            ("Лев", "Львович", "Львовна"),
            ("Михаил", "Михайлович", "Михайловна"),
            ("Иван", "Иванович", "Ивановна"),
            ("Артём", "Артёмович", "Артёмовна"),
        ] {
            assert_eq!(patronymic(name, false), m);
            assert_eq!(patronymic(name, true), f);
        }
        for (name, _) in first_names(false) {
            assert!(patronymic(name, false).ends_with("ич"), "{name}");
            assert!(patronymic(name, true).ends_with("на"), "{name}");
        }
    }

    #[test]
    fn list_sizes_and_translit() {
        assert!(surnames().len() >= 150);
        assert!(first_names(false).len() >= 60 && first_names(true).len() >= 60);
        assert_eq!(translit("Щербакова Юлия"), "shcherbakovayuliya");
    }
}
