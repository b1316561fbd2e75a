//! A file of tariffs (CSV or XLSX) as tariff forms: columns found by their headers as
//! regional tariff decisions and billing tables name them. Checking the values is the
//! domain's (`TariffForm::check`), against the register the storage holds.

use abonent_domain::tariff::TariffForm;

use crate::guess::normalize;
use crate::Table;

/// The columns of a tariffs file: (field, title, header words — exact or as a prefix).
pub const COLUMNS: [(&str, &str, &[&str]); 7] = [
    (
        "service",
        "Услуга",
        &["услуга", "наименование услуги", "вид услуги", "service"],
    ),
    (
        "group",
        "Группа домов",
        &["группа", "группа домов", "group"],
    ),
    ("zone", "Зона суток", &["зона", "зона суток", "zone"]),
    (
        "from",
        "Действует с",
        &["действует с", "с", "дата начала", "начало", "from"],
    ),
    ("price", "Тариф, ₽", &["тариф", "цена", "ставка", "price"]),
    (
        "unit",
        "Единица",
        &["единица", "ед", "ед изм", "единица измерения", "unit"],
    ),
    (
        "basis",
        "Основание",
        &["основание", "решение", "постановление", "basis"],
    ),
];

/// The required columns: a file without one of them is refused before its rows are read.
pub const REQUIRED: [&str; 5] = ["service", "from", "price", "unit", "basis"];

/// Column of each field found in the headers (exact names first, then prefixes).
pub fn columns(headers: &[String]) -> Vec<(&'static str, Option<usize>)> {
    let norm: Vec<String> = headers.iter().map(|h| normalize(h)).collect();
    let mut taken: Vec<usize> = Vec::new();
    let mut out: Vec<(&'static str, Option<usize>)> =
        COLUMNS.iter().map(|(f, _, _)| (*f, None)).collect();
    for exact in [true, false] {
        for (i, (_, _, words)) in COLUMNS.iter().enumerate() {
            if out[i].1.is_some() {
                continue;
            }
            let hit = norm.iter().enumerate().find(|(c, h)| {
                !taken.contains(c)
                    && words.iter().any(|w| {
                        let w = normalize(w);
                        if exact {
                            **h == w
                        } else {
                            w.len() > 2 && h.starts_with(&w)
                        }
                    })
            });
            if let Some((c, _)) = hit {
                taken.push(c);
                out[i].1 = Some(c);
            }
        }
    }
    out
}

/// The titles of the required columns the file lacks.
pub fn missing(cols: &[(&'static str, Option<usize>)]) -> Vec<&'static str> {
    cols.iter()
        .filter(|(f, c)| c.is_none() && REQUIRED.contains(f))
        .filter_map(|(f, _)| COLUMNS.iter().find(|x| x.0 == *f).map(|x| x.1))
        .collect()
}

/// Each data row as (line, form).
pub fn rows(table: &Table, cols: &[(&'static str, Option<usize>)]) -> Vec<(usize, TariffForm)> {
    let cell = |row: &crate::Row, field: &str| -> Option<String> {
        cols.iter()
            .find(|(f, _)| *f == field)
            .and_then(|(_, c)| *c)
            .map(|c| row.cell(c).to_string())
            .filter(|s| !s.trim().is_empty())
    };
    table
        .rows
        .iter()
        .map(|r| {
            (
                r.line,
                TariffForm {
                    service: cell(r, "service"),
                    group: cell(r, "group"),
                    zone: cell(r, "zone"),
                    from: cell(r, "from"),
                    price: cell(r, "price"),
                    unit: cell(r, "unit"),
                    basis: cell(r, "basis"),
                },
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_as_people_write_them() {
        let t = crate::read_table(
            "Услуга;Действует с;Тариф, руб.;Ед. изм.;Основание\n\
             Холодная вода;01.07.2026;45,87;м3;Постановление РЭК № 100-ПК\n"
                .as_bytes(),
        )
        .unwrap();
        let cols = columns(&t.headers);
        assert!(missing(&cols).is_empty(), "{cols:?}");
        let rows = rows(&t, &cols);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].0, 2);
        let f = &rows[0].1;
        assert_eq!(f.service.as_deref(), Some("Холодная вода"));
        assert_eq!(f.price.as_deref(), Some("45,87"));
        assert_eq!(f.unit.as_deref(), Some("м3"));
        assert_eq!(f.group, None);
    }

    #[test]
    fn a_file_without_prices_names_the_column() {
        let t = crate::read_table("Услуга;С;Основание\nХВС;01.07.2026;РЭК\n".as_bytes()).unwrap();
        assert_eq!(missing(&columns(&t.headers)), vec!["Тариф, ₽", "Единица"]);
    }
}
