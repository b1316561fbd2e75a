//! Header names that registries from 1С, Excel and handwritten tables commonly use.

use abonent_domain::text::fold;

use crate::mapping::RegistryField::{self, *};

/// Lower case, ё → е, punctuation and `№` to spaces: «Номер л/с» → «номер л с».
pub(crate) fn normalize(h: &str) -> String {
    fold(h)
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

const EXACT: &[(RegistryField, &[&str])] = &[
    (
        AccountNumber,
        &[
            "лс",
            "л с",
            "л сч",
            "лицевой счет",
            "номер лс",
            "номер л с",
            "лицевой",
            "номер лицевого счета",
            "лиц счет",
            "счет",
            "номер счета",
            "код лс",
        ],
    ),
    (
        Address,
        &[
            "адрес",
            "адрес помещения",
            "адрес объекта",
            "полный адрес",
            "адрес абонента",
            "адрес дома",
            "местонахождение",
        ],
    ),
    (Region, &["регион", "область", "субъект", "субъект рф"]),
    (
        City,
        &["город", "населенный пункт", "нас пункт", "нп", "поселок"],
    ),
    (Street, &["улица", "ул"]),
    (House, &["дом", "д", "номер дома"]),
    (Korpus, &["корпус", "корп", "к"]),
    (Stroenie, &["строение", "стр"]),
    (
        Flat,
        &[
            "кв",
            "квартира",
            "номер квартиры",
            "помещение",
            "номер помещения",
            "пом",
            "кв пом",
            "квартира помещение",
        ],
    ),
    (
        Residential,
        &[
            "жилое",
            "жилое помещение",
            "тип помещения",
            "вид помещения",
            "назначение",
            "назначение помещения",
        ],
    ),
    (
        Area,
        &[
            "площадь",
            "общая площадь",
            "площадь общая",
            "общ площадь",
            "s общ",
            "площадь м2",
            "площадь кв м",
            "общая площадь м2",
            "общая площадь кв м",
        ],
    ),
    (
        Rooms,
        &[
            "комнат",
            "комнаты",
            "количество комнат",
            "кол во комнат",
            "число комнат",
        ],
    ),
    (Entrance, &["подъезд", "под"]),
    (Floor, &["этаж"]),
    (
        FullName,
        &[
            "фио",
            "ф и о",
            "абонент",
            "собственник",
            "наниматель",
            "владелец",
            "плательщик",
            "фио абонента",
            "фио собственника",
            "фио плательщика",
            "фио нанимателя",
            "фио владельца",
        ],
    ),
    (LastName, &["фамилия"]),
    (FirstName, &["имя"]),
    (MiddleName, &["отчество"]),
    (
        Phones,
        &[
            "телефон",
            "телефоны",
            "тел",
            "контактный телефон",
            "мобильный телефон",
            "моб телефон",
            "номер телефона",
        ],
    ),
    (
        Email,
        &[
            "email",
            "e mail",
            "эл почта",
            "электронная почта",
            "почта",
            "адрес эл почты",
            "адрес электронной почты",
        ],
    ),
    (BirthDate, &["дата рождения", "др", "д р", "дата рожд"]),
    (
        Role,
        &[
            "роль",
            "статус",
            "тип",
            "вид права",
            "отношение",
            "тип связи",
            "роль в лс",
        ],
    ),
    (
        Share,
        &["доля", "доля в праве", "доля собственности", "размер доли"],
    ),
    (
        OpenedOn,
        &[
            "дата открытия",
            "открыт",
            "открыт с",
            "дата открытия лс",
            "дата открытия счета",
        ],
    ),
    (
        BenefitCategory,
        &["льгота", "льготы", "категория льготы", "льготная категория"],
    ),
    (
        BenefitDocument,
        &[
            "документ льготы",
            "документ на льготу",
            "основание льготы",
            "документ основание",
            "удостоверение",
        ],
    ),
    (
        BenefitFrom,
        &[
            "льгота с",
            "дата льготы",
            "льгота действует с",
            "начало льготы",
            "дата начала льготы",
        ],
    ),
];

pub(crate) fn exact(h: &str) -> Option<RegistryField> {
    EXACT
        .iter()
        .find(|(_, names)| names.contains(&h))
        .map(|(f, _)| *f)
}

/// Key word rules, in priority order: «Адрес эл. почты» is an email, not an address;
/// «Площадь помещения» is an area, not a flat number.
pub(crate) fn by_keyword(h: &str) -> Option<RegistryField> {
    let words: Vec<&str> = h.split(' ').collect();
    let has = |prefix: &str| words.iter().any(|w| w.starts_with(prefix));
    let rules: &[(bool, RegistryField)] = &[
        (has("почт") || has("email") || h.contains("e mail"), Email),
        (has("телефон") || has("тел"), Phones),
        (has("рожд"), BirthDate),
        (
            has("льгот") && (has("документ") || has("основан") || has("удостовер")),
            BenefitDocument,
        ),
        (
            has("льгот") && (has("дата") || has("начал") || words.last() == Some(&"с")),
            BenefitFrom,
        ),
        (has("льгот"), BenefitCategory),
        (has("открыт"), OpenedOn),
        (has("лицев") || words.contains(&"лс"), AccountNumber),
        (has("фио"), FullName),
        (has("фамил"), LastName),
        (has("отчеств"), MiddleName),
        (has("доля") || has("доли") || has("долей"), Share),
        (has("площад"), Area),
        (has("комнат"), Rooms),
        (has("подъезд"), Entrance),
        (has("этаж"), Floor),
        (has("адрес"), Address),
        (has("улиц"), Street),
        (has("жил") || has("нежил"), Residential),
        (
            has("квартир") || has("помещени") || words.contains(&"кв"),
            Flat,
        ),
        (has("корпус"), Korpus),
        (has("строени"), Stroenie),
        (words.contains(&"дом") || words.contains(&"дома"), House),
        (has("город") || has("населен"), City),
        (has("регион") || has("област") || has("субъект"), Region),
        (has("статус") || has("роль"), Role),
        (
            has("собственник") || has("наниматель") || has("владел"),
            FullName,
        ),
    ];
    rules.iter().find(|(hit, _)| *hit).map(|(_, f)| *f)
}
