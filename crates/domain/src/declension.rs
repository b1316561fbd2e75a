//! Names in the grammatical cases a court document needs: «взыскать с должника Козлова Николая
//! Ростиславовича», «Мировому судье судебного участка № 3». The rules are Petrovich's (the
//! `petrovich` crate); a name they do not know is printed as written rather than guessed.

use petrovich::{detect_gender, Case, Gender};

/// A person's full name («Фамилия Имя Отчество», as the registry keeps it) in the genitive.
/// Initials, one-word names and names with more than three parts are returned as written.
pub fn person_genitive(full_name: &str) -> String {
    let parts: Vec<&str> = full_name.split_whitespace().collect();
    let has_initials = parts.iter().any(|p| p.ends_with('.'));
    let (last, first, middle) = match parts.as_slice() {
        _ if has_initials => return full_name.trim().to_string(),
        [last, first] => (*last, *first, None),
        [last, first, middle] => (*last, *first, Some(*middle)),
        _ => return full_name.trim().to_string(),
    };
    let gender = detect_gender(Some(last), Some(first), middle);
    if gender == Gender::Androgynous && middle.is_none() {
        // Without a patronymic and a known gender the endings would be guesses.
        return full_name.trim().to_string();
    }
    let mut out = vec![
        petrovich::lastname(gender, last, Case::Genitive),
        petrovich::firstname(gender, first, Case::Genitive),
    ];
    if let Some(middle) = middle {
        out.push(petrovich::middlename(gender, middle, Case::Genitive));
    }
    out.join(" ")
}

/// How an application addresses the court: a justice of the peace in the dative («Мировому
/// судье судебного участка № 3 …»), a court by «В» and its name («В Ленинский районный суд …»).
/// The registry keeps the name as the court writes it, in the nominative.
pub fn court_addressee(name: &str) -> String {
    let name = name.trim();
    let lower = name.to_lowercase();
    for (nominative, dative) in [
        ("мировой судья", "Мировому судье"),
        ("мировому судье", "Мировому судье"),
    ] {
        if let Some(rest) = lower.strip_prefix(nominative) {
            // Cyrillic letters are two bytes in both cases, so the byte offset holds.
            let rest = &name[name.len() - rest.len()..];
            return format!("{dative}{rest}");
        }
    }
    if lower.starts_with("в ") {
        name.to_string()
    } else {
        format!("В {name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_names_take_the_genitive() {
        for (nominative, genitive) in [
            (
                "Козлов Николай Ростиславович",
                "Козлова Николая Ростиславовича",
            ),
            ("Петрова Анна Сергеевна", "Петровой Анны Сергеевны"),
            ("Иванов Илья Кузьмич", "Иванова Ильи Кузьмича"),
            ("Шевченко Ольга Петровна", "Шевченко Ольги Петровны"),
            ("Белых Игорь Львович", "Белых Игоря Львовича"),
            (
                "Салтыков-Щедрин Михаил Евграфович",
                "Салтыкова-Щедрина Михаила Евграфовича",
            ),
            ("Кравец Мария Ивановна", "Кравец Марии Ивановны"),
            ("Кравец Павел Иванович", "Кравца Павла Ивановича"),
            ("Петров Иван", "Петрова Ивана"),
        ] {
            assert_eq!(person_genitive(nominative), genitive, "{nominative}");
        }
    }

    #[test]
    fn what_cannot_be_declined_safely_stays_as_written() {
        for name in [
            "Иванов И. И.",
            "ООО «Ромашка» в лице директора",
            "Козлов",
            "  Козлов  ",
        ] {
            assert_eq!(person_genitive(name), name.trim(), "{name}");
        }
    }

    #[test]
    fn the_court_is_addressed_in_the_dative() {
        assert_eq!(
            court_addressee("Мировой судья судебного участка № 3 Ленинского судебного района"),
            "Мировому судье судебного участка № 3 Ленинского судебного района"
        );
        assert_eq!(
            court_addressee("мировой судья судебного участка № 5"),
            "Мировому судье судебного участка № 5"
        );
        assert_eq!(
            court_addressee("Мировому судье судебного участка № 5"),
            "Мировому судье судебного участка № 5"
        );
        assert_eq!(
            court_addressee("Ленинский районный суд г. Екатеринбурга"),
            "В Ленинский районный суд г. Екатеринбурга"
        );
        assert_eq!(
            court_addressee("В Кировский районный суд"),
            "В Кировский районный суд"
        );
    }
}
