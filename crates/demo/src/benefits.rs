//! Identity documents and benefits of the demo people.

use chrono::{Datelike, Months, NaiveDate};
use rand::Rng;

use crate::people::years_after;
use crate::{date, DemoBenefit, DemoCompany, Generator, AS_OF};

const DISTRICTS: [&str; 7] = [
    "Кировского",
    "Ленинского",
    "Октябрьского",
    "Чкаловского",
    "Орджоникидзевского",
    "Железнодорожного",
    "Верх-Исетского",
];

impl Generator {
    /// `паспорт 6515 123456, выдан … 12.03.2015`: issued at 14, 20 or 45, or in the great
    /// exchange of 1998–2004 for the elderly.
    pub(crate) fn passport(&mut self, birth: NaiveDate) -> String {
        let start = date(1997, 10, 1);
        let issued = match [45, 20, 14]
            .into_iter()
            .map(|y| years_after(birth, y))
            .find(|d| *d >= start && *d <= AS_OF)
        {
            Some(d) => (d + chrono::Days::new(self.rng.gen_range(0..40))).min(AS_OF),
            None => self.date_between(date(1998, 1, 1), date(2004, 12, 31)),
        };
        let by = match issued.year() {
            ..=2004 => format!(
                "ОВД {} р-на г. Екатеринбурга",
                DISTRICTS[self.rng.gen_range(0..DISTRICTS.len())]
            ),
            2005..=2016 => "УФМС России по Свердловской обл.".to_string(),
            _ => "ГУ МВД России по Свердловской обл.".to_string(),
        };
        format!(
            "паспорт 65{:02} {:06}, выдан {by} {}",
            issued.year() % 100,
            self.rng.gen_range(0..1_000_000),
            issued.format("%d.%m.%Y")
        )
    }

    pub(crate) fn benefit(
        &mut self,
        out: &mut DemoCompany,
        person: usize,
        female: bool,
        birth: NaiveDate,
    ) {
        let age = AS_OF.years_since(birth).unwrap_or(0);
        let mut kinds: Vec<u8> = vec![1];
        if age >= 55 {
            kinds.extend([0, 0]);
        }
        if (25..=50).contains(&age) {
            kinds.push(2);
        }
        if !female && (22..=75).contains(&age) {
            kinds.push(3);
        }
        if age >= if female { 58 } else { 63 } {
            kinds.extend([4, 4]);
        }
        let number = self.rng.gen_range(0..1_000_000);
        let after = |years: u32, floor: NaiveDate| years_after(birth, years).max(floor).min(AS_OF);
        let (category, document, from, to) = match kinds[self.rng.gen_range(0..kinds.len())] {
            0 => {
                let from = self.date_between(after(55, date(1996, 1, 1)), AS_OF);
                (
                    "Ветеран труда",
                    format!("Удостоверение серия ВТ № {number:06}"),
                    from,
                    None,
                )
            }
            1 => {
                let from = self.date_between(after(18, date(2010, 1, 1)), AS_OF);
                let to = self
                    .chance(0.6)
                    .then(|| years_after(from, 1) - chrono::Days::new(1));
                let doc = format!("Справка МСЭ-{} № {number:06}", from.year());
                ("Инвалид II группы", doc, from, to)
            }
            2 => {
                let from = self.date_between(after(25, date(2012, 1, 1)), AS_OF);
                let to = Some(years_after(from, self.rng.gen_range(3..=12)));
                let doc = format!("Удостоверение многодетной семьи серия МС № {number:06}");
                ("Многодетная семья", doc, from, to)
            }
            3 => {
                let from = self.date_between(after(20, date(1995, 1, 1)), AS_OF);
                (
                    "Ветеран боевых действий",
                    format!("Удостоверение серия БК № {number:06}"),
                    from,
                    None,
                )
            }
            _ => {
                let d = self.date_between(date(2025, 11, 1), AS_OF);
                let from = date(d.year(), d.month(), 1);
                let to = Some(from + Months::new(6) - chrono::Days::new(1));
                let doc = format!("Пенсионное удостоверение серия ПУ № {number:06}");
                ("Пенсионер по старости (субсидия)", doc, from, to)
            }
        };
        out.benefits.push(DemoBenefit {
            person,
            category: category.to_string(),
            document: (!self.chance(0.1)).then_some(document),
            from_date: from,
            to_date: to,
        });
    }
}
