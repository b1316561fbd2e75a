//! Which column of the file holds which registry field, and a guess from the headers that
//! 1С, Excel registries and handwritten tables commonly use.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::guess;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegistryField {
    AccountNumber,
    /// A whole address in one column: city, street, house, korpus, flat.
    Address,
    Region,
    City,
    Street,
    House,
    Korpus,
    Stroenie,
    Flat,
    Residential,
    Area,
    Rooms,
    Entrance,
    Floor,
    FullName,
    LastName,
    FirstName,
    MiddleName,
    Phones,
    Email,
    BirthDate,
    Role,
    Share,
    OpenedOn,
    BenefitCategory,
    BenefitDocument,
    BenefitFrom,
}

use RegistryField as F;

impl RegistryField {
    pub const ALL: [RegistryField; 27] = [
        F::AccountNumber,
        F::Address,
        F::Region,
        F::City,
        F::Street,
        F::House,
        F::Korpus,
        F::Stroenie,
        F::Flat,
        F::Residential,
        F::Area,
        F::Rooms,
        F::Entrance,
        F::Floor,
        F::FullName,
        F::LastName,
        F::FirstName,
        F::MiddleName,
        F::Phones,
        F::Email,
        F::BirthDate,
        F::Role,
        F::Share,
        F::OpenedOn,
        F::BenefitCategory,
        F::BenefitDocument,
        F::BenefitFrom,
    ];

    pub fn code(self) -> &'static str {
        match self {
            F::AccountNumber => "account_number",
            F::Address => "address",
            F::Region => "region",
            F::City => "city",
            F::Street => "street",
            F::House => "house",
            F::Korpus => "korpus",
            F::Stroenie => "stroenie",
            F::Flat => "flat",
            F::Residential => "residential",
            F::Area => "area",
            F::Rooms => "rooms",
            F::Entrance => "entrance",
            F::Floor => "floor",
            F::FullName => "full_name",
            F::LastName => "last_name",
            F::FirstName => "first_name",
            F::MiddleName => "middle_name",
            F::Phones => "phones",
            F::Email => "email",
            F::BirthDate => "birth_date",
            F::Role => "role",
            F::Share => "share",
            F::OpenedOn => "opened_on",
            F::BenefitCategory => "benefit_category",
            F::BenefitDocument => "benefit_document",
            F::BenefitFrom => "benefit_from",
        }
    }

    pub fn from_code(code: &str) -> Option<RegistryField> {
        F::ALL.into_iter().find(|f| f.code() == code)
    }

    /// Russian name for the mapping screen and error messages.
    pub fn title(self) -> &'static str {
        match self {
            F::AccountNumber => "Лицевой счёт",
            F::Address => "Адрес",
            F::Region => "Регион",
            F::City => "Населённый пункт",
            F::Street => "Улица",
            F::House => "Дом",
            F::Korpus => "Корпус",
            F::Stroenie => "Строение",
            F::Flat => "Квартира (помещение)",
            F::Residential => "Жилое помещение",
            F::Area => "Общая площадь",
            F::Rooms => "Комнат",
            F::Entrance => "Подъезд",
            F::Floor => "Этаж",
            F::FullName => "ФИО",
            F::LastName => "Фамилия",
            F::FirstName => "Имя",
            F::MiddleName => "Отчество",
            F::Phones => "Телефон",
            F::Email => "Эл. почта",
            F::BirthDate => "Дата рождения",
            F::Role => "Роль (собственник, наниматель…)",
            F::Share => "Доля в собственности",
            F::OpenedOn => "Дата открытия счёта",
            F::BenefitCategory => "Льгота",
            F::BenefitDocument => "Документ на льготу",
            F::BenefitFrom => "Льгота действует с",
        }
    }
}

/// Field → 0-based column index. Serialized as `{"account_number": 0, "street": 3}` so the
/// mapping screen can send it back after the user corrects the guess.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ColumnMapping(BTreeMap<RegistryField, usize>);

impl ColumnMapping {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn get(&self, field: RegistryField) -> Option<usize> {
        self.0.get(&field).copied()
    }

    /// Map a field to a column; a column holds one field, so any other field that pointed
    /// to this column is unmapped.
    pub fn set(&mut self, field: RegistryField, column: usize) {
        self.0.retain(|_, c| *c != column);
        self.0.insert(field, column);
    }

    pub fn remove(&mut self, field: RegistryField) {
        self.0.remove(&field);
    }

    pub fn iter(&self) -> impl Iterator<Item = (RegistryField, usize)> + '_ {
        self.0.iter().map(|(f, c)| (*f, *c))
    }

    /// The field a column is mapped to, for showing the mapping under each header.
    pub fn field_of(&self, column: usize) -> Option<RegistryField> {
        self.iter().find(|(_, c)| *c == column).map(|(f, _)| f)
    }

    /// Guess from headers: exact well-known names first, then key words, so that
    /// «Общая площадь» wins over an earlier «Жилая площадь».
    pub fn guess(headers: &[String]) -> ColumnMapping {
        let norm: Vec<String> = headers.iter().map(|h| guess::normalize(h)).collect();
        let mut m = ColumnMapping::new();
        for pass in [
            guess::exact as fn(&str) -> Option<RegistryField>,
            guess::by_keyword,
        ] {
            for (col, h) in norm.iter().enumerate() {
                if m.field_of(col).is_some() {
                    continue;
                }
                if let Some(f) = pass(h).filter(|f| m.get(*f).is_none()) {
                    m.0.insert(f, col);
                }
            }
        }
        m
    }
}

/// «1 колонка», «3 колонки», «12 колонок».
pub(crate) const COLUMN_NOUN: [&str; 3] = ["колонка", "колонки", "колонок"];

#[cfg(test)]
mod tests {
    use super::*;

    fn guess(headers: &[&str]) -> ColumnMapping {
        ColumnMapping::guess(&headers.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn codes_round_trip_and_are_unique() {
        for f in RegistryField::ALL {
            assert_eq!(RegistryField::from_code(f.code()), Some(f));
        }
        let mut codes: Vec<_> = RegistryField::ALL.iter().map(|f| f.code()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), RegistryField::ALL.len());
    }

    #[test]
    fn set_keeps_one_field_per_column() {
        let mut m = guess(&["ЛС", "Улица"]);
        m.set(F::Street, 0);
        assert_eq!(m.get(F::AccountNumber), None);
        assert_eq!(m.field_of(0), Some(F::Street));
    }

    #[test]
    fn keywords_and_priorities() {
        let m = guess(&[
            "Жилая площадь, м²",
            "Общая площадь",
            "Адрес эл. почты",
            "Номер л/с",
            "Тел. (моб.)",
            "Площадь помещения",
        ]);
        assert_eq!(m.get(F::Area), Some(1));
        assert_eq!(m.get(F::Email), Some(2));
        assert_eq!(m.get(F::AccountNumber), Some(3));
        assert_eq!(m.get(F::Phones), Some(4));
        assert_eq!(m.field_of(5), None);
        assert_eq!(m.field_of(0), None);
    }
}
